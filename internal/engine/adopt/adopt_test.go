package adopt

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/ecr5"
)

// golden compares output with the file testdata/golden/<name>, byte for
// byte (go-snaps would turn the generated code's tabs into spaces);
// UPDATE_SNAPS=true (`make snapshots`) rewrites it.
func golden(t *testing.T, name, output string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if os.Getenv("UPDATE_SNAPS") == "true" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(output), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (UPDATE_SNAPS=true writes it)", err)
	}
	if string(want) != output {
		got, wantLines := strings.Split(output, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(got), len(wantLines)) {
			g, w := "", ""
			if i < len(got) {
				g = got[i]
			}
			if i < len(wantLines) {
				w = wantLines[i]
			}
			if g != w {
				t.Fatalf("%s differs from the golden file at line %d:\n got: %s\nwant: %s\n(UPDATE_SNAPS=true rewrites it)", path, i+1, g, w)
			}
		}
	}
}

// caseOptions returns the generator's options for a folder of
// testdata/cases: repositories.json, and lifecycle/ and policies/ when
// present.
func caseOptions(t *testing.T, name string) Options {
	t.Helper()
	dir := filepath.Join("testdata", "cases", name)
	o := Options{Repositories: filepath.Join(dir, "repositories.json"), Package: packageName(name)}
	if _, err := os.Stat(filepath.Join(dir, "lifecycle")); err == nil {
		o.LifecyclePolicies = filepath.Join(dir, "lifecycle")
	}
	if _, err := os.Stat(filepath.Join(dir, "policies")); err == nil {
		o.RepositoryPolicies = filepath.Join(dir, "policies")
	}
	return o
}

// packageName turns a case name into a Go package name.
func packageName(c string) string {
	return "adopted" + strings.NewReplacer("-", "", ".", "").Replace(c)
}

// cases are the folders of testdata/cases, one scenario each.
var cases = []string{"aes256-mutable", "kms-aws-managed", "kms-customer-key", "lifecycle", "repository-policy", "tags", "names"}

func TestGenerateGolden(t *testing.T) {
	for _, c := range cases {
		t.Run(c, func(t *testing.T) {
			res, err := Generate(caseOptions(t, c))
			if err != nil {
				t.Fatal(err)
			}
			golden(t, c+"/adopted.go.golden", string(res.Source))
			golden(t, c+"/resource-mapping.json", string(res.Mapping))
			var report strings.Builder
			if err := res.WriteTable(&report, "out"); err != nil {
				t.Fatal(err)
			}
			golden(t, c+"/report.txt", report.String())
		})
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, err := Generate(caseOptions(t, "names"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(caseOptions(t, "names"))
	if string(a.Source) != string(b.Source) || string(a.Mapping) != string(b.Mapping) {
		t.Error("two runs over the same input differ")
	}
}

func TestLogicalIDsAreStableAndCollisionFree(t *testing.T) {
	r1, r2 := &Repository{Name: "shop/web"}, &Repository{Name: "shop-web"}
	ids(r1)
	ids(r2)
	if r1.LogicalID == r2.LogicalID {
		t.Errorf("shop/web and shop-web share logical ID %s", r1.LogicalID)
	}
	again := &Repository{Name: "shop/web"}
	ids(again)
	if again.LogicalID != r1.LogicalID || r1.LogicalID != "ShopWeb"+nameHash("shop/web") {
		t.Errorf("logical ID of shop/web = %s, then %s", r1.LogicalID, again.LogicalID)
	}
	for name, want := range map[string]string{"v2-1x/app": "V2_1xApp", "v21x/app": "V21xApp", "team_a/base-image": "TeamABaseImage", "a.b": "AB"} {
		if got := pascal(name); got != want {
			t.Errorf("pascal(%q) = %q, want %q", name, got, want)
		}
	}
	long := &Repository{Name: strings.Repeat("a", 256)}
	ids(long)
	if len(long.LogicalID) > 255 {
		t.Errorf("logical ID of a 256-character name has %d characters", len(long.LogicalID))
	}
	digit := &Repository{Name: "1app"}
	ids(digit)
	if !strings.HasPrefix(digit.LogicalID, "Repository1app") {
		t.Errorf("logical ID of 1app = %s, want it to start with a letter", digit.LogicalID)
	}
}

func TestReportJSON(t *testing.T) {
	res, err := Generate(caseOptions(t, "aes256-mutable"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := res.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Repositories []ReportRepository `json:"repositories"`
	}
	if err := json.Unmarshal([]byte(b.String()), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range doc.Repositories[0].Controls {
		got[c.ID] = c.Today + "/" + c.Upgrade
	}
	want := map[string]string{"ECR.1": "fails/fixed in place", "ECR.2": "fails/fixed in place", "ECR.3": "fails/fixed in place", "ECR.5": "fails/migration"}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %s, want %s", id, got[id], w)
		}
	}
}

// A key kms:DescribeKey says AWS manages is aws/ecr: the repository is
// declared with KMS alone, as one created without a key, and ECR.5 fails
// with a migration; a customer managed key is declared by ARN and passes.
func TestDescribedKeyManager(t *testing.T) {
	key := "arn:aws:kms:us-east-1:123456789012:key/0adcdb9a-bbba-4415-ac20-6fa4b84b20ed"
	for manager, want := range map[string]struct {
		declared bool
		ecr5     string
	}{"AWS": {false, "fails/migration"}, "CUSTOMER": {true, "passes/kept"}} {
		in := Input{Origin: "test", Repositories: []Existing{{
			ARN: "arn:aws:ecr:us-east-1:123456789012:repository/shop/web", Name: "shop/web", Mutability: "IMMUTABLE", ScanOnPush: true,
			Encryption: &Encryption{Type: "KMS", KMSKey: key, Described: ecr5.Key{Manager: manager}},
		}}}
		res, err := Build(Options{Package: "adopted"}, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(res.Source), key); got != want.declared {
			t.Errorf("key managed by %s: adopted.go names the key: %v, want %v\n%s", manager, got, want.declared, res.Source)
		}
		for _, c := range res.Report()[0].Controls {
			if c.ID == "ECR.5" && c.Today+"/"+c.Upgrade != want.ecr5 {
				t.Errorf("key managed by %s: ECR.5 %s/%s, want %s", manager, c.Today, c.Upgrade, want.ecr5)
			}
		}
	}
}
