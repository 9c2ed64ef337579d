package adoptcmd

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/auditcmd"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/livetest"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/motoserver"
)

var server *motoserver.Server

func TestMain(m *testing.M) {
	os.Setenv(live.MaxBackoffEnv, "100ms") // retries are tested, not waited for
	motoserver.Main(m, &server)
}

func seeder(t *testing.T) *livetest.Seeder {
	t.Helper()
	return livetest.Fresh(t, server)
}

// runAudit runs ecr-cdk audit with its arguments and returns its exit
// status and output.
func runAudit(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := auditcmd.Run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// adopt --live writes what adopt writes from the AWS CLI's exports of the
// same registry (here fetched with the AWS CLI from the same moto server),
// byte for byte but for the header's source line.
func TestAdoptLiveEqualsAdoptFromFiles(t *testing.T) {
	s := seeder(t)
	s.Repo("shop/web", &ecr.CreateRepositoryInput{
		ImageTagMutability:         ecrtypes.ImageTagMutabilityMutable,
		ImageScanningConfiguration: &ecrtypes.ImageScanningConfiguration{ScanOnPush: false},
		Tags:                       []ecrtypes.Tag{{Key: aws.String("team"), Value: aws.String("shop")}},
	})
	s.Repo("shop/worker", &ecr.CreateRepositoryInput{ImageTagMutability: ecrtypes.ImageTagMutabilityImmutable})
	s.LifecyclePolicy("shop/worker", livetest.KeepTen)
	s.RepositoryPolicy("shop/web", livetest.OrgOnly)
	s.Repo("other/app", nil)

	liveOut := t.TempDir()
	// adopt --live adopts the SDK's answers as values: it writes no
	// temporary folder (it once exported them to one and read it back).
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	code, stdout, stderr := runCmd(t, "adopt", "--live", "--prefix", "shop/", "--package", "adopted", "--out", liveOut)
	if code != cli.ExitOK {
		t.Fatalf("adopt --live: exit %d, %s", code, stderr)
	}
	if entries, err := os.ReadDir(tmp); err != nil || len(entries) != 0 {
		t.Errorf("adopt --live left %v in TMPDIR (%v)", entries, err)
	}
	if !strings.Contains(stdout, "shop/web") || strings.Contains(stdout, "other/app") {
		t.Errorf("report: %s", stdout)
	}

	// The same registry exported with the AWS CLI, as docs/adoption.md says.
	dir := t.TempDir()
	aws := func(out string, args ...string) {
		cmd := exec.Command("aws", append(args, "--endpoint-url", s.URL, "--output", "json", "--region", s.Clients.Region)...)
		data, err := cmd.Output()
		if err != nil {
			var stderr []byte
			if e, ok := err.(*exec.ExitError); ok {
				stderr = e.Stderr
			}
			t.Fatalf("the AWS CLI (awscli v1, installed on these machines with moto): %v: %s", err, stderr)
		}
		if err := os.WriteFile(filepath.Join(dir, out), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_ = os.MkdirAll(filepath.Join(dir, "lifecycle"), 0o755)
	_ = os.MkdirAll(filepath.Join(dir, "policies"), 0o755)
	aws("repositories.json", "ecr", "describe-repositories")
	aws("tags.json", "ecr", "list-tags-for-resource", "--resource-arn", "arn:aws:ecr:"+s.Clients.Region+":123456789012:repository/shop/web")
	// describe-repositories prints no tags: docs/adoption.md adds
	// list-tags-for-resource's to each repository, as this does.
	var inventory map[string][]map[string]any
	var tags map[string]any
	readJSONFile(t, filepath.Join(dir, "repositories.json"), &inventory)
	readJSONFile(t, filepath.Join(dir, "tags.json"), &tags)
	for _, r := range inventory["repositories"] {
		if r["repositoryName"] == "shop/web" {
			r["tags"] = tags["tags"]
		}
	}
	if err := writeJSONFile(filepath.Join(dir, "repositories.json"), inventory); err != nil {
		t.Fatal(err)
	}
	aws("lifecycle/worker.json", "ecr", "get-lifecycle-policy", "--repository-name", "shop/worker")
	aws("policies/web.json", "ecr", "get-repository-policy", "--repository-name", "shop/web")
	filesOut := t.TempDir()
	code, _, stderr = runCmd(t, "adopt", "--repositories", filepath.Join(dir, "repositories.json"),
		"--lifecycle-policies", filepath.Join(dir, "lifecycle"), "--repository-policies", filepath.Join(dir, "policies"),
		"--prefix", "shop/", "--package", "adopted", "--out", filesOut)
	if code != cli.ExitOK {
		t.Fatalf("adopt from files: exit %d, %s", code, stderr)
	}
	withoutSource := func(path string) string { // the code after the header, which names the source
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		_, code, _ := strings.Cut(string(data), "\npackage ")
		return code
	}
	liveCode, filesCode := withoutSource(filepath.Join(liveOut, "adopted.go")), withoutSource(filepath.Join(filesOut, "adopted.go"))
	if liveCode != filesCode {
		t.Errorf("adopted.go differs:\n--- live\n%s\n--- files\n%s", liveCode, filesCode)
	}
	for _, want := range []string{`"team": "shop"`, "aws:PrincipalOrgID", "CountNumber: 10"} {
		if !strings.Contains(liveCode, want) {
			t.Errorf("adopted.go lacks %s", want)
		}
	}
}

// A problem in what the account returned names the repository, its
// account and the Region, not a file.
func TestAdoptLiveProblemNamesRepository(t *testing.T) {
	s := seeder(t)
	s.Repo("shop/web", nil)
	// Stored by ECR (moto here), refused by adopt: CloudFormation's
	// RepositoryPolicyText takes no Resource element.
	s.RepositoryPolicy("shop/web", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Resource":"*"}]}`)
	code, stdout, stderr := runCmd(t, "adopt", "--live", "--package", "adopted", "--out", filepath.Join(t.TempDir(), "out"))
	want := "ecr-cdk adopt: account 123456789012, " + s.Clients.Region + ": repository shop/web: policyText "
	if code != cli.ExitRefused || stdout != "" || !strings.HasPrefix(stderr, want) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stdout %q, stderr %q; want a line starting %q", code, stdout, stderr, want)
	}
	if !strings.Contains(stderr, "Statement[0]: has a Resource element") || strings.Contains(stderr, os.TempDir()) || strings.Contains(stderr, ".json") {
		t.Errorf("the problem names a file: %s", stderr)
	}
}

// adopt --live reports ECR.5 as ecr-cdk audit does: a KMS key whose manager
// isn't read is unknown to both, AES256 fails both.
func TestAdoptLiveECR5AsAudit(t *testing.T) {
	s := seeder(t)
	s.Repo("app/gone", livetest.Compliant()) // a key that doesn't exist
	customer := livetest.Compliant()
	key := s.Key("customer managed")
	customer.EncryptionConfiguration.KmsKey = aws.String(key)
	s.Repo("app/kms", customer)
	s.Repo("app/aes", nil)
	code, out, errOut := runAudit("--format", "json")
	if code != 1 {
		t.Fatalf("audit: exit %d, %s", code, errOut)
	}
	var audit struct {
		Findings []auditcmd.Finding
	}
	if err := json.Unmarshal([]byte(out), &audit); err != nil {
		t.Fatal(err)
	}
	auditSays := map[string]string{}
	for _, f := range audit.Findings {
		if f.ID == "ECR.5" {
			auditSays[f.Repository] = f.Result + ": " + f.Detail
		}
	}
	code, out, errOut = runCmd(t, "adopt", "--live", "--package", "adopted", "--out", t.TempDir(), "--format", "json")
	if code != cli.ExitOK {
		t.Fatalf("adopt: exit %d, %s", code, errOut)
	}
	var adopted struct {
		Repositories []struct {
			Name     string
			Controls []struct{ ID, Today, Upgrade, How string }
		}
	}
	if err := json.Unmarshal([]byte(out), &adopted); err != nil {
		t.Fatal(err)
	}
	adoptSays := map[string]string{}
	for _, r := range adopted.Repositories {
		for _, c := range r.Controls {
			if c.ID == "ECR.5" {
				adoptSays[r.Name] = c.Today + " (" + c.Upgrade + ")"
				if c.Today == "unknown" {
					adoptSays[r.Name] += ": " + c.How
				}
			}
		}
	}
	gone := livetest.GoneKey
	detail := "KMS key " + gone + ": kms:DescribeKey failed, so whether AWS or the customer manages it is unknown: KMS DescribeKey: NotFoundException: Key '" + gone + "' does not exist"
	for name, want := range map[string][2]string{
		"app/kms":  {"PASS: ", "passes (kept)"},
		"app/gone": {"UNKNOWN: " + detail, "unknown (kept): " + detail},
		"app/aes":  {"FAIL: encryption AES256", "fails (migration)"},
	} {
		if auditSays[name] != want[0] || adoptSays[name] != want[1] {
			t.Errorf("%s: audit says %q, adopt %q; want %q and %q", name, auditSays[name], adoptSays[name], want[0], want[1])
		}
	}
}

func TestAdoptLiveUsage(t *testing.T) {
	for _, args := range [][]string{
		{"adopt", "--live", "--repositories", "r.json", "--package", "p", "--out", "o"},
		{"adopt", "--repositories", "r.json", "--profile", "dev", "--package", "p", "--out", "o"},
	} {
		if code, _, errOut := runCmd(t, args...); code != cli.ExitUsage || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%q: exit %d, %q", args, code, errOut)
		}
	}
}

// readJSONFile reads a JSON file into v.
func readJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

// writeJSONFile writes v as indented JSON.
func writeJSONFile(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
