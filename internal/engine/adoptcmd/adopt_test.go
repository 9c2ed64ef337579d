package adoptcmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
)

// runCmd runs ecr-cdk adopt as the command line `ecr-cdk ARGS...` would
// (args[0] is "adopt") and returns its exit status and output.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	if len(args) == 0 || args[0] != "adopt" {
		t.Fatalf("runCmd %q: not ecr-cdk adopt", args)
	}
	var stdout, stderr bytes.Buffer
	code := Run(args[1:], &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// write creates files under a temporary folder and returns it.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const inventory = `{
    "repositories": [
        {
            "repositoryArn": "arn:aws:ecr:eu-west-1:123456789012:repository/shop/web",
            "registryId": "123456789012",
            "repositoryName": "shop/web",
            "imageTagMutability": "MUTABLE",
            "imageScanningConfiguration": {"scanOnPush": false},
            "encryptionConfiguration": {"encryptionType": "AES256"}
        }
    ]
}
`

func TestAdoptWritesTheFiles(t *testing.T) {
	in := write(t, map[string]string{"repos.json": inventory})
	out := filepath.Join(t.TempDir(), "adopted")
	code, stdout, stderr := runCmd(t, "adopt", "--repositories", filepath.Join(in, "repos.json"), "--package", "adopted", "--out", out)
	if code != cli.ExitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, f := range []string{"adopted.go", "resource-mapping.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	for _, want := range []string{"shop/web (logical ID ShopWeb", "ECR.5 a customer-managed KMS key  fails  migration", "cdk import AdoptedRepositories --resource-mapping"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, stdout)
		}
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 2 {
		t.Errorf("%d files in the output folder, want 2 (no temporary file left)", len(entries))
	}
}

func TestAdoptReportJSON(t *testing.T) {
	in := write(t, map[string]string{"repos.json": inventory})
	code, stdout, stderr := runCmd(t, "adopt", "--repositories", filepath.Join(in, "repos.json"), "--package", "adopted", "--out", t.TempDir(), "--format", "json", "--stack", "Images")
	if code != cli.ExitOK || !strings.Contains(stdout, `"stack": "Images"`) || !strings.Contains(stdout, `"upgrade": "fixed in place"`) {
		t.Fatalf("exit %d, stderr %q, stdout %s", code, stderr, stdout)
	}
}

// TestAdoptRefuses runs each bad input: one line on stderr naming the
// problem, exit 1, nothing written.
func TestAdoptRefuses(t *testing.T) {
	repo := func(name, region, account string) string {
		return `{"repositoryArn": "arn:aws:ecr:` + region + `:` + account + `:repository/` + name + `", "registryId": "` + account + `", "repositoryName": "` + name + `", "imageTagMutability": "IMMUTABLE", "imageScanningConfiguration": {"scanOnPush": true}, "encryptionConfiguration": {"encryptionType": "KMS"}}`
	}
	inv := func(repos ...string) string { return `{"repositories": [` + strings.Join(repos, ",\n") + `]}` }
	lifecycle := func(name, text string) string {
		return `{"registryId": "123456789012", "repositoryName": "` + name + `", "lifecyclePolicyText": ` + text + `}`
	}
	policy := func(name, text string) string {
		return `{"registryId": "123456789012", "repositoryName": "` + name + `", "policyText": ` + text + `}`
	}
	validRules := `"{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"untagged\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 1}, \"action\": {\"type\": \"expire\"}}]}"`
	web := repo("shop/web", "eu-west-1", "123456789012")
	for _, tc := range []struct {
		name  string
		files map[string]string
		flags []string
		want  string
	}{
		{"truncated inventory", map[string]string{"repos.json": `{"repositories": [{"repositoryName": "a"`}, nil, "repos.json:1:41: unexpected end of input"},
		{"malformed inventory", map[string]string{"repos.json": "{\"repositories\": [\n  {\"repositoryName\": \"a\",}\n]}"}, nil, "repos.json:2:26: invalid character '}'"},
		{"not an inventory", map[string]string{"repos.json": `{"images": []}`}, nil, "must be the output of aws ecr describe-repositories"},
		{"mistyped field", map[string]string{"repos.json": "{\"repositories\": [\n  {\"repositoryName\": 7}]}"}, nil, "repos.json:2:22: repositories.repositoryName: must be a string"},
		{"bad name", map[string]string{"repos.json": inv(repo("Shop", "eu-west-1", "123456789012"))}, nil, `repos.json:1:139: repositories[0]: repositoryName "Shop": must be lowercase`},
		{"truncated lifecycle file", map[string]string{"repos.json": inv(web), "lc/a.json": `{"repositoryName": "shop/web", `}, []string{"--lifecycle-policies", "lc"}, "a.json:1:32: unexpected end of input"},
		{"lifecycle policy of a repository the inventory lacks", map[string]string{"repos.json": inv(web), "lc/a.json": lifecycle("shop/api", `"{\"rules\": []}"`)}, []string{"--lifecycle-policies", "lc"}, "a.json:1:50: repository shop/api: not in the inventory"},
		{"lifecycle policy the model can't express", map[string]string{"repos.json": inv(web), "lc/a.json": lifecycle("shop/web", `"{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"untagged\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 1, \"tagAge\": 3}, \"action\": {\"type\": \"expire\"}}]}"`)}, []string{"--lifecycle-policies", "lc"}, "lifecyclePolicyText can't be expressed by package lifecycle: rules[0]: selection.tagAge: unknown field"},
		{"two lifecycle policies for one repository", map[string]string{"repos.json": inv(web), "lc/a.json": lifecycle("shop/web", validRules), "lc/b.json": lifecycle("shop/web", validRules)}, []string{"--lifecycle-policies", "lc"}, "a second lifecycle policy"},
		{"repository policy that isn't JSON", map[string]string{"repos.json": inv(web), "pol/x.json": policy("shop/web", `"Allow everyone"`)}, []string{"--repository-policies", "pol"}, "repository shop/web: policyText must be a JSON object with a Statement"},
		{"repository policy with a Resource", map[string]string{"repos.json": inv(web), "pol/x.json": policy("shop/web", `"{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"ecr:*\", \"Resource\": \"*\"}]}"`)}, []string{"--repository-policies", "pol"}, "Statement[0]: has a Resource element"},
		{"repository policy of a repository the inventory lacks", map[string]string{"repos.json": inv(web), "pol/x.json": policy("other", `"{}"`)}, []string{"--repository-policies", "pol"}, "repository other: not in the inventory"},
		{"names that clash as Go identifiers", map[string]string{"repos.json": inv(web, repo("shop-web", "eu-west-1", "123456789012"))}, nil, "repositories shop/web and shop-web: both become Go identifier newShopWeb"},
		{"another Region", map[string]string{"repos.json": inv(web, repo("shop/api", "us-east-1", "123456789012"))}, nil, "repository shop/api: in Region us-east-1, the stack in eu-west-1 (the first repository's; set --region to choose)"},
		{"another account", map[string]string{"repos.json": inv(web)}, []string{"--account", "210987654321"}, "repository shop/web: in account 123456789012, the stack in 210987654321 (--account)"},
		{"another Region than --region", map[string]string{"repos.json": inv(web)}, []string{"--region", "us-east-1"}, "repository shop/web: in Region eu-west-1, the stack in us-east-1 (--region)"},
		{"key in another Region", map[string]string{"repos.json": `{"repositories": [{"repositoryArn": "arn:aws:ecr:eu-west-1:123456789012:repository/a1", "repositoryName": "a1", "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": "arn:aws:kms:us-east-1:123456789012:key/abcd"}}]}`}, nil, "kmsKey arn:aws:kms:us-east-1:123456789012:key/abcd is in Region us-east-1"},
		{"key not an ARN", map[string]string{"repos.json": `{"repositories": [{"repositoryArn": "arn:aws:ecr:eu-west-1:123456789012:repository/a1", "repositoryName": "a1", "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": "alias/mine"}}]}`}, nil, `kmsKey "alias/mine": must be a KMS key ARN`},
		{"listed twice", map[string]string{"repos.json": inv(web, web)}, nil, "repository shop/web: listed twice"},
		{"nothing with the prefix", map[string]string{"repos.json": inv(web)}, []string{"--prefix", "team/"}, `no repository to adopt with prefix "team/"`},
		{"missing inventory", map[string]string{}, nil, "repos.json: no such file or directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := write(t, tc.files)
			out := filepath.Join(t.TempDir(), "out")
			args := []string{"adopt", "--repositories", filepath.Join(dir, "repos.json"), "--package", "adopted", "--out", out}
			for i, f := range tc.flags {
				if i > 0 && (tc.flags[i-1] == "--lifecycle-policies" || tc.flags[i-1] == "--repository-policies") {
					f = filepath.Join(dir, f)
				}
				args = append(args, f)
			}
			code, stdout, stderr := runCmd(t, args...)
			if code != cli.ExitRefused {
				t.Fatalf("exit %d, want %d; stderr %q", code, cli.ExitRefused, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(stderr, "ecr-cdk adopt: ") || !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q, want one line \"ecr-cdk adopt: ...\" containing %q", stderr, tc.want)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("the output folder was written (%v)", err)
			}
		})
	}
}

func TestAdoptUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"adopt"}, "ecr-cdk adopt: --repositories is required, or --live to read the account (see ecr-cdk adopt --help)"},
		{[]string{"adopt", "--repositories", "r.json", "--out", "x"}, "ecr-cdk adopt: --package is required"},
		{[]string{"adopt", "--repositories", "r.json", "--package", "p"}, "ecr-cdk adopt: --out is required"},
		{[]string{"adopt", "--repositories", "r.json", "--package", "p", "--out", "x", "--format", "yaml"}, `--format "yaml": must be table or json`},
		{[]string{"adopt", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"adopt", "--repositories", "r.json", "--package", "p", "--out", "x", "extra"}, `unexpected argument "extra"`},
	} {
		code, _, stderr := runCmd(t, tc.args...)
		if code != cli.ExitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "--help)") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line with %q and a hint to --help", tc.args, code, stderr, tc.want)
		}
	}
	code, stdout, _ := runCmd(t, "adopt", "--help")
	if code != cli.ExitOK || !strings.Contains(stdout, "--repository-policies") {
		t.Errorf("adopt --help: exit %d, %q", code, stdout)
	}
}

func TestAdoptBadPackageName(t *testing.T) {
	in := write(t, map[string]string{"repos.json": inventory})
	code, _, stderr := runCmd(t, "adopt", "--repositories", filepath.Join(in, "repos.json"), "--package", "func", "--out", t.TempDir())
	if code != cli.ExitRefused || !strings.Contains(stderr, `--package "func": must be a Go package name`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestAdoptProblemsArePrefixed: every problem is its own line, prefixed
// with the subcommand as the other subcommands' errors are.
func TestAdoptProblemsArePrefixed(t *testing.T) {
	arn := func(name, region string) string {
		return `{"repositoryArn": "arn:aws:ecr:` + region + `:123456789012:repository/` + name + `", "registryId": "123456789012", "repositoryName": "` + name + `"}`
	}
	in := write(t, map[string]string{"repos.json": `{"repositories": [` + arn("shop/web", "eu-west-1") + `, ` + arn("shop/api", "us-east-1") + `, ` + arn("shop/db", "us-west-2") + `]}`})
	code, stdout, stderr := runCmd(t, "adopt", "--repositories", filepath.Join(in, "repos.json"), "--package", "adopted", "--out", filepath.Join(t.TempDir(), "out"))
	want := "ecr-cdk adopt: repository shop/api: in Region us-east-1, the stack in eu-west-1 (the first repository's; set --region to choose); a stack adopts the repositories of its own Region\n" +
		"ecr-cdk adopt: repository shop/db: in Region us-west-2, the stack in eu-west-1 (the first repository's; set --region to choose); a stack adopts the repositories of its own Region\n"
	if code != cli.ExitRefused || stdout != "" || stderr != want {
		t.Errorf("exit %d, stdout %q, stderr\n%s\nwant 1 and\n%s", code, stdout, stderr, want)
	}
}
