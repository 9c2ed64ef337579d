package cdktest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
	"github.com/secure-ecr/ecr-cdk-go/helpers/nag"
)

// AppOptions configures [NewApp]. The zero value runs CDK's built-in
// CloudFormation validation rules and cdk-nag's AwsSolutions pack.
type AppOptions struct {
	// Compliance also checks the ECR controls of package compliance at this
	// level.
	// Default: "", only CDK's built-in validation rules.
	Compliance compliance.Level
	// SkipNag leaves cdk-nag's AwsSolutions checks out.
	// Default: false, cdk-nag runs and its errors fail the test.
	SkipNag bool
	// FailOnWarnings makes [Synth] fail the test on warnings too, as
	// `cdk synth --strict` does: findings of severity "warning" in CDK's
	// validation report and warning annotations of the stacks (cdk-nag's
	// AwsSolutions warnings, CDK's deprecation and other warnings).
	// Default: false, warnings are only logged (t.Logf, shown with -v or
	// when the test fails).
	FailOnWarnings bool
	// Context is the app's context (feature flags and other values).
	// Default: the "context" of the nearest cdk.json found from the test's
	// directory upwards, so tests synthesize with the flags `cdk synth`
	// uses; none when there is no cdk.json.
	Context map[string]any
}

// NewApp returns an app for a test: its cloud assembly in the test's
// temporary directory, the context of the project's cdk.json, CDK's
// CloudFormation validation (with the compliance pack when asked) and
// cdk-nag's AwsSolutions checks. The validation plugin is registered
// explicitly, so it runs even where CDK_VALIDATION=false turns CDK's
// automatic one off.
func NewApp(t testing.TB, opts *AppOptions) awscdk.App {
	t.Helper()
	if opts == nil {
		opts = &AppOptions{}
	}
	context := opts.Context
	if context == nil {
		context = projectContext(t)
	}
	app := awscdk.NewApp(&awscdk.AppProps{
		Outdir:  jsii.String(t.TempDir()),
		Context: &context,
	})
	if opts.Compliance != "" {
		compliance.Enable(app, &compliance.Options{Level: opts.Compliance})
	} else {
		awscdk.Validations_Of(app).AddPlugins(awscdk.NewCloudFormationValidatePlugin(&awscdk.CloudFormationValidatePluginProps{
			IncludeDefaultRules: jsii.Bool(true),
		}))
	}
	if opts.FailOnWarnings {
		app.Node().AddMetadata(jsii.String(failOnWarningsMarker), true, nil)
	}
	if !opts.SkipNag {
		awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{
			Verbose: jsii.Bool(true),
			Reports: jsii.Bool(false),
		}), nil)
	}
	return app
}

// failOnWarningsMarker is the metadata type NewApp leaves on the app when
// AppOptions.FailOnWarnings is set, for Synth to read.
const failOnWarningsMarker = "secure-ecr:cdktest:fail-on-warnings"

// failsOnWarnings reports whether the app was made by NewApp with
// AppOptions.FailOnWarnings.
func failsOnWarnings(app awscdk.App) bool {
	for _, entry := range *app.Node().Metadata() {
		if *entry.Type == failOnWarningsMarker {
			return true
		}
	}
	return false
}

// isWarning reports whether a validation report's severity is a warning
// (or mere information) rather than a failure. CDK's report knows "fatal",
// "error", "warning", "info" and plugins' own severities.
func isWarning(severity string) bool {
	return severity == "warning" || severity == "info"
}

// Assembly is a synthesized app.
type Assembly struct {
	asm cxapi.CloudAssembly
}

// Synth synthesizes the app and fails the test, one error per line, for
// each of these findings:
//
//   - a violation in CDK's validation report (validation-report.json) whose
//     severity is not "warning" or "info": CloudFormation validation errors,
//     every finding of the compliance pack, and error annotations (added
//     with awscdk.Annotations_Of or Validations_Of(...).AddError, cdk-nag's
//     AwsSolutions errors among them), which aws-cdk-lib 2.277 reports
//     there under the plugin "Construct Annotations";
//   - an error annotation ("aws:cdk:error") left in a stack's metadata, were
//     CDK to stop reporting them in the validation report;
//   - a rule cdk-nag could not evaluate (CdkNagValidationFailure);
//   - a cdk-nag suppression whose reason is shorter than
//     nag.MinReasonLength;
//   - a synthesis that failed for another reason (Node.validate errors, an
//     exception), reported by its first line.
//
// Warnings — violations of severity "warning" (CDK's default rules when
// @aws-cdk/core:validateAgainstDefaultRules is not true) and warning
// annotations ("aws:cdk:warning", cdk-nag's AwsSolutions warnings among
// them) — are logged with t.Logf and fail the test only when the app was
// made by [NewApp] with AppOptions.FailOnWarnings. Findings of severity
// "info" are always only logged. Findings acknowledged with
// awscdk.Validations_Of(...).Acknowledge are out of the report's violations
// and fail nothing.
//
// A synthesis that failed because of findings does not panic: the findings
// are reported and the test stops. Synth returns the assembly for further
// checks.
func Synth(t testing.TB, app awscdk.App) *Assembly {
	t.Helper()
	strict := failsOnWarnings(app)
	var asm cxapi.CloudAssembly
	var failure error
	func() {
		defer func() {
			if v := recover(); v != nil {
				failure = fmt.Errorf("%v", v)
			}
		}()
		asm = app.Synth(nil)
	}()
	dir := *app.Outdir()
	findings, err := ValidationReport(dir)
	if err != nil {
		if failure != nil {
			t.Fatalf("synthesis failed: %s", firstLine(failure.Error()))
		}
		t.Fatal(err)
	}
	failed := 0
	for _, f := range findings {
		line := fmt.Sprintf("%s: %s %s (%s): %s", f.Path, f.Severity, f.Rule, f.Plugin, f.Description)
		if isWarning(f.Severity) && (!strict || f.Severity == "info") {
			t.Logf("%s", line)
			continue
		}
		t.Errorf("%s", line)
		failed++
	}
	if failure != nil {
		if failed == 0 {
			t.Errorf("synthesis failed: %s", firstLine(failure.Error()))
		}
		t.FailNow()
	}
	a := &Assembly{asm: asm}
	for _, stack := range *asm.Stacks() {
		a.checkAnnotations(t, stack, strict)
	}
	return a
}

// Template returns a stack's synthesized template as plain Go values.
func (a *Assembly) Template(t testing.TB, stackName string) map[string]any {
	t.Helper()
	return toMap(t, a.asm.GetStackByName(jsii.String(stackName)).Template())
}

// Dir returns the cloud assembly's directory.
func (a *Assembly) Dir() string { return *a.asm.Directory() }

// checkAnnotations fails on every error annotation of the stack (cdk-nag's
// among them), rules cdk-nag could not evaluate, and cdk-nag suppressions
// without a reason; it logs warning annotations, or fails on them when
// strict.
func (a *Assembly) checkAnnotations(t testing.TB, stack cxapi.CloudFormationStackArtifact, strict bool) {
	t.Helper()
	name := *stack.StackName()
	messages := stackMessages(t, a.Dir(), *stack.Id())
	slices.SortFunc(messages, func(x, y message) int { return strings.Compare(x.Path, y.Path) })
	for _, m := range messages {
		text := strings.TrimSpace(fmtData(m.Data))
		what := "error"
		if strings.HasPrefix(text, "AwsSolutions-") {
			what = "cdk-nag error"
		}
		switch {
		case strings.HasPrefix(text, "CdkNagValidationFailure"):
			t.Errorf("%s: cdk-nag could not evaluate a rule at %s: %s", name, m.Path, firstLine(text))
		case m.Type == "aws:cdk:error":
			t.Errorf("%s: %s at %s: %s", name, what, m.Path, firstLine(text))
		case m.Type == "aws:cdk:warning" && strict:
			t.Errorf("%s: warning at %s: %s", name, m.Path, firstLine(text))
		case m.Type == "aws:cdk:warning":
			t.Logf("%s: warning at %s: %s", name, m.Path, firstLine(text))
		}
	}
	template := toMap(t, stack.Template())
	resources, _ := template["Resources"].(map[string]any)
	for id, r := range resources {
		md, _ := r.(map[string]any)["Metadata"].(map[string]any)
		suppressions, _ := md["cdk_nag"].(map[string]any)
		rules, _ := suppressions["rules_to_suppress"].([]any)
		for _, rule := range rules {
			reason, _ := rule.(map[string]any)["reason"].(string)
			if len(strings.TrimSpace(reason)) < nag.MinReasonLength {
				t.Errorf("%s: %s suppresses %v without a reason", name, id, rule.(map[string]any)["id"])
			}
		}
	}
}

// message is one metadata entry of a stack in the cloud assembly: an
// annotation such as "aws:cdk:error" at a construct path.
type message struct {
	Path string
	Type string `json:"type"`
	Data any    `json:"data"`
}

// stackMessages reads a stack's metadata entries from the cloud assembly's
// manifest, where the cloud-assembly schema keeps them (in the manifest, or
// in the stack's additional metadata file). It reads the files rather than
// CDK's cxapi.SynthesisMessage, which aws-cdk-lib deprecates.
func stackMessages(t testing.TB, dir, artifactID string) []message {
	t.Helper()
	var manifest struct {
		Artifacts map[string]struct {
			Metadata               map[string][]message `json:"metadata"`
			AdditionalMetadataFile string               `json:"additionalMetadataFile"`
		} `json:"artifacts"`
	}
	readJSON(t, filepath.Join(dir, "manifest.json"), &manifest)
	artifact := manifest.Artifacts[artifactID]
	byPath := artifact.Metadata
	if artifact.AdditionalMetadataFile != "" {
		var more map[string][]message
		readJSON(t, filepath.Join(dir, artifact.AdditionalMetadataFile), &more)
		if byPath == nil {
			byPath = map[string][]message{}
		}
		for path, entries := range more {
			byPath[path] = append(byPath[path], entries...)
		}
	}
	var out []message
	for path, entries := range byPath {
		for _, e := range entries {
			e.Path = path
			out = append(out, e)
		}
	}
	return out
}

// readJSON decodes a JSON file, failing the test if it can't.
func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// projectContext returns the context of the nearest cdk.json, searching up
// from the working directory (a test runs in its package's directory).
func projectContext(t testing.TB) map[string]any {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "cdk.json"))
		if err == nil {
			var cfg struct {
				Context map[string]any `json:"context"`
			}
			if err := json.Unmarshal(data, &cfg); err != nil {
				t.Fatalf("%s: %v", filepath.Join(dir, "cdk.json"), err)
			}
			return cfg.Context
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return map[string]any{}
		}
		dir = parent
	}
}

// toMap converts a jsii value into plain Go maps.
func toMap(t testing.TB, v any) map[string]any {
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
	b, _ := json.Marshal(v)
	return string(b)
}

// firstLine returns a message's first line: the rest of a jsii error is a
// JavaScript stack trace.
func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

// Check is the whole kit in one call: it builds the stacks in a [NewApp]
// app made with opts, synthesizes it with [Synth] and matches each stack's
// template with its golden file ([MatchGolden], named after the stack). The
// findings [Synth] lists fail the test: errors of CDK's validation report
// (the compliance pack's findings among them), error annotations (cdk-nag's
// errors among them) and cdk-nag suppressions without a reason. Warnings are
// logged, and fail the test only with opts.FailOnWarnings. It returns the
// templates by stack name for further assertions. See the package example.
func Check(t *testing.T, opts *AppOptions, build func(app awscdk.App) []awscdk.Stack) map[string]map[string]any {
	t.Helper()
	app := NewApp(t, opts)
	stacks := build(app)
	asm := Synth(t, app)
	templates := map[string]map[string]any{}
	for _, stack := range stacks {
		name := *stack.StackName()
		templates[name] = asm.Template(t, name)
		MatchGolden(t, name, templates[name])
	}
	return templates
}

// Warnings synthesizes the stack's app (or takes the assembly it was
// synthesized into) and returns the stack's warning annotations, one line
// each, sorted: the construct path ("/Test/Repo"), ": ", and the message
// as CDK records it, ending in " [ack: ID]" for a warning that
// awscdk.Annotations_Of(scope).AcknowledgeWarning(ID) takes. It is what
// tests of warnings read instead of the assertions module's
// cxapi.SynthesisMessage, which aws-cdk-lib deprecates.
func Warnings(t testing.TB, stack awscdk.Stack) []string {
	t.Helper()
	asm := awscdk.Stage_Of(stack).Synth(nil)
	var out []string
	for _, m := range stackMessages(t, *asm.Directory(), *stack.ArtifactId()) {
		if m.Type == "aws:cdk:warning" {
			out = append(out, m.Path+": "+fmtData(m.Data))
		}
	}
	slices.Sort(out)
	return out
}
