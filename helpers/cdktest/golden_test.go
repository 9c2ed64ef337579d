package cdktest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gkampitakis/ciinfo"
)

// failures is a testing.TB that records errors instead of failing.
type failures struct {
	*testing.T
	errors []string
}

func (f *failures) Helper() {}
func (f *failures) Error(args ...any) {
	f.errors = append(f.errors, strings.TrimSpace(fmt.Sprint(args...)))
}
func (f *failures) Errorf(format string, a ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, a...))
}

func template(repoName string) map[string]any {
	return map[string]any{"Resources": map[string]any{
		"Repo": map[string]any{"Type": "AWS::ECR::Repository", "Properties": map[string]any{
			"RepositoryName":  repoName,
			"LifecyclePolicy": map[string]any{"LifecyclePolicyText": `{"rules":[{"rulePriority":1}]}`},
		}},
	}}
}

// go-snaps v0.5.15 creates golden files executable (0777 less the umask);
// MatchGolden leaves them 0644, with the text go-snaps writes, which is
// what the line numbers of a mismatch are counted in.
func TestGoldenFilesAreWrittenWithMode0644(t *testing.T) {
	if ciinfo.IsCI {
		t.Skip("go-snaps writes no golden file when it detects CI")
	}
	dir := t.TempDir()
	rec := &failures{T: t}
	matchGolden(rec, dir, "Written", template("web"), true, false)
	if len(rec.errors) > 0 {
		t.Fatalf("writing failed: %q", rec.errors)
	}
	path := filepath.Join(dir, "Written_1.snap.json")
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o644 {
		t.Errorf("golden file mode %v, want -rw-r--r--", mode)
	}
	written, _ := os.ReadFile(path)
	rendered, err := renderGolden(ExpandEmbeddedJSON(template("web")))
	if err != nil {
		t.Fatal(err)
	}
	if string(written) != rendered {
		t.Errorf("go-snaps wrote\n%s\nrenderGolden renders\n%s", written, rendered)
	}
}

// Rewriting an executable golden file, as go-snaps v0.5.15 left them,
// leaves it 0644.
func TestRewrittenGoldenFilesGetMode0644(t *testing.T) {
	if ciinfo.IsCI {
		t.Skip("go-snaps rewrites no golden file when it detects CI")
	}
	path := filepath.Join(t.TempDir(), "Rewritten_1.snap.json")
	if err := os.WriteFile(path, []byte("{}"), 0o755); err != nil {
		t.Fatal(err)
	}
	matchGolden(&failures{T: t}, filepath.Dir(path), "Rewritten", template("api"), true, false)
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o644 {
		t.Errorf("rewritten golden file mode %v, want -rw-r--r--", info.Mode().Perm())
	}
	if rewritten, _ := os.ReadFile(path); !strings.Contains(string(rewritten), `"api"`) {
		t.Errorf("the golden file was not rewritten:\n%s", rewritten)
	}
}

// A mismatch names the golden file and its first differing line, in plain
// text unless colour is asked for.
func TestGoldenMismatchIsPlainTextAtTheFirstDifferentLine(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"Plain", "Coloured"} {
		golden, _ := renderGolden(ExpandEmbeddedJSON(template("web")))
		if err := os.WriteFile(filepath.Join(dir, name+"_1.snap.json"), []byte(golden), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Line 16 of the golden file is `"RepositoryName": "web"`.
	golden, _ := renderGolden(ExpandEmbeddedJSON(template("web")))
	if line := strings.Split(golden, "\n")[15]; strings.TrimSpace(line) != `"RepositoryName": "web"` {
		t.Fatalf("line 16 of the golden file is %q", line)
	}

	plain := &failures{T: t}
	matchGolden(plain, dir, "Plain", template("api"), false, false)
	if len(plain.errors) != 1 {
		t.Fatalf("want one failure, got %q", plain.errors)
	}
	msg := plain.errors[0]
	if strings.Contains(msg, "\x1b") {
		t.Errorf("plain diff holds escape sequences: %q", msg)
	}
	for _, want := range []string{`- ` + strings.Repeat(" ", 8) + `"RepositoryName": "web"`, `+ ` + strings.Repeat(" ", 8) + `"RepositoryName": "api"`} {
		if !strings.Contains(msg, "\n"+want+"\n") {
			t.Errorf("diff lacks the line %q:\n%s", want, msg)
		}
	}
	if !strings.HasSuffix(msg, "/Plain_1.snap.json:16") {
		t.Errorf("diff does not end at line 16 of the golden file :\n%s", msg)
	}

	coloured := &failures{T: t}
	matchGolden(coloured, dir, "Coloured", template("api"), false, true)
	if len(coloured.errors) != 1 || !strings.Contains(coloured.errors[0], "\x1b[") {
		t.Errorf("coloured diff has no colour: %q", coloured.errors)
	}
}

func TestFirstDifferentLine(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"a\nb\nc", "a\nb\nc", 0},
		{"a\nb\nc", "a\nX\nc", 2},
		{"a\nb", "a\nb\nc", 3},
		{"x", "y", 1},
	} {
		if got := firstDifferentLine(tt.a, tt.b); got != tt.want {
			t.Errorf("firstDifferentLine(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
