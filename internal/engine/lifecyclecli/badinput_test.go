package lifecyclecli

import (
	"strings"
	"testing"
)

// badInput is one invalid run of the command: its arguments, its standard
// input, the exit status and the whole of standard error it must give (for
// wrong usage, the first line, which the usage text follows).
type badInput struct {
	name  string
	stdin string
	args  []string
	code  int
	want  string
}

const (
	policyFile = "testdata/policy.json"
	imagesFile = "testdata/images.json"
)

// previewWith runs preview on the fixtures with the manifests from stdin.
func previewWith(extra ...string) []string {
	return append([]string{"preview", "--policy", policyFile, "--images", imagesFile, "--manifests", "-"}, extra...)
}

func badInputs() []badInput {
	return []badInput{
		// Usage.
		{"no command", "", nil, ExitUsage, "ecr-lifecycle: no command given"},
		{"unknown command", "", []string{"prune"}, ExitUsage, `ecr-lifecycle: unknown command "prune"`},
		{"no policy", "", []string{"validate"}, ExitUsage, "ecr-lifecycle validate: --policy or --template is required"},
		{"policy and template", "", []string{"validate", "--policy", "p", "--template", "t"}, ExitUsage, "ecr-lifecycle validate: give --policy or --template, not both"},
		{"repository without template", "", []string{"preview", "--policy", "p", "--repository", "R", "--images", "i"}, ExitUsage, "ecr-lifecycle preview: --repository goes with --template"},
		{"repository in validate", "", []string{"validate", "--template", "t", "--repository", "R"}, ExitUsage, "ecr-lifecycle validate: flag provided but not defined: -repository"},
		{"no policy in preview", "", []string{"preview", "--images", "i.json"}, ExitUsage, "ecr-lifecycle preview: --policy or --template is required"},
		{"no images", "", []string{"preview", "--policy", "p.json"}, ExitUsage, "ecr-lifecycle preview: --images is required, or --repository-name, --repository-prefix or --all-repositories to read the registry"},
		{"two standard inputs", "", []string{"preview", "--policy", "-", "--images", "-"}, ExitUsage, "ecr-lifecycle preview: only one of --policy, --template, --images and --manifests can be - (standard input)"},
		{"images and manifests from standard input", "", []string{"preview", "--policy", "p", "--images", "-", "--manifests", "-"}, ExitUsage, "ecr-lifecycle preview: only one of --policy, --template, --images and --manifests can be - (standard input)"},
		{"unknown format", "", []string{"preview", "--policy", "p.json", "--images", "i.json", "--format", "csv"}, ExitUsage, `ecr-lifecycle preview: --format "csv": must be table or json`},
		{"now not a time", "", []string{"preview", "--policy", "p", "--images", "i", "--now", "tomorrow"}, ExitUsage,
			`ecr-lifecycle preview: --now "tomorrow": must be RFC 3339 or a date (midnight UTC) from the years 1678 to 2261, such as 2026-06-01T00:00:00Z or 2026-06-01`},
		{"now out of range", "", []string{"preview", "--policy", "p", "--images", "i", "--now", "3000-01-01"}, ExitUsage,
			`ecr-lifecycle preview: --now "3000-01-01": must be RFC 3339 or a date (midnight UTC) from the years 1678 to 2261, such as 2026-06-01T00:00:00Z or 2026-06-01`},
		{"extra argument", "", []string{"preview", "--policy", "p", "--images", "i", "extra"}, ExitUsage, `ecr-lifecycle preview: unexpected argument "extra"`},
		{"unknown flag", "", []string{"validate", "--rules", "p"}, ExitUsage, "ecr-lifecycle validate: flag provided but not defined: -rules"},
		{"several policies and no repository", "", []string{"preview", "--template", "testdata/app.template.json", "--images", imagesFile}, ExitUsage,
			"ecr-lifecycle preview: --repository is required: testdata/app.template.json has 3 lifecycle policies: BuildsRepo9D1E4A33, DefaultsTemplate5F6A7B8C, ImagesRepoB2A5C7F1"},

		// Policies.
		{"policy file missing", "", []string{"validate", "--policy", "testdata/nope.json"}, ExitInvalid,
			"testdata/nope.json: open testdata/nope.json: no such file or directory\n"},
		{"policy not JSON", "rules:", []string{"validate", "--policy", "-"}, ExitInvalid, "<stdin>:1:1: invalid character 'r' looking for beginning of value\n"},
		{"policy cut short", "{\"rules\": [\n", []string{"validate", "--policy", "-"}, ExitInvalid, "<stdin>:2:1: unexpected end of input\n"},
		{"policy not an object", "[]", []string{"validate", "--policy", "-"}, ExitInvalid, "<stdin>: policy: policy []: must be a JSON object {\"rules\": [...]}\n"},
		{"empty policy in preview", `{"rules":[]}`, []string{"preview", "--policy", "-", "--images", imagesFile}, ExitInvalid,
			"<stdin>: policy: rules []: a policy needs at least one rule\n"},
		{"a count given as a string", "{\"rules\": [\n  {\"rulePriority\": 1,\n   \"selection\": {\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", \"countNumber\": \"5\"},\n   \"action\": {\"type\": \"expire\"}}]}",
			[]string{"validate", "--policy", "-"}, ExitInvalid, "<stdin>:3:88: rules[0]: selection.countNumber \"5\": must be an integer\n"},
		{"a rule that is a number", "{\"rules\": [\n  7]}", []string{"validate", "--policy", "-"}, ExitInvalid, "<stdin>:2:3: rules[0]: rule 7: must be a JSON object\n"},
		{"zero count", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":0},"action":{"type":"expire"}}]}`,
			[]string{"validate", "--policy", "-"}, ExitInvalid, "<stdin>: rules[0]: selection.countNumber 0: must be a positive integer\n"},
		{"unknown policy field", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"},"keep":true}]}`,
			[]string{"validate", "--policy", "-"}, ExitInvalid, "<stdin>: rules[0]: keep: unknown field; ECR knows rulePriority, description, selection, action\n"},
		{"duplicate priorities name both rules", `{"rules":[
			{"rulePriority":3,"description":"pr builds","selection":{"tagStatus":"tagged","tagPrefixList":["pr-"],"countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}},
			{"rulePriority":3,"description":"untagged","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}`,
			[]string{"validate", "--policy", "-"}, ExitInvalid,
			"<stdin>: rules[1] (\"untagged\"): rulePriority 3: is also the priority of rules[0] (\"pr builds\"); priorities must be unique\n"},
		{"get-lifecycle-policy output with a broken policy text", `{"repositoryName":"shop/web","lifecyclePolicyText":"{\"rules\": [}"}`,
			[]string{"validate", "--policy", "-"}, ExitInvalid,
			"<stdin>: lifecyclePolicyText: invalid character '}' looking for beginning of value (at 1:12 of the policy text)\n"},

		// Inventories.
		{"inventory not describe-images", `{"images":[]}`, []string{"preview", "--policy", policyFile, "--images", "-"}, ExitInvalid,
			"<stdin>: has no \"imageDetails\": give the output of aws ecr describe-images\n"},
		{"inventory with a bad time", `{"imageDetails":[{"imageDigest":"sha256:1","imagePushedAt":"05/14/2026"}]}`, []string{"preview", "--policy", policyFile, "--images", "-"}, ExitInvalid,
			"<stdin>: imageDetails[0] (sha256:1): imagePushedAt \"05/14/2026\": must be an ISO 8601 timestamp from the years 1678 to 2261, such as 2026-05-14T18:22:58.657000+09:00, or epoch seconds\n"},
		{"inventory with a missing comma", "{\"imageDetails\": [\n  {\"imageDigest\": \"sha256:1\", \"imagePushedAt\": \"2026-05-01T00:00:00Z\"}\n  {\"imageDigest\": \"sha256:2\"}\n]}",
			[]string{"preview", "--policy", policyFile, "--images", "-"}, ExitInvalid, "<stdin>:3:3: imageDetails[1]: must be a describe-images image detail: expected comma after array element\n"},
		{"inventory with a type error", "{\"imageDetails\": [\n  {\"imageDigest\": \"sha256:1\", \"imageTags\": \"v1\"}\n]}",
			[]string{"preview", "--policy", policyFile, "--images", "-"}, ExitInvalid, "<stdin>:2:44: imageDetails[0] (sha256:1): imageTags: must be an array, not a string\n"},

		// Manifests.
		{"manifests file missing", "", []string{"preview", "--policy", policyFile, "--images", imagesFile, "--manifests", "testdata/nope.json"}, ExitInvalid,
			"testdata/nope.json: open testdata/nope.json: no such file or directory\n"},
		{"manifests not JSON", "images", previewWith(), ExitInvalid, "<stdin>:1:1: must be batch-get-image JSON: invalid character 'i' looking for beginning of value\n"},
		{"manifests empty", "", previewWith(), ExitInvalid, "<stdin>:1:1: must be batch-get-image JSON: unexpected end of input\n"},
		{"manifests cut short", "{\"images\": [\n  {\"imageId\": {\"imageDigest\": \"sha256:1\"}, \"imageManifest\": \"{}\"},\n", previewWith(), ExitInvalid,
			"<stdin>:3:1: images[1]: must be a batch-get-image image: unexpected end of input\n"},
		{"manifests of the wrong shape: describe-images", `{"imageDetails": []}`, previewWith(), ExitInvalid,
			"<stdin>: has no \"images\": give the output of aws ecr batch-get-image\n"},
		{"manifests of the wrong shape: images an object", `{"images": {"imageId": {}}}`, previewWith(), ExitInvalid, "<stdin>:1:12: images: must be an array\n"},
		{"manifests of the wrong shape: a string", `"sha256:1"`, previewWith(), ExitInvalid,
			"<stdin>: must be {\"images\": [...]} or a bare array: give the output of aws ecr batch-get-image\n"},
		{"manifest string not JSON", `{"images": [{"imageId": {"imageDigest": "sha256:1"}, "imageManifest": "not json"}]}`, previewWith(), ExitInvalid,
			"<stdin>: images[0] (sha256:1): imageManifest: must be a manifest, a JSON object: invalid character 'o' in literal null (expecting 'u') (at 1:2 of the manifest)\n"},
		{"manifest without digest", `{"images": [{"imageManifest": "{}"}]}`, previewWith(), ExitInvalid, "<stdin>: images[0]: imageId.imageDigest: is required\n"},

		// Templates.
		{"template file missing", "", []string{"validate", "--template", "testdata/nope.json"}, ExitInvalid,
			"testdata/nope.json: open testdata/nope.json: no such file or directory\n"},
		{"template not JSON", "{\n  \"Resources\": {\n    \"Repo\": {\"Type\": \"AWS::ECR::Repository\",}\n  }\n}", []string{"validate", "--template", "-"}, ExitInvalid,
			"<stdin>:3:45: invalid character '}' looking for beginning of object key string\n"},
		{"not a CloudFormation template", `{"imageDetails": []}`, []string{"validate", "--template", "-"}, ExitInvalid,
			"<stdin>: is not a CloudFormation template: it has no \"Resources\"\n"},
		{"template with no lifecycle policy", `{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"ImageTagMutability": "IMMUTABLE"}}}}`,
			[]string{"validate", "--template", "-"}, ExitInvalid,
			"<stdin>: has no lifecycle policy: no AWS::ECR::Repository with a LifecyclePolicy.LifecyclePolicyText and no AWS::ECR::RepositoryCreationTemplate with a LifecyclePolicy\n"},
		{"a stack of a cloud assembly not JSON", "", []string{"validate", "--template", "testdata/assembly-broken"}, ExitInvalid,
			"testdata/assembly-broken/Broken.template.json:3:45: invalid character '}' looking for beginning of object key string\n"},
		{"a repository name of two stacks", "", []string{"preview", "--template", "testdata/assembly-twice", "--repository", "shop/web", "--images", imagesFile}, ExitInvalid,
			"testdata/assembly-twice: --repository \"shop/web\": 2 repositories have this name; give the logical id of one: Blue/WebRepo1A2B3C4D (shop/web), Green/WebRepo1A2B3C4D (shop/web)\n"},
		{"unknown repository", "", []string{"preview", "--template", "testdata/app.template.json", "--repository", "Nope", "--images", imagesFile}, ExitInvalid,
			"testdata/app.template.json: --repository \"Nope\": no lifecycle policy has this logical id or repository name; the template's are BuildsRepo9D1E4A33, DefaultsTemplate5F6A7B8C, ImagesRepoB2A5C7F1\n"},
		{"unresolved policy in preview", "", []string{"preview", "--template", "testdata/invalid.template.json", "--repository", "JoinedRepo4E5F6A7B", "--images", imagesFile}, ExitInvalid,
			"testdata/invalid.template.json: JoinedRepo4E5F6A7B: Properties.LifecyclePolicy.LifecyclePolicyText: is an unresolved CloudFormation function (Fn::Join): its value is only known at deployment, so it can't be checked here\n"},
	}
}

func TestBadInputIsRefusedInOneLinePerProblem(t *testing.T) {
	for _, tt := range badInputs() {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit status %d, want %d", code, tt.code)
			}
			if out != "" {
				t.Errorf("wrote to standard output: %q", out)
			}
			if tt.code == ExitUsage {
				if want := usageLine(tt.want); errOut != want {
					t.Errorf("stderr\n got %q\nwant %q (one line and the hint to --help)", errOut, want)
				}
				return
			}
			if errOut != tt.want {
				t.Errorf("stderr\n got %q\nwant %q", errOut, tt.want)
			}
		})
	}
}

func TestLiveFlagsWithoutALiveMode(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"preview", "--policy", "testdata/policy.json", "--images", "testdata/images.json", "--region", "us-east-1"}, "ecr-lifecycle preview: --region goes with --repository-name, --repository-prefix or --all-repositories, not --images"},
		{[]string{"preview", "--policy", "testdata/policy.json", "--images", "testdata/images.json", "--repository-name", "x"}, "ecr-lifecycle preview: give --images or --repository-name/--repository-prefix/--all-repositories, not both"},
		{[]string{"preview", "--in-use", "ecs"}, "ecr-lifecycle preview: --repository-name, --repository-prefix or --all-repositories is required to read the registry"},
		{[]string{"preview", "--repository-name", "x", "--prices", "standard=1"}, "ecr-lifecycle preview: --prices goes with --repository-prefix or --all-repositories (the summary's cost)"},
		{[]string{"preview", "--repository-prefix", "x", "--in-use", "k8s"}, `ecr-lifecycle preview: --in-use "k8s": must be ecs, lambda or ecs,lambda`},
		{[]string{"preview", "--all-repositories", "--prices", "gold=1"}, `ecr-lifecycle preview: --prices "gold=1": unknown price "gold"; the prices are standard, archive and archive-over-150tb`},
		{[]string{"preview", "--repository-name", "x", "--all-repositories"}, "ecr-lifecycle preview: give one of --repository-name, --repository-prefix and --all-repositories"},
		{[]string{"diff", "--repository-name", "x"}, "ecr-lifecycle diff: --policy or --template is required (the new policy)"},
		{[]string{"diff", "--policy", "testdata/policy.json"}, "ecr-lifecycle diff: --repository-name, --repository-prefix or --all-repositories is required"},
	} {
		code, out, errOut := run(t, "", tt.args...)
		if want := usageLine(tt.want); code != ExitUsage || out != "" || errOut != want {
			t.Errorf("%v: exit %d, stderr %q, want %q", tt.args, code, errOut, want)
		}
	}
}

// usageLine is the one line a usage error prints: the message, then the
// hint to the command's help, "(see ecr-lifecycle preview --help)".
func usageLine(msg string) string {
	prefix, _, _ := strings.Cut(msg, ": ")
	return msg + " (see " + prefix + " --help)\n"
}

func TestUsageErrorsOfDiffNameDiff(t *testing.T) {
	code, out, errOut := run(t, "", "diff", "--template", "testdata/app.template.json", "--repository-name", "shop/web")
	want := "ecr-lifecycle diff: --repository is required: testdata/app.template.json has 3 lifecycle policies: BuildsRepo9D1E4A33, DefaultsTemplate5F6A7B8C, ImagesRepoB2A5C7F1 (see ecr-lifecycle diff --help)\n"
	if code != ExitUsage || out != "" || errOut != want {
		t.Errorf("exit %d, stderr\n got %q\nwant %q", code, errOut, want)
	}
}
