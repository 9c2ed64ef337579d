package adopt

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// synthProgram synthesizes every generated package twice, in an app of its
// own each time, with upgrade false and true, and prints
// {package: {"false": template, "true": template}}, the cloud assemblies
// in os.Args[1]/<package> and os.Args[1]/<package>-upgrade.
const synthProgram = `package main

import (
	"encoding/json"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
%s)

type adopter func(scope constructs.Construct, upgrade bool) map[string]ecr.Repository

func main() {
	out := map[string]map[string]any{}
	for name, gen := range map[string]struct {
		repositories     adopter
		account, region string
	}{
%s	} {
		out[name] = map[string]any{}
		for _, upgrade := range []bool{false, true} {
			app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(os.Args[1] + "/" + name + map[bool]string{true: "-upgrade", false: ""}[upgrade])})
			stack := awscdk.NewStack(app, jsii.String("AdoptedRepositories"), &awscdk.StackProps{
				Env: &awscdk.Environment{Account: jsii.String(gen.account), Region: jsii.String(gen.region)},
			})
			gen.repositories(stack, upgrade)
			artifact := app.Synth(nil).GetStackByName(jsii.String("AdoptedRepositories"))
			out[name][map[bool]string{true: "true", false: "false"}[upgrade]] = artifact.Template()
		}
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
`

// synthAll writes each case's generated package into a module of its own
// that uses the library through a replace directive, as a user's would,
// builds it and synthesizes it; it returns what synthProgram prints.
func synthAll(t *testing.T, results map[string]*Result) map[string]map[string]any {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and synthesizes the generated code")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod := fmt.Sprintf("module example.com/adopted\n\ngo 1.26.0\n\nrequire github.com/secure-ecr/ecr-cdk-go v0.0.0\n\nreplace github.com/secure-ecr/ecr-cdk-go => %s\n", root)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	var imports, entries strings.Builder
	for name, res := range results {
		pkg := packageName(name)
		if err := os.MkdirAll(filepath.Join(dir, pkg), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, pkg, "adopted.go"), res.Source, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&imports, "\t%q\n", "example.com/adopted/"+pkg)
		fmt.Fprintf(&entries, "\t\t%q: {%s.Repositories, %s.Account, %s.Region},\n", name, pkg, pkg, pkg)
	}
	files := map[string]string{"go.mod": gomod, "go.sum": string(sum), "main.go": fmt.Sprintf(synthProgram, imports.String(), entries.String())}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "run", ".", filepath.Join(dir, "cdk.out"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off", "CDK_VALIDATION=false")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("the generated code doesn't build or synthesize: %v\n%s", err, stderr.String())
	}
	var out map[string]map[string]any
	if err := json.Unmarshal(stdout, &out); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	for _, m := range out {
		m["dir"] = filepath.Join(dir, "cdk.out")
	}
	return out
}

// TestGeneratedCodeSynthesizes builds the code generated for every case
// against the library and checks the templates: with upgrade == false each
// repository's properties are what the AWS CLI's output says, mapped to
// CloudFormation's names; with upgrade == true no create-only property
// (RepositoryName, EncryptionConfiguration: AWS::ECR::Repository's
// createOnlyProperties) differs; the logical IDs are the resource
// mapping's.
func TestGeneratedCodeSynthesizes(t *testing.T) {
	results := map[string]*Result{}
	for _, c := range cases {
		res, err := Generate(caseOptions(t, c))
		if err != nil {
			t.Fatal(err)
		}
		results[c] = res
	}
	out := synthAll(t, results)
	for _, c := range cases {
		t.Run(c, func(t *testing.T) {
			res := results[c]
			asIs := repositoriesOf(t, out[c]["false"])
			upgraded := repositoriesOf(t, out[c]["true"])

			var mapping map[string]map[string]string
			if err := json.Unmarshal(res.Mapping, &mapping); err != nil {
				t.Fatal(err)
			}
			for _, tpl := range []map[string]map[string]any{asIs, upgraded} {
				if got, want := sortedKeys(tpl), sortedKeys(mapping); !slices.Equal(got, want) {
					t.Fatalf("template's repositories %v, the resource mapping's %v", got, want)
				}
			}
			for _, r := range res.Repositories {
				before, after := asIs[r.LogicalID], upgraded[r.LogicalID]
				if mapping[r.LogicalID]["RepositoryName"] != r.Name {
					t.Errorf("%s: mapping names %q", r.LogicalID, mapping[r.LogicalID]["RepositoryName"])
				}
				for _, res := range []map[string]any{before, after} {
					if res["DeletionPolicy"] != "Retain" || res["UpdateReplacePolicy"] != "Retain" {
						t.Errorf("%s: DeletionPolicy %v, UpdateReplacePolicy %v; want Retain", r.Name, res["DeletionPolicy"], res["UpdateReplacePolicy"])
					}
				}
				got := normalize(t, before["Properties"].(map[string]any))
				want := expected(r)
				if !reflect.DeepEqual(got, want) {
					g, _ := json.MarshalIndent(got, "", " ")
					w, _ := json.MarshalIndent(want, "", " ")
					t.Errorf("%s, upgrade == false: properties\n%s\nwant (from the AWS CLI's output)\n%s", r.Name, g, w)
				}
				for _, prop := range []string{"RepositoryName", "EncryptionConfiguration"} {
					b, a := before["Properties"].(map[string]any)[prop], after["Properties"].(map[string]any)[prop]
					if !reflect.DeepEqual(b, a) {
						t.Errorf("%s: create-only %s changes with upgrade: %v -> %v", r.Name, prop, b, a)
					}
				}
				up := after["Properties"].(map[string]any)
				if up["ImageTagMutability"] != "IMMUTABLE" || up["ImageScanningConfiguration"].(map[string]any)["ScanOnPush"] != true || up["LifecyclePolicy"] == nil {
					t.Errorf("%s, upgrade == true: not at the secure defaults: %v", r.Name, up)
				}
				if r.PolicyText != "" && !reflect.DeepEqual(permissions(t, up["RepositoryPolicyText"]), permissions(t, before["Properties"].(map[string]any)["RepositoryPolicyText"])) {
					t.Errorf("%s: upgrade changes the repository policy", r.Name)
				}
			}
			warned := warnings(t, filepath.Join(out[c]["dir"].(string), c), "AES256 encryption is create-only")
			for _, r := range res.Repositories {
				if got, want := warned["/AdoptedRepositories/"+r.ConstructID], r.Encryption == "AES256"; got != want {
					t.Errorf("%s (%s): AES256 warning %t, want %t", r.Name, r.Encryption, got, want)
				}
			}
		})
	}
}

// repositoriesOf returns a template's AWS::ECR::Repository resources by
// logical ID, and fails on any other resource: an import template holds
// only what is imported.
func repositoriesOf(t *testing.T, template any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for id, r := range template.(map[string]any)["Resources"].(map[string]any) {
		res := r.(map[string]any)
		if res["Type"] != "AWS::ECR::Repository" {
			t.Errorf("resource %s of type %v in the template", id, res["Type"])
			continue
		}
		out[id] = res
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// expected maps a repository as the AWS CLI describes it to
// AWS::ECR::Repository's properties, in the normalized form of normalize.
func expected(r *Repository) map[string]any {
	p := map[string]any{
		"RepositoryName":             r.Name,
		"ImageTagMutability":         r.Mutability,
		"ImageScanningConfiguration": map[string]any{"ScanOnPush": r.ScanOnPush},
	}
	if len(r.Exclusions) > 0 {
		var filters []any
		for _, f := range r.Exclusions {
			filters = append(filters, map[string]any{"ImageTagMutabilityExclusionFilterType": "WILDCARD", "ImageTagMutabilityExclusionFilterValue": f})
		}
		p["ImageTagMutabilityExclusionFilters"] = filters
	}
	// AES256 is CloudFormation's default, written by neither CDK's
	// Repository nor the library (an explicit one replaces a repository
	// created without it: cloudformation-coverage-roadmap #2502).
	switch {
	case r.Encryption != "AES256" && r.KeyARN != "":
		p["EncryptionConfiguration"] = map[string]any{"EncryptionType": r.Encryption, "KmsKey": r.KeyARN}
	case r.Encryption != "AES256":
		p["EncryptionConfiguration"] = map[string]any{"EncryptionType": r.Encryption}
	}
	if r.LifecycleText != "" {
		p["LifecyclePolicy"] = map[string]any{"LifecyclePolicyText": lifecycleRules(r.LifecycleText)}
	}
	if r.PolicyText != "" {
		p["RepositoryPolicyText"] = permissionsOf(r.PolicyText)
	}
	if len(r.Tags) > 0 {
		var tags []any
		for _, k := range sortedTags(r.Tags) {
			tags = append(tags, map[string]any{"Key": k, "Value": r.Tags[k]})
		}
		p["Tags"] = tags
	}
	return p
}

// normalize makes a template's properties comparable with expected: the
// lifecycle policy text as its rules in priority order, the repository
// policy as its permissions.
func normalize(t *testing.T, props map[string]any) map[string]any {
	t.Helper()
	out := map[string]any{}
	for k, v := range props {
		out[k] = v
	}
	if lp, ok := props["LifecyclePolicy"].(map[string]any); ok {
		out["LifecyclePolicy"] = map[string]any{"LifecyclePolicyText": lifecycleRules(lp["LifecyclePolicyText"].(string))}
	}
	if rp, ok := props["RepositoryPolicyText"]; ok {
		out["RepositoryPolicyText"] = permissions(t, rp)
	}
	return out
}

// lifecycleRules decodes a lifecycle policy text into its rules sorted by
// priority: ECR applies rules by priority, whatever their order.
func lifecycleRules(text string) any {
	var doc struct {
		Rules []map[string]any `json:"rules"`
	}
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		return "invalid: " + err.Error()
	}
	sort.SliceStable(doc.Rules, func(i, j int) bool {
		return doc.Rules[i]["rulePriority"].(float64) < doc.Rules[j]["rulePriority"].(float64)
	})
	out := make([]any, len(doc.Rules))
	for i, r := range doc.Rules {
		out[i] = r
	}
	return out
}

func permissions(t *testing.T, policy any) any {
	t.Helper()
	b, err := json.Marshal(policy)
	if err != nil {
		t.Fatal(err)
	}
	return permissionsOf(string(b))
}

// permissionsOf reads a policy into what it allows or denies: its Version
// and the sorted set of (Sid, Effect, principal, action, condition) it
// grants, one per principal and action. IAM reads "x" and ["x"] alike, and
// CDK (with @aws-cdk/aws-iam:minimizePolicies, a recommended flag) merges
// statements without a Sid that differ only in principals or actions, so
// the policies are compared by what they say, not how.
func permissionsOf(text string) any {
	var doc struct {
		Version   string
		Statement []map[string]any
	}
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		return "invalid: " + err.Error()
	}
	list := func(v any) []string {
		switch v := v.(type) {
		case string:
			return []string{v}
		case []any:
			var out []string
			for _, s := range v {
				out = append(out, s.(string))
			}
			return out
		}
		return nil
	}
	var grants []string
	for _, s := range doc.Statement {
		cond, _ := json.Marshal(s["Condition"])
		var principals []string
		switch p := s["Principal"].(type) {
		case string:
			principals = []string{p}
		case map[string]any:
			for kind, v := range p {
				for _, x := range list(v) {
					principals = append(principals, kind+":"+x)
				}
			}
		}
		for _, p := range principals {
			for _, a := range list(s["Action"]) {
				grants = append(grants, fmt.Sprintf("%v|%v|%s|%s|%s", s["Sid"], s["Effect"], p, a, cond))
			}
		}
	}
	sort.Strings(grants)
	return map[string]any{"Version": doc.Version, "Grants": grants}
}

// warnings returns the construct paths that carry a warning containing
// text in a cloud assembly: the metadata entries of its stacks, in the
// manifest or in a stack's additional metadata file.
func warnings(t *testing.T, dir, text string) map[string]bool {
	t.Helper()
	type entry struct {
		Type string `json:"type"`
		Data any    `json:"data"`
	}
	var manifest struct {
		Artifacts map[string]struct {
			Metadata               map[string][]entry `json:"metadata"`
			AdditionalMetadataFile string             `json:"additionalMetadataFile"`
		} `json:"artifacts"`
	}
	read := func(path string, v any) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatal(err)
		}
	}
	read(filepath.Join(dir, "manifest.json"), &manifest)
	out := map[string]bool{}
	for _, a := range manifest.Artifacts {
		all := []map[string][]entry{a.Metadata}
		if a.AdditionalMetadataFile != "" {
			var more map[string][]entry
			read(filepath.Join(dir, a.AdditionalMetadataFile), &more)
			all = append(all, more)
		}
		for _, byPath := range all {
			for path, entries := range byPath {
				for _, e := range entries {
					if s, ok := e.Data.(string); ok && e.Type == "aws:cdk:warning" && strings.Contains(s, text) {
						out[path] = true
					}
				}
			}
		}
	}
	return out
}
