package cdktest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gkampitakis/go-snaps/snaps"
	"github.com/mattn/go-isatty"
	"github.com/tidwall/pretty"

	"github.com/secure-ecr/ecr-cdk-go/internal/library/changes"
)

// EmbeddedJSONKey marks, in a golden template, a JSON document that the
// template holds as a string (LifecyclePolicyText, a policy or event pattern
// given as text): the string is replaced by {"(embedded JSON)": document},
// so a change inside it shows as a line-by-line diff.
const EmbeddedJSONKey = changes.EmbeddedJSONKey

// MatchGolden compares a template with its golden file,
// testdata/<name>_1.snap.json beside the calling test, written by go-snaps
// (the snapshot library this kit uses). A mismatch fails the test with
// go-snaps' diff, followed by the golden file's path and the number of its
// first line that differs ("at testdata/Images_1.snap.json:42"). The diff is
// coloured only when both standard output and standard error are terminals
// and NO_COLOR is unset; in CI logs, or under `go test ./...`, which pipes
// the test binary's output, it is plain text.
//
// A missing golden file fails the test too, instead of being created
// silently: set UPDATE_SNAPS=true to write or rewrite golden files after an
// intended change. A rewrite that would lose something when deployed (a
// stateful resource replaced, moved, orphaned or deleted, ...: see
// [CheckChanges]) and is not acknowledged with [AllowChange] is refused: the
// golden file is kept and the test fails with the findings. Golden files are
// left with mode 0644 (go-snaps v0.5.15 creates them with 0777 less the
// umask, executable). Keys are sorted and
// embedded JSON strings are expanded (see [EmbeddedJSONKey]).
func MatchGolden(t *testing.T, name string, template map[string]any) {
	t.Helper()
	matchGolden(t, "testdata", name, template, os.Getenv("UPDATE_SNAPS") == "true", colourOutput())
}

// MatchGoldenIn is [MatchGolden] with the golden file in dir, relative to
// the calling test's package directory, instead of testdata: for a test
// that checks, in one app, stacks whose golden files other packages' tests
// write (testdata/<name>_1.snap.json of each example). Like MatchGolden, it
// rewrites the golden file under UPDATE_SNAPS=true; a test that only
// re-checks other tests' golden files should skip then.
func MatchGoldenIn(t *testing.T, dir, name string, template map[string]any) {
	t.Helper()
	matchGolden(t, dir, name, template, os.Getenv("UPDATE_SNAPS") == "true", colourOutput())
}

// goldenJSON is how go-snaps renders the golden files of MatchGolden.
var goldenJSON = snaps.JSONConfig{Indent: "  ", SortKeys: true}

// matchGolden is MatchGolden with the golden file's directory, update mode
// and colour given.
func matchGolden(t testing.TB, dir, name string, template map[string]any, update, colour bool) {
	t.Helper()
	path := filepath.Join(dir, name+"_1.snap.json")
	golden, err := os.ReadFile(path)
	if err != nil && !update {
		t.Errorf("%s: no golden template in %s; run the test with UPDATE_SNAPS=true to write it", name, dir)
		return
	}
	if update && err == nil && refuseRewrite(t, dir, name, template) {
		return // a change that would lose something, not acknowledged (changes.go)
	}
	expanded := ExpandEmbeddedJSON(template)
	st := &snapT{TB: t, colour: colour}
	snaps.WithConfig(
		snaps.Dir(dir),
		snaps.Filename(name),
		snaps.Update(update), // never create or rewrite a golden file unless asked
		snaps.JSON(goldenJSON),
	).MatchStandaloneJSON(st, expanded)
	if update {
		if err := os.Chmod(path, 0o644); err != nil && !os.IsNotExist(err) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if len(st.failures) == 0 {
		return
	}
	line := 0
	if received, err := renderGolden(expanded); err == nil {
		line = firstDifferentLine(string(golden), received)
	}
	for _, f := range st.failures {
		if !colour {
			f = ansiEscape.ReplaceAllString(f, "")
		}
		if line > 0 {
			// go-snaps points at line 1 of a standalone snapshot.
			f = snapLocation.ReplaceAllString(f, fmt.Sprintf("${1}:%d\n", line))
		}
		t.Error(f)
	}
}

// snapT passes go-snaps a test whose errors are collected, so MatchGolden
// can rewrite them before they fail the real test.
type snapT struct {
	testing.TB
	colour   bool
	failures []string
}

func (s *snapT) Error(args ...any) { s.failures = append(s.failures, fmt.Sprint(args...)) }

// Log passes go-snaps' notes ("Snapshot added") on, without colour unless
// colour is on.
func (s *snapT) Log(args ...any) {
	s.TB.Helper()
	msg := fmt.Sprint(args...)
	if !s.colour {
		msg = ansiEscape.ReplaceAllString(msg, "")
	}
	s.TB.Log(msg)
}

// snapLocation matches the golden file's location at the end of go-snaps'
// diff.
var snapLocation = regexp.MustCompile(`(at \S+_1\.snap\.json):1\n`)

// ansiEscape matches the colour sequences go-snaps writes.
var ansiEscape = regexp.MustCompile("\x1b\\[[0-9;]*m")

// colourOutput reports whether diffs may be coloured: both standard output
// and standard error are terminals, and NO_COLOR (https://no-color.org) is
// unset. go-snaps v0.5.15 itself colours unless NO_COLOR is set, whatever
// the output is.
func colourOutput() bool {
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	return isatty.IsTerminal(os.Stdout.Fd()) && isatty.IsTerminal(os.Stderr.Fd())
}

// renderGolden renders v the way go-snaps writes it into a golden file.
func renderGolden(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	opts := &pretty.Options{Width: goldenJSON.Width, Indent: goldenJSON.Indent, SortKeys: goldenJSON.SortKeys}
	return strings.TrimSuffix(string(pretty.PrettyOptions(b, opts)), "\n"), nil
}

// firstDifferentLine returns the 1-based number of the first line where a
// and b differ, or 0 when they are equal. When one is a prefix of the
// other, it is the line after the shorter one's last.
func firstDifferentLine(a, b string) int {
	if a == b {
		return 0
	}
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return i + 1
		}
	}
	return min(len(al), len(bl)) + 1
}

// ExpandEmbeddedJSON returns a copy of v in which every string holding a
// JSON object or array is replaced by {EmbeddedJSONKey: the parsed
// document}, recursively. Other values are kept as they are.
func ExpandEmbeddedJSON(v any) any { return changes.ExpandEmbeddedJSON(v) }
