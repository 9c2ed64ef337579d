package lifecycle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/leaf/jsonpos"
	"github.com/secure-ecr/ecr-cdk-go/internal/leaf/oneline"
)

// Parse reads a lifecycle policy document, `{"rules": [...]}`, as `aws ecr
// get-lifecycle-policy` returns it in lifecyclePolicyText. It refuses unknown
// fields, wrong types and missing required fields, then checks the rules as
// [NewPolicy] does, and returns every problem found as [validation.Errors].
// Unlike NewPolicy it does not refuse the errors of the static analysis,
// which ECR accepts: they are the policy's [Policy.Findings], with its
// warnings. The rules of the returned policy are in priority order; for any
// policy p, Parse(p.JSON()) returns a policy with the same rules.
func Parse(text []byte) (*Policy, error) {
	p := newProblems()
	if e := syntaxError(text); e != nil {
		return nil, validation.Errors{e}
	}
	top, ok := object(text)
	if !ok {
		p.AddAt(atPolicy(), "policy", snippet(text), `must be a JSON object {"rules": [...]}`)
		return nil, p.Err()
	}
	for _, key := range slices.Sorted(maps.Keys(top)) { // sorted: one message order for one text
		if key != "rules" {
			p.AddAt(atPolicy(), key, nil, `unknown field; a policy has only "rules"`)
		}
	}
	raw, found := top["rules"]
	var items []json.RawMessage
	sound := true // every rule's fields could be read, so the rules can be checked together
	switch {
	case !found:
		p.AddAt(atPolicy(), "rules", nil, "is required")
		sound = false
	case json.Unmarshal(raw, &items) != nil:
		at := atPolicy()
		at.JSON = []any{"rules"}
		p.AddAt(at, "rules", snippet(raw), "must be an array of rules")
		sound = false
	}
	rules := make([]Rule, len(items))
	for i, item := range items {
		var broken validation.Errors
		p.Nested("", func(q *validation.Collector) {
			rules[i] = parseRule(i, item, q, p)
			broken = validation.List(q.Err())
		})
		if len(broken) > 0 {
			// A missing or mistyped field leaves the rule ambiguous: checking
			// it further would only report consequences of the same mistake.
			for _, e := range broken {
				if crossRuleFields[e.Field] {
					sound = false
				}
			}
			continue
		}
		checkRule(atRule(i, rules[i]), rules[i], p)
	}
	if sound {
		checkPolicy(rules, nil, p)
	}
	p.LocateJSON(text)
	if err := p.Err(); err != nil {
		return nil, err
	}
	order := make([]int, len(rules))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return rules[a].Priority - rules[b].Priority })
	sorted := make([]Rule, len(rules))
	for i, j := range order {
		sorted[i] = rules[j]
	}
	policy, err := finish(sorted)
	if err != nil {
		return nil, err
	}
	// ECR accepts what the analysis finds: the policy keeps it, errors too.
	policy.findings = analyze(sorted, order)
	return policy, nil
}

// crossRuleFields are the fields the checks across rules read: when one of
// them can't be read, those checks would only report noise.
var crossRuleFields = map[string]bool{
	"rule": true, "rulePriority": true, "selection": true, "selection.tagStatus": true,
	"selection.tagPrefixList": true, "selection.tagPatternList": true, "selection.storageClass": true,
}

// ruleFields, selectionFields and actionFields are the keys ECR knows.
var (
	ruleFields      = []string{"rulePriority", "description", "selection", "action"}
	selectionFields = []string{"tagStatus", "tagPatternList", "tagPrefixList", "storageClass", "countType", "countUnit", "countNumber"}
	actionFields    = []string{"type", "targetStorageClass"}
)

// parseRule reads one rule, recording missing and mistyped fields in broken
// and unknown fields in unknownFields: an unknown field doesn't stop the
// rule's other fields from being checked, a broken one does.
func parseRule(i int, raw json.RawMessage, broken, unknownFields *validation.Collector) Rule {
	var r Rule
	fields, ok := object(raw)
	if !ok {
		broken.AddAt(atTyped(i, r, "rule"), "rule", snippet(raw), "must be a JSON object")
		return r
	}
	// Priority and description first, so later problems can name the rule.
	if v, ok := fields["rulePriority"]; ok {
		r.Priority, _ = integer(i, r, "rulePriority", v, broken)
	} else {
		broken.AddAt(atRule(i, r), "rulePriority", nil, "is required")
	}
	if v, ok := fields["description"]; ok {
		r.Description, _ = str(i, r, "description", v, broken)
	}
	unknown(i, r, "", fields, ruleFields, unknownFields)

	sel, ok := section(i, r, "selection", fields, broken)
	if ok {
		unknown(i, r, "selection.", sel, selectionFields, unknownFields)
		if s, ok := required(i, r, "selection.tagStatus", sel, "tagStatus", broken); ok {
			v, _ := str(i, r, "selection.tagStatus", s, broken)
			r.TagStatus = TagStatus(v)
		}
		r.TagPrefixes = list(i, r, "selection.tagPrefixList", sel["tagPrefixList"], broken)
		r.TagPatterns = list(i, r, "selection.tagPatternList", sel["tagPatternList"], broken)
		if v, ok := sel["storageClass"]; ok {
			s, _ := str(i, r, "selection.storageClass", v, broken)
			r.StorageClass = StorageClass(s)
		}
		if v, ok := required(i, r, "selection.countType", sel, "countType", broken); ok {
			s, _ := str(i, r, "selection.countType", v, broken)
			r.CountType = CountType(s)
		}
		if v, ok := required(i, r, "selection.countNumber", sel, "countNumber", broken); ok {
			r.CountNumber, _ = integer(i, r, "selection.countNumber", v, broken)
		}
		unit, hasUnit := sel["countUnit"]
		switch {
		case hasUnit && !r.CountType.usesDays():
			broken.AddAt(atRule(i, r), "selection.countUnit", rawValue(unit), fmt.Sprintf("only goes with a since* countType, not %q", r.CountType))
		case hasUnit:
			if s, ok := str(i, r, "selection.countUnit", unit, broken); ok && s != countUnitDays {
				broken.AddAt(atRule(i, r), "selection.countUnit", s, `must be "days"`)
			}
		case r.CountType.usesDays():
			broken.AddAt(atRule(i, r), "selection.countUnit", nil, fmt.Sprintf(`is required with countType %q and must be "days"`, r.CountType))
		}
	}

	act, ok := section(i, r, "action", fields, broken)
	if ok {
		unknown(i, r, "action.", act, actionFields, unknownFields)
		if v, ok := required(i, r, "action.type", act, "type", broken); ok {
			s, _ := str(i, r, "action.type", v, broken)
			r.Action = Action(s)
		}
		target, hasTarget := act["targetStorageClass"]
		switch {
		case hasTarget && r.Action != ActionTransition:
			broken.AddAt(atRule(i, r), "action.targetStorageClass", rawValue(target), `only goes with action "transition"`)
		case hasTarget:
			if s, ok := str(i, r, "action.targetStorageClass", target, broken); ok && s != string(StorageClassArchive) {
				broken.AddAt(atRule(i, r), "action.targetStorageClass", s, `must be "archive", the only storage class a rule can transition to`)
			}
		case r.Action == ActionTransition:
			broken.AddAt(atRule(i, r), "action.targetStorageClass", nil, `is required with action "transition" and must be "archive"`)
		}
	}
	return r
}

// syntaxError returns the first JSON syntax error of text, at its line and
// column, or nil when text is well-formed JSON.
func syntaxError(text []byte) *validation.Error {
	var v any
	err := json.Unmarshal(text, &v)
	if err == nil {
		return nil
	}
	e := &validation.Error{Package: "lifecycle", Constraint: jsonpos.Message(err), Err: err}
	e.Line, e.Column, _ = jsonpos.Position(text, err, 0)
	return e
}

// object decodes a JSON object into its raw fields.
func object(raw []byte) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, false
	}
	return m, true
}

// section returns a required nested object such as "selection".
func section(i int, r Rule, name string, fields map[string]json.RawMessage, p *validation.Collector) (map[string]json.RawMessage, bool) {
	raw, ok := required(i, r, name, fields, name, p)
	if !ok {
		return nil, false
	}
	m, ok := object(raw)
	if !ok {
		p.AddAt(atTyped(i, r, name), name, snippet(raw), "must be a JSON object")
	}
	return m, ok
}

// required returns a field that must be present.
func required(i int, r Rule, path string, fields map[string]json.RawMessage, key string, p *validation.Collector) (json.RawMessage, bool) {
	v, ok := fields[key]
	if !ok {
		p.AddAt(atRule(i, r), path, nil, "is required")
	}
	return v, ok
}

// unknown records every key that ECR does not know, in sorted order.
func unknown(i int, r Rule, prefix string, fields map[string]json.RawMessage, known []string, p *validation.Collector) {
	var keys []string
	for k := range fields {
		if !slices.Contains(known, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		p.AddAt(atRule(i, r), prefix+k, nil, "unknown field; ECR knows "+strings.Join(known, ", "))
	}
}

// str decodes a JSON string.
func str(i int, r Rule, path string, raw json.RawMessage, p *validation.Collector) (string, bool) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		p.AddAt(atTyped(i, r, path), path, snippet(raw), "must be a string")
		return "", false
	}
	return s, true
}

// integer decodes a JSON integer that fits ECR's 32-bit fields.
func integer(i int, r Rule, path string, raw json.RawMessage, p *validation.Collector) (int, bool) {
	n, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	switch {
	case err != nil:
		p.AddAt(atTyped(i, r, path), path, snippet(raw), "must be an integer")
		return 0, false
	case n > math.MaxInt32:
		p.AddAt(atRule(i, r), path, snippet(raw), "must be at most 2147483647")
		return 0, false
	case n < 1:
		p.AddAt(atRule(i, r), path, snippet(raw), "must be a positive integer")
		return 0, false
	}
	return int(n), true
}

// list decodes an optional JSON array of strings; present but empty is an
// error, as ECR needs at least one entry.
func list(i int, r Rule, path string, raw json.RawMessage, p *validation.Collector) []string {
	if raw == nil {
		return nil
	}
	var l []string
	if err := json.Unmarshal(raw, &l); err != nil || l == nil {
		p.AddAt(atTyped(i, r, path), path, snippet(raw), "must be an array of strings")
		return nil
	}
	return l
}

// snippet shortens a raw JSON value for a one-line error message.
func snippet(raw []byte) rawValue {
	return rawValue(oneline.Cut(string(raw), 40))
}
