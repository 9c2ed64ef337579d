package cdktest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gkampitakis/ciinfo"
)

// The golden files' form of embedded JSON is the one changes reads.
// writeGolden writes a golden file for template("web") into a temporary
// directory, as MatchGolden does. (go-snaps numbers the snapshots of one
// test: each test here calls matchGolden once per test or subtest.)
func writeGolden(t *testing.T, name string) string {
	t.Helper()
	if ciinfo.IsCI {
		t.Skip("go-snaps rewrites no golden file when it detects CI")
	}
	dir := t.TempDir()
	text, err := renderGolden(ExpandEmbeddedJSON(template("web")))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+"_1.snap.json"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// UPDATE_SNAPS=true does not rewrite a golden file over a change that
// would lose something: the test fails with the finding, the file stays.
func TestRewriteRefusedOverAReplacement(t *testing.T) {
	dir := writeGolden(t, "Shop")
	path := filepath.Join(dir, "Shop_1.snap.json")
	before, _ := os.ReadFile(path)
	rec := &failures{T: t}
	matchGolden(rec, dir, "Shop", template("api"), true, false)
	after, _ := os.ReadFile(path)
	if string(after) != string(before) {
		t.Error("the golden file was rewritten")
	}
	all := strings.Join(rec.errors, "\n")
	for _, want := range []string{
		`Shop/Repo (AWS::ECR::Repository): error: replacement: RepositoryName changes from "web" to "api", create-only, so CloudFormation replaces the resource`,
		"1 change finding would lose something; once you accept it, acknowledge it with cdktest.AllowChange(t, LOGICAL_ID, REASON)",
		"Shop: the golden file is not rewritten",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("errors:\n%s\nwant %q", all, want)
		}
	}
}

// Acknowledged, the rewrite goes ahead.
func TestRewriteOfAnAcknowledgedChange(t *testing.T) {
	dir := writeGolden(t, "Shop")
	AllowChange(t, "Repo", "the web repository is renamed, its images copied")
	t.Run("subtest", func(t *testing.T) {
		rec := &failures{T: t}
		matchGolden(rec, dir, "Shop", template("api"), true, false)
		if len(rec.errors) > 0 {
			t.Errorf("errors %q", rec.errors)
		}
	})
	if after, _ := os.ReadFile(filepath.Join(dir, "Shop_1.snap.json")); !strings.Contains(string(after), `"api"`) {
		t.Error("the golden file was not rewritten")
	}
}

// A change that loses nothing (a lifecycle rule, a tag) is rewritten as
// before; without UPDATE_SNAPS the mismatch fails as before.
func TestRewriteOfAHarmlessChange(t *testing.T) {
	dir := writeGolden(t, "Shop")
	changed := template("web")
	repo := changed["Resources"].(map[string]any)["Repo"].(map[string]any)["Properties"].(map[string]any)
	repo["Tags"] = []any{map[string]any{"Key": "team", "Value": "shop"}}
	t.Run("compare", func(t *testing.T) {
		rec := &failures{T: t}
		matchGolden(rec, dir, "Shop", changed, false, false)
		if len(rec.errors) == 0 {
			t.Error("a mismatch passed without UPDATE_SNAPS")
		}
	})
	t.Run("update", func(t *testing.T) {
		rec := &failures{T: t}
		matchGolden(rec, dir, "Shop", changed, true, false)
		if len(rec.errors) > 0 {
			t.Errorf("errors %q", rec.errors)
		}
	})
	if after, _ := os.ReadFile(filepath.Join(dir, "Shop_1.snap.json")); !strings.Contains(string(after), `"team"`) {
		t.Error("the golden file was not rewritten")
	}
	if files, _ := os.ReadDir(dir); len(files) != 1 {
		t.Errorf("%d files in the golden directory", len(files))
	}
}

func TestCheckChanges(t *testing.T) {
	old := map[string]map[string]any{"Shop": template("web")}
	removed := map[string]map[string]any{"Shop": {"Resources": map[string]any{}}}
	rec := &failures{T: t}
	if CheckChanges(rec, old, removed, nil) {
		t.Error("a removed repository passes")
	}
	if len(rec.errors) != 2 || !strings.HasPrefix(rec.errors[0], "Shop/Repo (AWS::ECR::Repository): error: deleted: is removed: ") {
		t.Errorf("errors %q", rec.errors)
	}
	rec = &failures{T: t}
	if !CheckChanges(rec, old, removed, map[string]string{"Repo": "its images are copied to shop/api"}) || len(rec.errors) > 0 {
		t.Errorf("acknowledged: errors %q", rec.errors)
	}
	blocking, others := ChangeFindings(old, removed, map[string]string{"Shop/Repo": "copied"})
	if len(blocking) != 0 || len(others) != 1 || !strings.Contains(others[0], `error, allowed ("copied"): deleted`) {
		t.Errorf("blocking %q, others %q", blocking, others)
	}
}

func TestCheckGoldenChanges(t *testing.T) {
	dir := writeGolden(t, "Shop")
	rec := &failures{T: t}
	if !checkGoldenChanges(rec, dir, map[string]map[string]any{"Shop": template("web"), "NewStack": template("x")}, nil) || len(rec.errors) > 0 {
		t.Errorf("the golden template itself: errors %q", rec.errors)
	}
	if checkGoldenChanges(rec, dir, map[string]map[string]any{"Shop": template("api")}, nil) {
		t.Error("a renamed repository passes")
	}
}

// fatals records Fatalf instead of failing.
type fatals struct {
	*testing.T
	fatal string
}

func (f *fatals) Helper() {}
func (f *fatals) Fatalf(format string, a ...any) {
	f.fatal = fmt.Sprintf(format, a...)
	runtime.Goexit()
}

func TestAllowChangeNeedsAReason(t *testing.T) {
	rec := &fatals{T: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		AllowChange(rec, "Repo", " ")
	}()
	<-done
	if rec.fatal != `AllowChange("Repo", " "): a logical id and a reason are required` {
		t.Errorf("fatal %q", rec.fatal)
	}
}
