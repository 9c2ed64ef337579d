package lifecyclecli

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/gkampitakis/go-snaps/snaps"
)

// run runs the command and returns its exit status and output.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(args, strings.NewReader(stdin), &stdout, &stderr)
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

const now = "2026-06-01T00:00:00Z"

func TestPreviewTableGolden(t *testing.T) {
	code, out, errOut := run(t, "", "preview", "--policy", "testdata/policy.json", "--images", "testdata/images.json", "--now", now)
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	golden(t, "preview-table", out)
}

func TestPreviewJSONGolden(t *testing.T) {
	code, out, errOut := run(t, "", "preview", "--format", "json", "--policy", "testdata/policy.json", "--images", "testdata/images.json", "--now", now)
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.HasPrefix(errOut, "Note: ECR keeps untagged images") {
		t.Errorf("stderr = %q, want the manifest-list note", errOut)
	}
	golden(t, "preview-json", out)
}

func TestPreviewReadsStandardInput(t *testing.T) {
	images, _ := os.ReadFile("testdata/images.json")
	policy, _ := os.ReadFile("testdata/policy.json")
	_, want, _ := run(t, "", "preview", "--policy", "testdata/policy.json", "--images", "testdata/images.json", "--now", now)
	if code, out, errOut := run(t, string(images), "preview", "--policy", "testdata/policy.json", "--images", "-", "--now", now); code != ExitOK || out != want {
		t.Errorf("images from stdin: exit %d, stderr %q", code, errOut)
	}
	if code, out, errOut := run(t, string(policy), "preview", "--policy", "-", "--images", "testdata/images.json", "--now", now); code != ExitOK || out != want {
		t.Errorf("policy from stdin: exit %d, stderr %q", code, errOut)
	}
}

func TestPreviewOfAnEmptyRepository(t *testing.T) {
	code, out, _ := run(t, `{"imageDetails": []}`, "preview", "--policy", "testdata/policy.json", "--images", "-", "--now", now)
	if code != ExitOK || out != "No image would be expired or archived.\n\n0 images: 0 kept, 0 expired, 0 archived.\n" {
		t.Errorf("exit %d, output %q", code, out)
	}
	code, out, _ = run(t, `{"imageDetails": []}`, "preview", "--format", "json", "--policy", "testdata/policy.json", "--images", "-", "--now", now)
	if code != ExitOK || out != "{\"actions\":[]}\n" {
		t.Errorf("exit %d, output %q", code, out)
	}
}

func TestValidate(t *testing.T) {
	code, out, errOut := run(t, "", "validate", "--policy", "testdata/policy.json")
	if code != ExitOK || out != "testdata/policy.json: valid, 5 rules\n" || errOut != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestValidateTakesGetLifecyclePolicyOutput(t *testing.T) {
	const wrapped = `{"registryId":"123456789012","repositoryName":"shop/web","lifecyclePolicyText":"{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":5},\"action\":{\"type\":\"expire\"}}]}","lastEvaluatedAt":"2026-05-01T00:00:00+00:00"}`
	code, out, errOut := run(t, wrapped, "validate", "--policy", "-")
	if code != ExitOK || out != "<stdin>: valid, 1 rules\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestValidatePrintsEveryProblemOnItsOwnLine(t *testing.T) {
	const policy = `{"rules":[
		{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":0},"action":{"type":"expire"}},
		{"rulePriority":2,"description":"old pr builds","selection":{"tagStatus":"tagged","tagPrefixList":["pr-"],"countType":"sinceImagePushed","countNumber":7},"action":{"type":"expire"},"note":"x"}]}`
	code, out, errOut := run(t, policy, "validate", "--policy", "-")
	want := `<stdin>: rules[0]: selection.countNumber 0: must be a positive integer
<stdin>: rules[0]: selection.tagStatus "any": a rule selecting any tag status must have the highest rulePriority of the standard rules, but rules[1] ("old pr builds") has rulePriority 2
<stdin>: rules[1] ("old pr builds"): note: unknown field; ECR knows rulePriority, description, selection, action
<stdin>: rules[1] ("old pr builds"): selection.countUnit: is required with countType "sinceImagePushed" and must be "days"
`
	if code != ExitInvalid || out != "" || errOut != want {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant:\n%s", code, out, errOut, want)
	}
}

func TestInvalidInputExitsOneWithNothingOnStdout(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"policy file missing", "", []string{"validate", "--policy", "testdata/nope.json"},
			"testdata/nope.json: open testdata/nope.json: no such file or directory\n"},
		{"policy not JSON", "rules:", []string{"validate", "--policy", "-"},
			"<stdin>: policy: policy rules:: must be a JSON object {\"rules\": [...]}\n"},
		{"invalid policy in preview", `{"rules":[]}`, []string{"preview", "--policy", "-", "--images", "testdata/images.json"},
			"<stdin>: policy: rules []: a policy needs at least one rule\n"},
		{"inventory not describe-images", `{"images":[]}`, []string{"preview", "--policy", "testdata/policy.json", "--images", "-"},
			"<stdin>: has no \"imageDetails\": give the output of aws ecr describe-images\n"},
		{"inventory with a bad time", `[{"imageDigest":"sha256:a","imagePushedAt":"last week"}]`, []string{"preview", "--policy", "testdata/policy.json", "--images", "-"},
			"<stdin>: imageDetails[0] (sha256:a): imagePushedAt \"last week\": must be an ISO 8601 timestamp from the years 1678 to 2261, such as 2026-05-14T18:22:58.657000+09:00, or epoch seconds\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.stdin, tt.args...)
			if code != ExitInvalid || out != "" || errOut != tt.want {
				t.Errorf("exit %d, stdout %q, stderr %q\nwant stderr %q", code, out, errOut, tt.want)
			}
		})
	}
}

func TestWrongUsageExitsTwo(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "ecr-lifecycle: no command given"},
		{[]string{"prune"}, `ecr-lifecycle: unknown command "prune"`},
		{[]string{"validate"}, "ecr-lifecycle validate: --policy is required"},
		{[]string{"preview", "--images", "i.json"}, "ecr-lifecycle preview: --policy is required"},
		{[]string{"preview", "--policy", "p.json"}, "ecr-lifecycle preview: --images is required"},
		{[]string{"preview", "--policy", "-", "--images", "-"}, "ecr-lifecycle preview: only one of --policy and --images can be - (standard input)"},
		{[]string{"preview", "--policy", "p", "--images", "i", "--format", "yaml"}, `ecr-lifecycle preview: --format "yaml": must be table or json`},
		{[]string{"preview", "--policy", "p", "--images", "i", "--now", "tomorrow"}, `ecr-lifecycle preview: --now "tomorrow": must be RFC 3339 or a date (midnight UTC) from the years 1678 to 2261, such as 2026-06-01T00:00:00Z or 2026-06-01`},
		{[]string{"preview", "--policy", "p", "--images", "i", "--now", "3000-01-01T00:00:00Z"}, `ecr-lifecycle preview: --now "3000-01-01T00:00:00Z": must be RFC 3339 or a date (midnight UTC) from the years 1678 to 2261, such as 2026-06-01T00:00:00Z or 2026-06-01`},
		{[]string{"preview", "--policy", "p", "--images", "i", "extra"}, `ecr-lifecycle preview: unexpected argument "extra"`},
		{[]string{"validate", "--rules", "p"}, "ecr-lifecycle validate: flag provided but not defined: -rules"},
	}
	for _, tt := range tests {
		code, out, errOut := run(t, "", tt.args...)
		first, _, _ := strings.Cut(errOut, "\n")
		if code != ExitUsage || out != "" || first != tt.want || !strings.Contains(errOut, "Usage:") {
			t.Errorf("%q: exit %d, stdout %q, first line %q; want %q and the usage", tt.args, code, out, first, tt.want)
		}
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"preview", "-h"}} {
		code, out, _ := run(t, "", args...)
		if code != ExitOK || out != Usage {
			t.Errorf("%q: exit %d", args, code)
		}
	}
}
