package lifecycle

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/internal/errlist"
)

// RuleError is one problem with a lifecycle policy: the rule it concerns,
// the field in ECR's policy JSON, the offending value and the constraint it
// breaks.
type RuleError struct {
	// Index is the rule's position in the policy (from 0), or -1 when the
	// problem concerns the policy as a whole.
	Index int
	// Priority is the rule's rulePriority, or 0 when it has none yet.
	Priority int
	// Description is the rule's description, if any.
	Description string
	// Field is the field's path in the policy JSON, such as
	// "selection.countNumber".
	Field string
	// Value is the offending value, formatted as JSON.
	Value string
	// Constraint says what the value must be.
	Constraint string
}

// Rule names the rule the problem concerns, as the messages show it:
// `rule 3 ("keep releases")`, `rules[2]` when it has no priority yet, or
// "policy".
func (e *RuleError) Rule() string {
	switch {
	case e.Index < 0:
		return "policy"
	case e.Priority > 0 && e.Description != "":
		return fmt.Sprintf("rule %d (%q)", e.Priority, e.Description)
	case e.Priority > 0:
		return fmt.Sprintf("rule %d", e.Priority)
	default:
		return fmt.Sprintf("rules[%d]", e.Index)
	}
}

// Error returns the problem on one line:
// `rule 3 ("keep releases"): selection.countNumber 0: must be at least 1`.
func (e *RuleError) Error() string {
	var b strings.Builder
	b.WriteString(e.Rule())
	b.WriteString(": ")
	b.WriteString(e.Field)
	if e.Value != "" {
		b.WriteString(" ")
		b.WriteString(e.Value)
	}
	b.WriteString(": ")
	b.WriteString(e.Constraint)
	return b.String()
}

// Errors is every problem found in a policy, in the order of its rules.
type Errors []*RuleError

// Error joins the problems with "; ", keeping the report on one line.
func (es Errors) Error() string { return errlist.Join(es) }

// Unwrap returns the individual problems for errors.As and errors.Is.
func (es Errors) Unwrap() []error { return errlist.Unwrap(es) }

// AsErrors returns the individual problems of an error returned by this
// package, one per line of a report, or nil when err is nil.
func AsErrors(err error) []*RuleError {
	if err == nil {
		return nil
	}
	var es Errors
	if errors.As(err, &es) {
		return es
	}
	var e *RuleError
	if errors.As(err, &e) {
		return []*RuleError{e}
	}
	return []*RuleError{{Index: -1, Field: "policy", Constraint: err.Error()}}
}

// problems collects RuleErrors while a policy is checked.
type problems struct {
	list Errors
}

// add records a problem with rule r at index i.
func (p *problems) add(i int, r Rule, field string, value any, constraint string) {
	p.list = append(p.list, &RuleError{
		Index:       i,
		Priority:    r.Priority,
		Description: r.Description,
		Field:       field,
		Value:       formatValue(value),
		Constraint:  constraint,
	})
}

// addPolicy records a problem with the policy as a whole.
func (p *problems) addPolicy(field string, value any, constraint string) {
	p.list = append(p.list, &RuleError{Index: -1, Field: field, Value: formatValue(value), Constraint: constraint})
}

// err returns the collected problems in the order of the rules (problems
// of the whole policy first), or nil when there are none.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	slices.SortStableFunc(p.list, func(a, b *RuleError) int { return a.Index - b.Index })
	return p.list
}

// formatValue renders a value the way it appears in policy JSON.
func formatValue(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return fmt.Sprintf("%q", v)
	case []string:
		quoted := make([]string, len(v))
		for i, s := range v {
			quoted[i] = fmt.Sprintf("%q", s)
		}
		return "[" + strings.Join(quoted, ",") + "]"
	case rawValue:
		return string(v)
	default:
		return fmt.Sprintf("%v", v)
	}
}

// rawValue is a value already formatted (a JSON fragment from a parsed policy).
type rawValue string
