// Package examplestest checks the example apps: golden templates, cdk-nag's
// AwsSolutions pack and CDK's built-in CloudFormation validation, all from
// one synthesis per example.
package examplestest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
	"github.com/gkampitakis/go-snaps/snaps"

	"github.com/secure-ecr/ecr-cdk-go/constructs/compliance"
	"github.com/secure-ecr/ecr-cdk-go/internal/cdktest"
)

// Option changes what Check checks.
type Option func(*options)

type options struct {
	compliance compliance.Level
}

// Compliance also checks the stacks with the ECR compliance rule pack at a
// level (package compliance).
func Compliance(level compliance.Level) Option {
	return func(o *options) { o.compliance = level }
}

// Check builds an example's stacks in a fresh app configured like the root
// cdk.json (its feature flags), with cdk-nag's AwsSolutions checks, and
// synthesizes it once. For every stack it then checks that
//   - the template matches testdata/<stack name>_1.snap.json beside the
//     calling test (`make snapshots` writes it; a mismatch prints a diff, and
//     a missing file fails instead of being created);
//   - cdk-nag reports no error, and every suppression carries a reason;
//   - CDK's CloudFormation validation reports nothing: its built-in rules,
//     and the compliance rule pack when asked for.
//
// The validation plugin is registered explicitly, so it runs even where
// CDK_VALIDATION=false turns CDK's automatic one off (as `make test` does for
// the tests that don't check validation).
//
// It returns the templates by stack name for further assertions.
func Check(t *testing.T, build func(app awscdk.App) []awscdk.Stack, opts ...Option) map[string]map[string]any {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	app := awscdk.NewApp(&awscdk.AppProps{
		Outdir:  jsii.String(t.TempDir()),
		Context: projectContext(t),
	})
	if o.compliance != "" {
		compliance.Enable(app, &compliance.Options{Level: o.compliance})
	} else {
		awscdk.Validations_Of(app).AddPlugins(awscdk.NewCloudFormationValidatePlugin(&awscdk.CloudFormationValidatePluginProps{
			IncludeDefaultRules: jsii.Bool(true),
		}))
	}
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{
		Verbose: jsii.Bool(true),
		Reports: jsii.Bool(false),
	}), nil)
	stacks := build(app)
	asm := app.Synth(nil)

	templates := map[string]map[string]any{}
	for _, stack := range stacks {
		name := *stack.StackName()
		artifact := asm.GetStackByName(jsii.String(name))
		template := toMap(t, artifact.Template())
		templates[name] = template

		update := os.Getenv("UPDATE_SNAPS") == "true"
		if _, err := os.Stat(filepath.Join("testdata", name+"_1.snap.json")); err != nil && !update {
			t.Errorf("%s: no golden template in testdata/; run `make snapshots` to write it", name)
			continue
		}
		snaps.WithConfig(
			snaps.Dir("testdata"),
			snaps.Filename(name),
			snaps.Update(update), // never create or rewrite a golden file unless asked
			snaps.JSON(snaps.JSONConfig{Indent: "  ", SortKeys: true}),
		).MatchStandaloneJSON(t, template)

		checkNag(t, name, artifact)
		checkSuppressionReasons(t, name, template)
	}
	checkValidationReport(t, *asm.Directory())
	return templates
}

// projectContext returns the context of the module's cdk.json, so tests
// synthesize with the same feature flags as `cdk synth`.
func projectContext(t *testing.T) *map[string]any {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("cdk.json: %v", err)
	}
	return &cfg.Context
}

// moduleRoot returns the directory holding go.mod, searching up from the
// working directory (a test runs in its package's directory).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// checkNag fails on every cdk-nag error annotation of the stack, and on
// rules cdk-nag could not evaluate.
func checkNag(t *testing.T, name string, artifact cxapi.CloudFormationStackArtifact) {
	t.Helper()
	for _, m := range *artifact.Messages() {
		text := strings.TrimSpace(fmtData(m.Entry.Data))
		isNag := strings.HasPrefix(text, "AwsSolutions-") || strings.HasPrefix(text, "CdkNagValidationFailure")
		switch {
		case isNag && m.Level == cxapi.SynthesisMessageLevel_ERROR:
			t.Errorf("%s: cdk-nag error at %s: %s", name, *m.Id, text)
		case strings.HasPrefix(text, "CdkNagValidationFailure"):
			t.Errorf("%s: cdk-nag could not evaluate a rule at %s: %s", name, *m.Id, text)
		}
	}
}

// checkSuppressionReasons fails on a cdk-nag suppression without a reason.
func checkSuppressionReasons(t *testing.T, name string, template map[string]any) {
	t.Helper()
	resources, _ := template["Resources"].(map[string]any)
	for id, r := range resources {
		md, _ := r.(map[string]any)["Metadata"].(map[string]any)
		nag, _ := md["cdk_nag"].(map[string]any)
		rules, _ := nag["rules_to_suppress"].([]any)
		for _, rule := range rules {
			reason, _ := rule.(map[string]any)["reason"].(string)
			if len(strings.TrimSpace(reason)) < 10 {
				t.Errorf("%s: %s suppresses %v without a reason", name, id, rule.(map[string]any)["id"])
			}
		}
	}
}

// checkValidationReport fails on any finding of the validation plugins.
func checkValidationReport(t *testing.T, dir string) {
	t.Helper()
	findings, err := cdktest.ValidationReport(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Errorf("validation finding: %s %s %s at %s: %s", f.Plugin, f.Severity, f.Rule, f.Path, f.Description)
	}
}

// toMap converts a jsii value into plain Go maps.
func toMap(t *testing.T, v any) map[string]any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// fmtData renders an annotation's data, usually a string.
func fmtData(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if s, ok := v.(*string); ok && s != nil {
		return *s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// StackNames returns the names of the stacks, sorted.
func StackNames(stacks []awscdk.Stack) []string {
	names := make([]string, len(stacks))
	for i, s := range stacks {
		names[i] = *s.StackName()
	}
	slices.Sort(names)
	return names
}

// OnlyResource returns the template's only resource of the type.
func OnlyResource(t *testing.T, template map[string]any, resourceType string) map[string]any {
	t.Helper()
	resources, _ := template["Resources"].(map[string]any)
	return resources[LogicalID(t, template, resourceType)].(map[string]any)
}

// LogicalID returns the logical id of the template's only resource of the
// type.
func LogicalID(t *testing.T, template map[string]any, resourceType string) string {
	t.Helper()
	var ids []string
	resources, _ := template["Resources"].(map[string]any)
	for id, r := range resources {
		if r.(map[string]any)["Type"] == resourceType {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("want one %s, found %d: %v", resourceType, len(ids), ids)
	}
	return ids[0]
}

// Equal fails the test when got and want differ in their JSON form.
func Equal(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// Mentions reports whether the JSON form of v contains s.
func Mentions(v any, s string) bool {
	b, _ := json.Marshal(v)
	return strings.Contains(string(b), s)
}
