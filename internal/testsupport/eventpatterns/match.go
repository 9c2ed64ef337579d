package eventpatterns

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"quamina.net/go/quamina"
)

// Match reports whether an EventBridge event pattern matches an event.
//
// quamina v1.5.1 matches exact values, prefix, wildcard, exists and
// anything-but, but has neither numeric matching nor "$or". Match closes the
// gap without re-implementing the matcher:
//   - every "$or" is expanded into one pattern per alternative: EventBridge
//     matches when any alternative matches;
//   - every numeric clause, such as {"numeric": [">", 0]}, is replaced by
//     {"exists": true}, so quamina checks everything else and that the field
//     is there; the comparisons are then checked in Go against the event's
//     value, which must be a JSON number, as EventBridge requires.
func Match(pattern, event []byte) (bool, error) {
	var p map[string]any
	if err := json.Unmarshal(pattern, &p); err != nil {
		return false, fmt.Errorf("pattern: %w", err)
	}
	var e map[string]any
	if err := json.Unmarshal(event, &e); err != nil {
		return false, fmt.Errorf("event: %w", err)
	}
	for _, alternative := range expandOr(p) {
		var numeric []numericClause
		plain := replaceNumeric(alternative, nil, &numeric)
		text, err := json.Marshal(plain)
		if err != nil {
			return false, err
		}
		q, err := quamina.New()
		if err != nil {
			return false, err
		}
		if err := q.AddPattern("p", string(text)); err != nil {
			return false, fmt.Errorf("quamina refuses %s: %w", text, err)
		}
		matches, err := q.MatchesForEvent(event)
		if err != nil {
			return false, err
		}
		if len(matches) > 0 && satisfied(numeric, e) {
			return true, nil
		}
	}
	return false, nil
}

// expandOr returns the patterns without "$or" that together match what m
// matches.
func expandOr(m map[string]any) []map[string]any {
	results := []map[string]any{{}}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		var options []map[string]any
		switch v := m[k].(type) {
		case map[string]any:
			for _, e := range expandOr(v) {
				options = append(options, map[string]any{k: e})
			}
		case []any:
			if k != "$or" {
				options = []map[string]any{{k: v}}
				break
			}
			for _, alt := range v {
				if am, ok := alt.(map[string]any); ok {
					options = append(options, expandOr(am)...)
				}
			}
		default:
			options = []map[string]any{{k: v}}
		}
		var next []map[string]any
		for _, r := range results {
			for _, o := range options {
				next = append(next, merge(r, o))
			}
		}
		results = next
	}
	return results
}

// merge combines two patterns, field by field.
func merge(a, b map[string]any) map[string]any {
	out := maps.Clone(a)
	for k, v := range b {
		am, aok := out[k].(map[string]any)
		bm, bok := v.(map[string]any)
		if aok && bok {
			out[k] = merge(am, bm)
		} else {
			out[k] = v
		}
	}
	return out
}

// numericClause is a numeric comparison on the field at path.
type numericClause struct {
	path []string
	ops  []any // operator, number, operator, number ...
}

// replaceNumeric returns the pattern with numeric clauses replaced by
// {"exists": true}, recording the clauses.
func replaceNumeric(v any, path []string, out *[]numericClause) any {
	switch v := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, child := range v {
			m[k] = replaceNumeric(child, append(slices.Clone(path), k), out)
		}
		return m
	case []any:
		var ops []any
		for _, item := range v {
			if im, ok := item.(map[string]any); ok {
				if n, ok := im["numeric"].([]any); ok && len(im) == 1 {
					ops = append(ops, n...)
					continue
				}
			}
			return v // a list with anything but numeric clauses is left alone
		}
		if ops == nil {
			return v
		}
		*out = append(*out, numericClause{path: path, ops: ops})
		return []any{map[string]any{"exists": true}}
	default:
		return v
	}
}

// satisfied checks the numeric clauses against the event.
func satisfied(clauses []numericClause, event map[string]any) bool {
	for _, c := range clauses {
		var v any = event
		for _, k := range c.path {
			m, ok := v.(map[string]any)
			if !ok {
				return false
			}
			v = m[k]
		}
		n, ok := v.(float64)
		if !ok {
			return false
		}
		for i := 0; i+1 < len(c.ops); i += 2 {
			bound, _ := c.ops[i+1].(float64)
			if !compare(n, c.ops[i], bound) {
				return false
			}
		}
	}
	return true
}

// compare applies one EventBridge numeric operator.
func compare(n float64, op any, bound float64) bool {
	switch op {
	case ">":
		return n > bound
	case ">=":
		return n >= bound
	case "<":
		return n < bound
	case "<=":
		return n <= bound
	case "=":
		return n == bound
	}
	return false
}
