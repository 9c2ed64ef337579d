package auditcmd

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"

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

func runT(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

const public = `{"Version":"2012-10-17","Statement":[{"Sid":"Everyone","Effect":"Allow","Principal":{"AWS":"*"},"Action":"ecr:BatchGetImage"}]}`

func TestAuditFindsEachFailingControl(t *testing.T) {
	s := seeder(t)
	s.Repo("app/good", livetest.Compliant())
	s.LifecyclePolicy("app/good", livetest.KeepTen)
	s.RepositoryPolicy("app/good", livetest.OrgOnly)

	mutable := livetest.Compliant()
	mutable.ImageTagMutability = ecrtypes.ImageTagMutabilityMutable
	s.Repo("app/mutable", mutable)
	s.LifecyclePolicy("app/mutable", livetest.KeepTen)

	noscan := livetest.Compliant()
	noscan.ImageScanningConfiguration = &ecrtypes.ImageScanningConfiguration{ScanOnPush: false}
	s.Repo("app/noscan", noscan)
	s.LifecyclePolicy("app/noscan", livetest.KeepTen)

	s.Repo("app/nolifecycle", livetest.Compliant())

	aes := livetest.Compliant()
	aes.EncryptionConfiguration = &ecrtypes.EncryptionConfiguration{EncryptionType: ecrtypes.EncryptionTypeAes256}
	s.Repo("app/aes", aes)
	s.LifecyclePolicy("app/aes", livetest.KeepTen)

	s.Repo("app/public", livetest.Compliant())
	s.LifecyclePolicy("app/public", livetest.KeepTen)
	s.RepositoryPolicy("app/public", public)
	s.Repo("other/outside", nil)

	code, out, errOut := runT(t, "--prefix", "app/", "--format", "json")
	if code != 1 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var report struct {
		Findings     []Finding
		Repositories int
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatal(err)
	}
	failed := map[string][]string{}
	for _, f := range report.Findings {
		if f.Result == Fail {
			failed[where(f)] = append(failed[where(f)], f.Rule)
		}
		if f.Repository == "other/outside" {
			t.Errorf("a repository outside the prefix was audited")
		}
	}
	want := map[string]string{
		"app/mutable":     "SECURITYHUB_ECR_2 CHECKOV_CKV_AWS_51",
		"app/noscan":      "SECURITYHUB_ECR_1 CHECKOV_CKV_AWS_163",
		"app/nolifecycle": "SECURITYHUB_ECR_3",
		"app/aes":         "CHECKOV_CKV_AWS_136 SECURITYHUB_ECR_5",
		"app/public":      "CHECKOV_CKV_AWS_32",
		// moto's registry has no scanning rule by default.
		"(registry)": "REGISTRY_SCANNING",
	}
	if report.Repositories != 6 {
		t.Errorf("%d repositories audited, want 6", report.Repositories)
	}
	for where, rules := range want {
		if got := strings.Join(failed[where], " "); got != rules {
			t.Errorf("%s fails %q, want %q", where, got, rules)
		}
	}
	if len(failed["app/good"]) > 0 {
		t.Errorf("app/good fails %v", failed["app/good"])
	}
	// moto 5.2.1 has no creation-template API: the ROOT template is
	// unknown, not a finding.
	for _, f := range report.Findings {
		if f.Rule == "REGISTRY_ROOT_TEMPLATE" && (f.Result != Unknown || !strings.Contains(f.Detail, "moto 5.2.1 has no creation-template API")) {
			t.Errorf("ROOT template on moto: %+v", f)
		}
	}

	// The table: the same ids and wording as the compliance pack.
	code, out, _ = runT(t, "--prefix", "app/")
	if code != 1 || !strings.Contains(out, "app/public") || !strings.Contains(out, "Checkov CKV_AWS_32") ||
		!strings.Contains(out, "no * principal without an aws:PrincipalOrgID condition: repository policy statement 0 (Everyone) allows * without aws:PrincipalOrgID") {
		t.Errorf("table:\n%s", out)
	}
	t.Logf("table:\n%s", out)

	// Registry scanning of every repository counts for ECR.1, not for
	// Checkov's scan on push.
	s.ScanAll()
	_, out, _ = runT(t, "--prefix", "app/noscan", "--format", "json")
	if !strings.Contains(out, `"rule": "CHECKOV_CKV_AWS_163"`) || strings.Contains(out, `"SECURITYHUB_ECR_1",
      "requirement": "scan on push, or registry scanning of every repository (\"*\") in the same template",
      "result": "FAIL"`) {
		t.Errorf("with registry scanning:\n%s", out)
	}
}

func TestAuditTemplateDrift(t *testing.T) {
	s := seeder(t)
	// A repository imported with a template that didn't match: the import
	// applied none of it (CloudFormation's resource import keeps the
	// resource as it is).
	s.Repo("shop/imported", &ecr.CreateRepositoryInput{ImageTagMutability: ecrtypes.ImageTagMutabilityMutable})
	s.RepositoryPolicy("shop/imported", livetest.OrgOnly)
	s.Repo("shop/same", livetest.Compliant())
	s.LifecyclePolicy("shop/same", livetest.KeepTen)
	template := map[string]any{"Resources": map[string]any{
		"Imported": map[string]any{"Type": "AWS::ECR::Repository", "Properties": map[string]any{
			"RepositoryName":             "shop/imported",
			"ImageTagMutability":         "IMMUTABLE",
			"ImageScanningConfiguration": map[string]any{"ScanOnPush": true},
			"LifecyclePolicy":            map[string]any{"LifecyclePolicyText": livetest.KeepTen},
		}},
		"Same": map[string]any{"Type": "AWS::ECR::Repository", "Properties": map[string]any{
			"RepositoryName":             "shop/same",
			"ImageTagMutability":         "IMMUTABLE",
			"ImageScanningConfiguration": map[string]any{"ScanOnPush": true},
			"EncryptionConfiguration":    map[string]any{"EncryptionType": "KMS", "KmsKey": "11111111-2222-3333-4444-555555555555"},
			// The same rules, written in another order of keys.
			"LifecyclePolicy": map[string]any{"LifecyclePolicyText": `{"rules":[{"action":{"type":"expire"},"rulePriority":1,"selection":{"countNumber":10,"countType":"imageCountMoreThan","tagStatus":"any"}}]}`},
		}},
		"Missing": map[string]any{"Type": "AWS::ECR::Repository", "Properties": map[string]any{"RepositoryName": "shop/missing"}},
		"Unnamed": map[string]any{"Type": "AWS::ECR::Repository", "Properties": map[string]any{}},
	}}
	dir := t.TempDir()
	data, _ := json.Marshal(template)
	if err := os.WriteFile(filepath.Join(dir, "Shop.template.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runT(t, "--prefix", "shop/", "--template", dir, "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var report struct{ Drift []propertyDrift }
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, d := range report.Drift {
		got[d.LogicalID+" "+d.Property] = true
	}
	for _, want := range []string{
		"Imported ImageTagMutability", "Imported ImageScanningConfiguration.ScanOnPush", "Imported LifecyclePolicy.LifecyclePolicyText",
		"Imported RepositoryPolicyText", // in the account, not in the template: a later update removes it
		"Missing RepositoryName", "Unnamed RepositoryName",
	} {
		if !got[want] {
			t.Errorf("no drift %q in %v", want, report.Drift)
		}
	}
	for k := range got {
		if strings.HasPrefix(k, "Same ") {
			t.Errorf("drift reported for a repository that matches: %s", k)
		}
	}
	if len(report.Drift) != 6 {
		t.Errorf("%d drifts, want 6: %+v", len(report.Drift), report.Drift)
	}
}

// A Region without repositories passes, in one line; a --prefix matching
// nothing is still refused (TestAuditBadInput).
func TestAuditEmptyRegistry(t *testing.T) {
	seeder(t)
	code, out, errOut := runT(t)
	if want := "No repository in the registry in us-east-1: nothing to audit, nothing fails.\n"; code != 0 || out != want || errOut != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0 and %q", code, out, errOut, want)
	}
	code, out, errOut = runT(t, "--format", "json")
	var report struct {
		Findings     []Finding
		Repositories int
		Failures     int
	}
	if err := json.Unmarshal([]byte(out), &report); code != 0 || err != nil || errOut != "" || report.Findings == nil || len(report.Findings) != 0 || report.Repositories != 0 || report.Failures != 0 {
		t.Errorf("--format json: exit %d, %v, stdout %q, stderr %q", code, err, out, errOut)
	}
}

func TestAuditBadInput(t *testing.T) {
	s := seeder(t)
	s.Repo("only", nil)
	for _, tt := range []struct {
		name string
		args []string
		env  map[string]string
		code int
		want string
	}{
		{"prefix matching nothing", []string{"--prefix", "nope/"}, nil, 1, `ecr-cdk audit: no repository matches the prefix "nope/" in us-east-1`},
		{"unknown Region", []string{"--region", "us-nowhere-1"}, nil, 1, `ecr-cdk audit: --region "us-nowhere-1": unknown Region`},
		{"missing credentials", nil, map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}, 1, "ecr-cdk audit: no AWS credentials found by the SDK's default chain"},
		{"no template", []string{"--template", "nothing.json"}, nil, 1, "ecr-cdk audit: --template nothing.json:"},
		{"bad format", []string{"--format", "yaml"}, nil, 2, `ecr-cdk audit: --format "yaml": must be table or json`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code, out, errOut := runT(t, tt.args...)
			if code != tt.code || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d and %q", code, out, errOut, tt.code, tt.want)
			}
		})
	}
}

func TestAuditAccessDeniedOnOneRepository(t *testing.T) {
	s := seeder(t)
	for _, n := range []string{"app/a", "app/b", "app/c"} {
		s.Repo(n, livetest.Compliant())
		s.LifecyclePolicy(n, livetest.KeepTen)
	}
	p := livetest.NewProxy(t, server.URL)
	// moto doesn't enforce IAM: the proxy denies what concerns app/b.
	p.Answer = func(n int64, op string, body []byte) (int, string, bool) {
		if bytes.Contains(body, []byte(`"repositoryName":"app/b"`)) {
			return 400, livetest.AccessDenied(op, "app/b"), true
		}
		return 0, "", false
	}
	t.Setenv("AWS_ENDPOINT_URL", p.URL)
	code, out, errOut := runT(t, "--prefix", "app/", "--format", "json")
	if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "ecr-cdk audit: app/b: ECR GetLifecyclePolicy: AccessDeniedException: ") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, `"repositoryName": "app/a"`) || !strings.Contains(out, `"repositoryName": "app/c"`) || strings.Contains(out, `"repositoryName": "app/b"`) || !strings.Contains(out, `"repositories": 2`) {
		t.Errorf("the others don't report:\n%s", out)
	}
}

// --template cdk.out reads the stacks of the cloud assembly's manifest.json
// and their nested stacks, as ecr-cdk diff does; the repositories of a
// stack set's template, deployed elsewhere, are left out.
func TestAuditReadsACloudAssembly(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"manifest.json": `{"artifacts": {"Shop": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Shop.template.json"}}}}`,
		"Shop.template.json": `{"Resources": {
			"Top": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "shop/top"}},
			"Inner": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": {"Fn::Join": ["", ["x"]]}}, "Metadata": {"aws:asset:path": "ShopInner.nested.template.json"}},
			"Fleet": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": {"Resources": {"Elsewhere": {"Type": "AWS::ECR::Repository"}}}}}}}`,
		"ShopInner.nested.template.json": `{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "shop/inner"}}}}`,
		"Stray.template.json":            `not read: the manifest doesn't name it`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	declared, err := readTemplates(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range declared {
		got = append(got, filepath.Base(d.File)+" "+d.LogicalID)
	}
	if want := []string{"Shop.template.json Inner/Repo", "Shop.template.json Top"}; strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("got %q, want %q", got, want)
	}
}
