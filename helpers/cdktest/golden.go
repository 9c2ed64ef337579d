package cdktest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gkampitakis/go-snaps/snaps"
)

// EmbeddedJSONKey marks, in a golden template, a JSON document that the
// template holds as a string (LifecyclePolicyText, a policy or event pattern
// given as text): the string is replaced by {"(embedded JSON)": document},
// so a change inside it shows as a line-by-line diff.
const EmbeddedJSONKey = "(embedded JSON)"

// MatchGolden compares a template with its golden file,
// testdata/<name>_1.snap.json beside the calling test, written by go-snaps
// (the snapshot library this kit uses). A mismatch fails the test with a
// diff. A missing golden file fails the test too, instead of being created
// silently: set UPDATE_SNAPS=true to write or rewrite golden files after an
// intended change. Keys are sorted and embedded JSON strings are expanded
// (see [EmbeddedJSONKey]).
func MatchGolden(t *testing.T, name string, template map[string]any) {
	t.Helper()
	update := os.Getenv("UPDATE_SNAPS") == "true"
	if _, err := os.Stat(filepath.Join("testdata", name+"_1.snap.json")); err != nil && !update {
		t.Errorf("%s: no golden template in testdata/; run the test with UPDATE_SNAPS=true to write it", name)
		return
	}
	snaps.WithConfig(
		snaps.Dir("testdata"),
		snaps.Filename(name),
		snaps.Update(update), // never create or rewrite a golden file unless asked
		snaps.JSON(snaps.JSONConfig{Indent: "  ", SortKeys: true}),
	).MatchStandaloneJSON(t, ExpandEmbeddedJSON(template))
}

// ExpandEmbeddedJSON returns a copy of v in which every string holding a
// JSON object or array is replaced by {EmbeddedJSONKey: the parsed
// document}, recursively. Other values are kept as they are.
func ExpandEmbeddedJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = ExpandEmbeddedJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = ExpandEmbeddedJSON(e)
		}
		return out
	case string:
		trimmed := strings.TrimSpace(v)
		if !strings.HasPrefix(trimmed, "{") && !strings.HasPrefix(trimmed, "[") {
			return v
		}
		var doc any
		if json.Unmarshal([]byte(trimmed), &doc) != nil {
			return v
		}
		return map[string]any{EmbeddedJSONKey: ExpandEmbeddedJSON(doc)}
	default:
		return v
	}
}
