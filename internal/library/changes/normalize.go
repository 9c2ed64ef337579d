package changes

import (
	"encoding/json"
	"strings"
)

// EmbeddedJSONKey is how helpers/cdktest's golden files show a JSON
// document held as a string (a lifecycle policy text, an event pattern):
// {"(embedded JSON)": document}. Templates are compared in that form, so a
// golden file compares with a synthesized template, and a policy text
// compares by its JSON, not its spacing or key order.
const EmbeddedJSONKey = "(embedded JSON)"

// ExpandEmbeddedJSON returns a copy of a template value with each string
// holding a JSON object or array replaced by {EmbeddedJSONKey: document},
// recursively: the form of the testing kit's golden files.
func ExpandEmbeddedJSON(v any) any { return normalize(v) }

// normalize is ExpandEmbeddedJSON.
func normalize(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = normalize(e)
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
		return map[string]any{EmbeddedJSONKey: normalize(doc)}
	}
	return v
}

// embeddedText returns the JSON text of a normalized string value: the
// document of {EmbeddedJSONKey: document}, or the string itself.
func embeddedText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case map[string]any:
		if doc, ok := v[EmbeddedJSONKey]; ok && len(v) == 1 {
			b, err := json.Marshal(doc)
			return string(b), err == nil
		}
	}
	return "", false
}
