package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/organization"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
)

// controlTowerExceptions are the AWS Control Tower proactive controls an
// example breaks on purpose, by stack, with the reason the README gives.
var controlTowerExceptions = map[string]map[string]string{
	"EcrDev":     {"CT.ECR.PR.3": "the development preset makes tags mutable, by choice"},
	"EcrService": {"CT.LAMBDA.PR.3": "the example's function runs outside a VPC"},
}

// Every example template passes AWS Control Tower's proactive controls, as
// AWS publishes them for cfn-guard in the npm package
// @cdklabs/cdk-validator-cfnguard (installed by `make setup`), except the
// listed exceptions, which must still be needed.
func TestExamplesPassControlTowerProactiveControls(t *testing.T) {
	guard, rules := controlTowerTools(t)
	app := cdktest.NewApp(t, &cdktest.AppOptions{SkipNag: true})
	stacks := Stacks(app)
	asm := cdktest.Synth(t, app)
	templates := map[string]string{}
	for _, stack := range stacks {
		templates[*stack.StackName()] = filepath.Join(asm.Dir(), *stack.StackName()+".template.json")
	}
	// The template the organization example's stack set deploys to every
	// member account is checked like a stack of its own.
	for _, stack := range stacks {
		if _, ok := stack.Node().TryFindChild(jsii.String("RegistryBaseline")).(organization.BaselineStackSet); ok {
			file := filepath.Join(t.TempDir(), "EcrOrganizationBaseline.template.json")
			props := cdktest.Resource(t, asm.Template(t, *stack.StackName()), "AWS::CloudFormation::StackSet")["Properties"].(map[string]any)
			body, ok := props["TemplateBody"].(string)
			if !ok {
				t.Fatal("the organization example's baseline no longer travels inline")
			}
			if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			templates["EcrOrganizationBaseline"] = file
		}
	}
	report := failingControls(t, guard, rules, slices.Collect(maps.Values(templates)))
	for _, name := range slices.Sorted(maps.Keys(templates)) {
		failed := report[templates[name]]
		for control, resources := range failed {
			if _, ok := controlTowerExceptions[name][control]; !ok {
				t.Errorf("%s: fails %s at %v", name, control, resources)
			}
		}
		for control := range controlTowerExceptions[name] {
			if _, ok := failed[control]; !ok {
				t.Errorf("%s: the exception for %s is no longer needed; remove it from the list and the README", name, control)
			}
		}
	}
}

// controlTowerTools returns the cfn-guard binary and the Control Tower rules
// of the package `make setup` unpacks into .tools/cfnguard.
func controlTowerTools(t *testing.T) (guard, rules string) {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	pkg := filepath.Join(root, ".tools", "cfnguard", "package")
	guard = filepath.Join(pkg, "bin", "ubuntu", "x86_64", "cfn-guard")
	rules = filepath.Join(pkg, "rules", "control-tower", "cfn-guard")
	for _, p := range []string{guard, rules} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s is missing: run `make setup`, which unpacks @cdklabs/cdk-validator-cfnguard", p)
		}
	}
	return guard, rules
}

var (
	controlID  = regexp.MustCompile(`\[(CT\.[A-Z0-9]+\.PR\.\d+)\]`)
	resourceID = regexp.MustCompile(`/Resources/([^/\[]+)/`)
)

// failingControls runs every rule over the templates, in one run of
// cfn-guard (it loads the rules once, about 1.5 s, where a run per template
// took that each time), and returns, by template file, the failing controls
// with the logical ids of the resources that fail them.
func failingControls(t *testing.T, guard, rules string, templates []string) map[string]map[string][]string {
	t.Helper()
	args := []string{"validate", "-r", rules, "-S", "none", "-z", "-o", "json"}
	for _, f := range templates {
		args = append(args, "-d", f)
	}
	out, err := exec.Command(guard, args...).Output()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 19) { // 19: some rule failed
		t.Fatalf("cfn-guard: %v", err)
	}
	var reports []struct {
		Name         string            `json:"name"`
		NotCompliant []json.RawMessage `json:"not_compliant"`
	}
	if err := json.Unmarshal(out, &reports); err != nil {
		t.Fatalf("cfn-guard output: %v", err)
	}
	if len(reports) != len(templates) {
		t.Fatalf("cfn-guard reported on %d templates, was given %d", len(reports), len(templates))
	}
	byFile := map[string]map[string][]string{}
	for _, r := range reports {
		failed := map[string][]string{}
		for _, rule := range r.NotCompliant {
			for _, c := range controlID.FindAllStringSubmatch(string(rule), -1) {
				for _, res := range resourceID.FindAllStringSubmatch(string(rule), -1) {
					if !slices.Contains(failed[c[1]], res[1]) {
						failed[c[1]] = append(failed[c[1]], res[1])
					}
				}
				if failed[c[1]] == nil {
					failed[c[1]] = []string{fmt.Sprintf("(%s)", filepath.Base(r.Name))}
				}
			}
		}
		byFile[r.Name] = failed
	}
	return byFile
}
