package lifecycle

import (
	"fmt"
	"slices"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/leaf/jsonpos"
)

// ValidationError is one problem with a lifecycle policy. It is
// validation.Error, the error type of the whole library: Package is
// "lifecycle", Path names the rule by its position in the list given (to
// NewPolicy, or in the policy's "rules" array for Parse) and its
// description, `rules[2] ("keep releases")`, or is "policy" for the policy as
// a whole; Field is the field's path in ECR's policy JSON, such as
// "selection.countNumber"; Value is the offending value as JSON.
type ValidationError = validation.Error

// Errors is every problem found in a policy, in the order of the rules given
// (problems of the whole policy first). It is validation.Errors.
type Errors = validation.Errors

// RuleName names a rule in messages: its position in the list it was given
// in (from 0) and its description, `rules[2] ("keep releases")`, or
// `rules[2]` without a description.
func RuleName(position int, description string) string {
	if description == "" {
		return fmt.Sprintf("rules[%d]", position)
	}
	return fmt.Sprintf("rules[%d] (%q)", position, description)
}

// policyPath is the Path of a problem with the policy as a whole.
const policyPath = "policy"

// problems collects the problems found while a policy is checked. It is not
// validation.Collector, which records problems of one path: a policy's
// problems each name their own rule, by the position the caller gave it
// (rules are checked in priority order), sort by that position, and, when
// the policy was parsed, are located in its text afterwards (line and
// column of the mistyped value); the problems themselves are
// validation.Error values all the same.
type problems struct {
	list  Errors
	at    []int   // the position of the rule each problem concerns; -1 for the policy
	where [][]any // for a mistyped value of a parsed policy, its path in the JSON ("rules", 2, "selection", ...)
	order []int   // order[i] is the position given of the i-th rule checked; nil when they are the same
}

// position returns the position given of the i-th rule checked.
func (p *problems) position(i int) int {
	if p.order == nil {
		return i
	}
	return p.order[i]
}

// name names the i-th rule checked.
func (p *problems) name(i int, r Rule) string { return RuleName(p.position(i), r.Description) }

// add records a problem with the i-th rule checked, r.
func (p *problems) add(i int, r Rule, field string, value any, constraint string) {
	p.list = append(p.list, &ValidationError{
		Package:    "lifecycle",
		Path:       p.name(i, r),
		Field:      field,
		Value:      validation.Format(value),
		Constraint: constraint,
	})
	p.at = append(p.at, p.position(i))
	p.where = append(p.where, nil)
}

// addTyped records a value of the wrong JSON type in the i-th rule, at
// field: its line and column are found when the policy text is known.
func (p *problems) addTyped(i int, r Rule, field string, value any, constraint string) {
	p.add(i, r, field, value, constraint)
	where := []any{"rules", p.position(i)}
	if field != "rule" {
		for _, part := range strings.Split(field, ".") {
			where = append(where, part)
		}
	}
	p.where[len(p.where)-1] = where
}

// locate gives the mistyped values their line and column in text.
func (p *problems) locate(text []byte) {
	for j, where := range p.where {
		if where == nil {
			continue
		}
		if off, ok := jsonpos.LocatePath(text, where...); ok {
			p.list[j].Line, p.list[j].Column = jsonpos.Locate(text, off)
		}
	}
}

// addPolicy records a problem with the policy as a whole.
func (p *problems) addPolicy(field string, value any, constraint string) {
	p.list = append(p.list, &ValidationError{Package: "lifecycle", Path: policyPath, Field: field, Value: validation.Format(value), Constraint: constraint})
	p.at = append(p.at, -1)
	p.where = append(p.where, nil)
}

// merge appends the problems another collector found.
func (p *problems) merge(q *problems) {
	p.list = append(p.list, q.list...)
	p.at = append(p.at, q.at...)
	p.where = append(p.where, q.where...)
}

// err returns the collected problems in the order of the rules given
// (problems of the whole policy first), or nil when there are none.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	idx := make([]int, len(p.list))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return p.at[a] - p.at[b] })
	out := make(Errors, len(idx))
	for i, j := range idx {
		out[i] = p.list[j]
	}
	return out
}

// rawValue is a value already formatted (a JSON fragment from a parsed
// policy).
type rawValue = validation.Raw
