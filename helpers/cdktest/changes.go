package cdktest

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/internal/library/cfn"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/changes"
)

// The change checks compare templates the way `ecr-cdk diff` does (see
// docs/changes.md): a stateful resource replaced, moved to another logical
// id, orphaned or deleted, a weakened DeletionPolicy or UpdateReplacePolicy,
// EmptyOnDelete switched on, an ECR registry setting moved between stacks,
// a changed lifecycle policy (a note here: the kit has no images). Errors
// fail the test unless acknowledged, one line each, the same lines as the
// command's; notes and acknowledged findings are logged.

// allowances holds the acknowledgements of AllowChange, by test name.
var allowances sync.Map // test name -> map[string]string

// AllowChange acknowledges the change findings of one resource for the rest
// of the test t and its subtests: logicalID is the resource's logical id (or
// STACK/LOGICAL_ID; for a move, the old or the new one), reason says why the
// loss is accepted, and is required. [MatchGolden] (and so [Check]) then
// rewrites a golden file over those findings under UPDATE_SNAPS=true, and
// [CheckChanges] and [CheckGoldenChanges] accept them. Acknowledged findings
// are still logged, with the reason.
func AllowChange(t testing.TB, logicalID, reason string) {
	t.Helper()
	if strings.TrimSpace(logicalID) == "" || strings.TrimSpace(reason) == "" {
		t.Fatalf("AllowChange(%q, %q): a logical id and a reason are required", logicalID, reason)
	}
	name := t.Name()
	v, _ := allowances.LoadOrStore(name, &sync.Map{})
	v.(*sync.Map).Store(logicalID, reason)
	t.Cleanup(func() { allowances.Delete(name) })
}

// allowed returns the acknowledgements of t and its parent tests, and allow.
func allowed(t testing.TB, allow map[string]string) changes.Allow {
	out := changes.Allow{}
	name := t.Name()
	allowances.Range(func(k, v any) bool {
		if k == name || strings.HasPrefix(name, k.(string)+"/") {
			v.(*sync.Map).Range(func(id, reason any) bool {
				out[id.(string)] = reason.(string)
				return true
			})
		}
		return true
	})
	for id, reason := range allow {
		out[id] = reason
	}
	return out
}

// stacksOf turns templates by stack name into the stacks changes compares.
func stacksOf(templates map[string]map[string]any) []changes.Stack {
	var out []changes.Stack
	for _, name := range slices.Sorted(maps.Keys(templates)) {
		out = append(out, changes.Stack{Name: name, Template: templates[name]})
	}
	return out
}

// ChangeFindings compares old templates with new ones, both by stack name,
// and returns the findings as lines (the lines of `ecr-cdk diff`): blocking
// are the errors allow does not acknowledge, others the notes and the
// acknowledged errors. allow maps a logical id (or STACK/LOGICAL_ID) to the
// reason it is accepted; it may be nil.
func ChangeFindings(old, new map[string]map[string]any, allow map[string]string) (blocking, others []string) {
	report := changes.Compare(stacksOf(old), stacksOf(new), &changes.Options{Allow: changes.Allow(allow)})
	for _, f := range report.Findings {
		if f.Blocks() {
			blocking = append(blocking, f.String())
		} else {
			others = append(others, f.String())
		}
	}
	return blocking, others
}

// CheckChanges compares old templates (the deployed ones, say) with new
// ones, both by stack name, and fails the test with one error per finding
// that would lose something and is not acknowledged (by allow, which may be
// nil, or by [AllowChange]); notes and acknowledged findings are logged. It
// returns whether nothing blocks.
func CheckChanges(t testing.TB, old, new map[string]map[string]any, allow map[string]string) bool {
	t.Helper()
	blocking, others := ChangeFindings(old, new, allowed(t, allow))
	for _, line := range others {
		t.Logf("%s", line)
	}
	for _, line := range blocking {
		t.Errorf("%s", line)
	}
	switch n := len(blocking); {
	case n == 1:
		t.Errorf("1 change finding would lose something; once you accept it, acknowledge it with cdktest.AllowChange(t, LOGICAL_ID, REASON)")
	case n > 1:
		t.Errorf("%d change findings would lose something; acknowledge each you accept with cdktest.AllowChange(t, LOGICAL_ID, REASON)", n)
	}
	return len(blocking) == 0
}

// CheckGoldenChanges checks newly synthesized templates, by stack name,
// against their committed golden files (testdata/<stack>_1.snap.json, as
// [MatchGolden] writes them) with [CheckChanges]. A stack without a golden
// file is new and is not checked.
func CheckGoldenChanges(t testing.TB, templates map[string]map[string]any, allow map[string]string) bool {
	t.Helper()
	return checkGoldenChanges(t, "testdata", templates, allow)
}

func checkGoldenChanges(t testing.TB, dir string, templates map[string]map[string]any, allow map[string]string) bool {
	t.Helper()
	old, new := map[string]map[string]any{}, map[string]map[string]any{}
	for name, tpl := range templates {
		data, err := os.ReadFile(filepath.Join(dir, name+"_1.snap.json"))
		if err != nil {
			continue
		}
		golden, err := cfn.Parse(data)
		if err != nil {
			t.Errorf("%s: golden file %s: %v", name, filepath.Join(dir, name+"_1.snap.json"), err)
			return false
		}
		old[name], new[name] = golden, jsonCopy(tpl)
	}
	if len(old) == 0 {
		return true
	}
	return CheckChanges(t, old, new, allow)
}

// jsonCopy returns a template as encoding/json decodes it (float64
// numbers), as the golden file is read.
func jsonCopy(v map[string]any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out map[string]any
	if json.Unmarshal(b, &out) != nil {
		return v
	}
	return out
}

// refuseRewrite is MatchGolden's check before it rewrites a golden file
// under UPDATE_SNAPS=true: it reports, and returns true for, findings of the
// rewrite that would lose something and are not acknowledged.
func refuseRewrite(t testing.TB, dir, name string, template map[string]any) bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name+"_1.snap.json"))
	if err != nil {
		return false
	}
	if _, err := cfn.Parse(data); err != nil {
		return false // not a template: nothing to compare
	}
	if checkGoldenChanges(t, dir, map[string]map[string]any{name: template}, nil) {
		return false
	}
	t.Errorf("%s: the golden file is not rewritten: %s", name, fmt.Sprintf("the change above would lose something when deployed over %s", filepath.Join(dir, name+"_1.snap.json")))
	return true
}
