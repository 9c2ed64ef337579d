package diffcmd

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gkampitakis/go-snaps/snaps"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
)

// runCmd runs ecr-cdk diff as the command line `ecr-cdk ARGS...` would
// (args[0] is "diff") and returns its exit status and output.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	if len(args) == 0 || args[0] != "diff" {
		t.Fatalf("runCmd %q: not ecr-cdk diff", args)
	}
	var stdout, stderr bytes.Buffer
	code := Run(args[1:], &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// golden compares output with testdata/<name>_1.snap.txt; `make snapshots`
// rewrites it.
func golden(t *testing.T, name, output string) {
	t.Helper()
	snaps.WithConfig(
		snaps.Dir("testdata"),
		snaps.Filename(name),
		snaps.Ext(".txt"),
		snaps.Update(os.Getenv("UPDATE_SNAPS") == "true"),
	).MatchStandaloneSnapshot(t, output)
}

const now = "2026-06-01"

// testdata/old and testdata/new are cloud assemblies of two stacks in one
// account and Region; new moves the scanning configuration to the other
// stack, moves a named repository to another logical id, weakens a log
// group's policies, switches EmptyOnDelete on, shortens a lifecycle policy
// and changes a cache rule's credential.
func TestDiffAssembliesGolden(t *testing.T) {
	code, out, errOut := runCmd(t, "diff", "testdata/old", "testdata/new", "--now", now, "--images", "shop/web=testdata/images.json")
	if code != cli.ExitRefused {
		t.Errorf("exit %d, want 1", code)
	}
	golden(t, "diff-table", out+"--- standard error ---\n"+errOut)
}

func TestDiffJSONGolden(t *testing.T) {
	code, out, errOut := runCmd(t, "diff", "--format", "json", "--now", now, "testdata/old", "testdata/new",
		"--allow", "BuildLogs9A8B7C6D=the logs are exported to S3")
	if code != cli.ExitRefused {
		t.Errorf("exit %d, want 1", code)
	}
	var doc struct {
		Findings []map[string]any
		Summary  map[string]int
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary["allowed"] != 2 {
		t.Errorf("summary %v", doc.Summary)
	}
	golden(t, "diff-json", out+"--- standard error ---\n"+errOut)
}

// Every error acknowledged: exit 0, the findings still printed as allowed.
func TestDiffAcknowledgedGolden(t *testing.T) {
	code, out, errOut := runCmd(t, "diff", "testdata/old", "testdata/new", "--now", now,
		"--images", "shop/web=testdata/images.json",
		"--allow", "BuildLogs9A8B7C6D=the logs are exported to S3",
		"--allow", "ApiRepo77AA88BB=renamed in the same change, deployed by hand",
		"--allow", "Images/WebRepo0C1D2E3F=release-2025.11.3 is no longer deployed",
		"--allow", "Scanning1A2B3C4D=Registry is deployed first",
		"--allow", "Unknown1234=typo")
	if code != cli.ExitOK {
		t.Errorf("exit %d, want 0; stderr %q", code, errOut)
	}
	if strings.Count(out, ", allowed (") != 6 {
		t.Errorf("not every error is marked allowed:\n%s", out)
	}
	golden(t, "diff-acknowledged", out+"--- standard error ---\n"+errOut)
}

// writeTemplate writes a template into a temporary directory.
func writeTemplate(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Changes that lose nothing exit 0.
func TestDiffPasses(t *testing.T) {
	// A golden template against itself, and against the same template with
	// a tag and scan-on-push changed and a repository added.
	registry := "../../../examples/registry/testdata/EcrRegistry_1.snap.json"
	code, out, errOut := runCmd(t, "diff", registry, registry)
	if code != cli.ExitOK || errOut != "" || !strings.HasPrefix(out, "No finding") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	old, _ := os.ReadFile("testdata/old/Images.template.json")
	changed := strings.Replace(string(old), `"ScanOnPush": true`, `"ScanOnPush": false`, 1)
	changed = strings.Replace(changed, `"Value": "shop"`, `"Value": "shop-web"`, 1)
	changed = strings.Replace(changed, `"Resources": {`, `"Resources": {"NewRepo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "shop/new"}},`, 1)
	// A lifecycle change that expires nothing new: keep 5 releases, not 10.
	changed = strings.Replace(changed, `countNumber\": 10`, `countNumber\": 5`, 1)
	if changed == string(old) || !strings.Contains(changed, "NewRepo") || !strings.Contains(changed, `countNumber\": 5`) {
		t.Fatal("the template did not change as meant")
	}
	newPath := writeTemplate(t, "Images.template.json", changed)
	code, out, errOut = runCmd(t, "diff", "testdata/old/Images.template.json", newPath, "--images", "shop/web=testdata/images.json", "--now", now)
	want := "Images/WebRepo0C1D2E3F (AWS::ECR::Repository): note: lifecycle-impact: the lifecycle policy changes; over the 10 images of shop/web it expires and archives nothing the old one does not\n\n1 finding: 0 would lose something, 0 allowed, 1 note.\n"
	if code != cli.ExitOK || out != want || errOut != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// A template file compares with the one stack of an assembly; the output
// of aws cloudformation get-template is a template too.
func TestDiffFileAgainstAssembly(t *testing.T) {
	old, _ := os.ReadFile("testdata/old/Registry.template.json")
	deployed := writeTemplate(t, "deployed.json", `{"TemplateBody": `+string(old)+`, "StagesAvailable": ["Original", "Processed"]}`)
	dir := t.TempDir()
	manifest := `{"version": "48.0.0", "artifacts": {"Registry": {"type": "aws:cloudformation:stack", "environment": "aws://123456789012/eu-west-1", "properties": {"templateFile": "Registry.template.json"}}}}`
	os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(manifest), 0o644)
	os.WriteFile(filepath.Join(dir, "Registry.template.json"), old, 0o644)
	code, out, errOut := runCmd(t, "diff", deployed, dir)
	if code != cli.ExitOK || !strings.HasPrefix(out, "No finding") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	newer, _ := os.ReadFile("testdata/new/Registry.template.json")
	os.WriteFile(filepath.Join(dir, "Registry.template.json"), newer, 0o644)
	code, out, _ = runCmd(t, "diff", deployed, dir)
	if code != cli.ExitOK || !strings.Contains(out, "Registry/Scanning1A2B3C4D (AWS::ECR::RegistryScanningConfiguration): note: registry-setting-removed: ") {
		t.Errorf("exit %d, stdout %q", code, out)
	}
}

func TestDiffUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"diff"}, "ecr-cdk diff: OLD and NEW are required (see ecr-cdk diff --help)\n"},
		{[]string{"diff", "a", "b", "c"}, "ecr-cdk diff: unexpected argument \"c\" (see ecr-cdk diff --help)\n"},
		{[]string{"diff", "a", "b", "--allow", "X"}, "ecr-cdk diff: invalid value \"X\" for flag -allow: want LOGICAL_ID=REASON (see ecr-cdk diff --help)\n"},
		{[]string{"diff", "a", "b", "--allow", "X= "}, "ecr-cdk diff: invalid value \"X= \" for flag -allow: X: a reason is required (see ecr-cdk diff --help)\n"},
		{[]string{"diff", "a", "b", "--allow", "X=1", "--allow", "X=2"}, "ecr-cdk diff: invalid value \"X=2\" for flag -allow: X is given twice (see ecr-cdk diff --help)\n"},
		{[]string{"diff", "a", "b", "--images", "web"}, "ecr-cdk diff: invalid value \"web\" for flag -images: want NAME=IMAGES.json (see ecr-cdk diff --help)\n"},
		{[]string{"diff", "a", "b", "--format", "yaml"}, "ecr-cdk diff: --format \"yaml\": must be table or json (see ecr-cdk diff --help)\n"},
		{[]string{"diff", "a", "b", "--now", "soon"}, ""},
		{[]string{"diff", "--color", "a", "b"}, "ecr-cdk diff: flag provided but not defined: -color (see ecr-cdk diff --help)\n"},
	} {
		code, out, errOut := runCmd(t, tc.args...)
		if code != cli.ExitUsage || out != "" || strings.Count(errOut, "\n") != 1 || (tc.want != "" && errOut != tc.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", tc.args, code, out, errOut)
		}
	}
	for _, args := range [][]string{{"diff", "--help"}, {"diff", "-h"}, {"diff", "a", "-help"}} {
		if code, out, _ := runCmd(t, args...); code != cli.ExitOK || out != Usage {
			t.Errorf("%q: exit %d", args, code)
		}
	}
}

// Unreadable inputs are refused in one line.
func TestDiffUnreadableInputs(t *testing.T) {
	notTemplate := writeTemplate(t, "x.json", `{"AWSTemplateFormatVersion": "2010-09-09"}`)
	yaml := writeTemplate(t, "x.yaml", "Resources:\n  R:\n    Type: AWS::SNS::Topic\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"diff", "testdata/missing", "testdata/new"}, "ecr-cdk diff: stat testdata/missing: no such file or directory\n"},
		{[]string{"diff", "testdata", "testdata/new"}, "ecr-cdk diff: testdata: not a cloud assembly: no manifest.json\n"},
		{[]string{"diff", notTemplate, "testdata/new"}, "ecr-cdk diff: " + notTemplate + `: not a CloudFormation template: no "Resources" object` + "\n"},
		{[]string{"diff", yaml, "testdata/new"}, "ecr-cdk diff: " + yaml + ": not a JSON template (YAML templates are not read; `cdk synth` writes JSON)\n"},
		{[]string{"diff", "testdata/old", "testdata/new", "--images", "web=" + notTemplate}, ""},
	} {
		code, out, errOut := runCmd(t, tc.args...)
		if code != cli.ExitRefused || out != "" || errOut == "" || (tc.want != "" && errOut != tc.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", tc.args, code, out, errOut)
		}
	}
}
