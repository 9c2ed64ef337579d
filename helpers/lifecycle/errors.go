package lifecycle

import (
	"fmt"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

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

// atRule places a problem of r, the rule the caller gave at position pos:
// the problem names the rule and sorts by its position, so problems come in
// the order of the rules given whatever order they are checked in (rules
// are checked in priority order).
func atRule(pos int, r Rule) validation.Place {
	return validation.Place{Path: RuleName(pos, r.Description), Order: pos}
}

// atChecked is atRule for rules[i], the i-th rule checked, whose position
// given is order[i] (i when order is nil: the rules are in the order given).
func atChecked(rules []Rule, order []int, i int) validation.Place {
	pos := i
	if order != nil {
		pos = order[i]
	}
	return atRule(pos, rules[i])
}

// atTyped is atRule for a value of the wrong JSON type at field of the rule
// at position pos of a parsed policy: LocateJSON gives it its line and
// column in the policy text.
func atTyped(pos int, r Rule, field string) validation.Place {
	at := atRule(pos, r)
	at.JSON = []any{"rules", pos}
	if field != "rule" {
		for _, part := range strings.Split(field, ".") {
			at.JSON = append(at.JSON, part)
		}
	}
	return at
}

// atPolicy places a problem with the policy as a whole, before the
// problems of every rule.
func atPolicy() validation.Place { return validation.Place{Path: policyPath, Order: -1} }

// newProblems returns a collector for the problems of a policy, each
// recorded at its place (atRule, atPolicy).
func newProblems() *validation.Collector { return &validation.Collector{Package: "lifecycle"} }

// rawValue is a value already formatted (a JSON fragment from a parsed
// policy).
type rawValue = validation.Raw
