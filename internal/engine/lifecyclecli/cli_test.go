package lifecyclecli

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gkampitakis/go-snaps/snaps"
)

// run runs the command and returns its exit status and output.
func run(t testing.TB, stdin string, args ...string) (int, string, string) {
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
	if code != ExitOK || out != "{\"actions\":[],\"deferred\":[],\n\"summary\":{\"images\":0,\"kept\":0,\"expired\":0,\"archived\":0,\"held\":0,\"deferred\":0,\"bytesFreed\":0,\"bytesExact\":false,\"expiredWithoutSize\":0}}\n" {
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
	if code != ExitOK || out != "<stdin>: valid, 1 rule\n" {
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

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"preview", "-h"}} {
		code, out, _ := run(t, "", args...)
		if code != ExitOK || out != Usage {
			t.Errorf("%q: exit %d", args, code)
		}
	}
}

func TestPreviewWithManifestsGolden(t *testing.T) {
	code, out, errOut := run(t, "", "preview", "--policy", "testdata/policy.json", "--images", "testdata/images-multiarch.json",
		"--manifests", "testdata/manifests.json", "--now", "2026-06-01")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	golden(t, "preview-manifests-table", out)
}

func TestPreviewWithManifestListsOnlyJSONGolden(t *testing.T) {
	code, out, errOut := run(t, "", "preview", "--format", "json", "--policy", "testdata/policy.json", "--images", "testdata/images-multiarch.json",
		"--manifests", "testdata/manifest-lists.json", "--now", "2026-06-01")
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	golden(t, "preview-manifest-lists-json", out+"--- standard error ---\n"+errOut)
	if strings.Contains(errOut, "describe-images does not show") {
		t.Error("the generic manifest-list note is printed though every list was given")
	}
}

func TestPreviewFromTemplateGolden(t *testing.T) {
	code, out, errOut := run(t, "", "preview", "--template", "testdata/app.template.json", "--repository", "BuildsRepo9D1E4A33",
		"--images", "testdata/images.json", "--now", now)
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	golden(t, "preview-template", out)
}

func TestValidateTemplateGolden(t *testing.T) {
	code, out, errOut := run(t, "", "validate", "--template", "testdata/app.template.json")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	golden(t, "validate-template", out)

	code, out, errOut = run(t, "", "validate", "--template", "testdata/invalid.template.json")
	if code != ExitInvalid || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	golden(t, "validate-template-invalid", errOut)
}

func TestNowTakesADate(t *testing.T) {
	_, want, _ := run(t, "", "preview", "--policy", "testdata/policy.json", "--images", "testdata/images.json", "--now", "2026-06-01T00:00:00Z")
	code, got, errOut := run(t, "", "preview", "--policy", "testdata/policy.json", "--images", "testdata/images.json", "--now", "2026-06-01")
	if code != ExitOK || got != want {
		t.Errorf("exit %d, stderr %q; a date is not midnight UTC:\n%s\nwant\n%s", code, errOut, got, want)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, errOut := run(t, "", args...)
		if code != ExitOK || errOut != "" || !strings.HasPrefix(out, "ecr-lifecycle ") || strings.Count(out, "\n") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

func TestJSONSyntaxErrorsNameTheLineAndColumn(t *testing.T) {
	const policy = "{\"rules\": [\n  {\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 5},\n   \"action\": {\"type\": \"expire\"}}\n\n  {\"rulePriority\": 2}\n]}\n"
	code, out, errOut := run(t, policy, "validate", "--policy", "-")
	if want := "<stdin>:5:3: invalid character '{' after array element\n"; code != ExitInvalid || out != "" || errOut != want {
		t.Errorf("exit %d, stdout %q, stderr %q, want %q", code, out, errOut, want)
	}
}

func TestCountsOfOneAreSingular(t *testing.T) {
	const policy = `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}}]}`
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/policy.json", []byte(policy), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, "", "validate", "--policy", dir+"/policy.json"); code != ExitOK || out != dir+"/policy.json: valid, 1 rule\n" {
		t.Errorf("validate: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	one := `{"imageDetails":[{"repositoryName":"shop/web","imageDigest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","imagePushedAt":"2026-05-01T00:00:00Z","imageSizeInBytes":1024}]}`
	code, out, errOut := run(t, one, "preview", "--policy", dir+"/policy.json", "--images", "-", "--now", now)
	if code != ExitOK || !strings.Contains(out, "\n1 image: 0 kept, 1 expired, 0 archived; at most 1.0 KiB freed") {
		t.Errorf("preview of 1 image: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	two := `{"imageDetails":[{"repositoryName":"shop/web","imageDigest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","imagePushedAt":"2026-05-01T00:00:00Z","imageSizeInBytes":1024},
		{"repositoryName":"shop/web","imageDigest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","imagePushedAt":"2026-05-01T00:00:00Z"}]}`
	code, out, errOut = run(t, two, "preview", "--policy", dir+"/policy.json", "--images", "-", "--now", now)
	if code != ExitOK || !strings.Contains(out, "; 1 expired image has no size).") {
		t.Errorf("preview of an image without a size: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestAgesNeverRoundUp(t *testing.T) {
	at := func(since time.Duration) string {
		n, _ := time.Parse(time.RFC3339, now)
		return n.Add(-since).Format(time.RFC3339Nano)
	}
	for _, tt := range []struct {
		since time.Duration
		want  string
	}{
		{7*24*time.Hour - time.Second, "6d23h"},
		{7*24*time.Hour + time.Second, "7d"},
		{7*24*time.Hour + 90*time.Minute, "7d1h"},
		{10*24*time.Hour - time.Second, "9d23h"},
		{11*24*time.Hour - time.Second, "10d"},
		{23*time.Hour + 59*time.Minute, "23h"},
		{30 * time.Minute, "0h"},
		{-time.Hour, "0h"},
	} {
		if got := age(mustUnixNano(t, at(tt.since)), mustTime(t, now)); got != tt.want {
			t.Errorf("age of %v: %q, want %q", tt.since, got, tt.want)
		}
	}
	// An image a 7-day rule expires reads 7d, and one a day younger, which
	// a 6-day rule expires, 6d23h; neither rounds up to the rule's days.
	images := `{"imageDetails":[{"imageDigest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","imageTags":["a"],"imagePushedAt":"` + at(7*24*time.Hour-time.Minute) + `"}]}`
	policy := `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":6},"action":{"type":"expire"}}]}`
	dir := t.TempDir()
	os.WriteFile(dir+"/p.json", []byte(policy), 0o600)
	code, out, errOut := run(t, images, "preview", "--policy", dir+"/p.json", "--images", "-", "--now", now)
	if code != ExitOK || !strings.Contains(out, "  a     6d23h   never") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustUnixNano(t *testing.T, s string) int64 { t.Helper(); return mustTime(t, s).UnixNano() }
