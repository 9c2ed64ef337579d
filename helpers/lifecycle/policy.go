package lifecycle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"unicode/utf8"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// MaxRules is the most rules one lifecycle policy may hold.
const MaxRules = 50

// MaxPolicyLength is the longest lifecycle policy text ECR accepts, in
// characters.
const MaxPolicyLength = 30720

// Policy is a validated lifecycle policy: every rule has its priority, the
// rules are in priority order, and the policy passes every check ECR makes.
// Build one with [NewPolicy] or [Parse]; the zero value is not usable.
type Policy struct {
	rules    []Rule
	text     string
	findings []Finding
}

// NewPolicy resolves the rules' priorities (automatic ones, zero, are
// numbered as the package doc says), checks them the way ECR checks a
// lifecycle policy and renders the policy text. It returns every problem
// found as [validation.Errors], including the errors of the static analysis
// (see [Policy.Findings]): a protection that protects nothing is refused; the
// analysis's warnings are the policy's Findings.
func NewPolicy(rules ...Rule) (*Policy, error) {
	resolved, order := resolve(rules)
	p := newProblems()
	check(resolved, order, p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	findings := analyze(resolved, order)
	var refused validation.Errors
	for _, f := range findings {
		if f.Severity == SeverityError {
			refused = append(refused, f.Problem)
		}
	}
	if len(refused) > 0 {
		return nil, refused
	}
	policy, err := finish(resolved)
	if err != nil {
		return nil, err
	}
	policy.findings = findings
	return policy, nil
}

// finish renders checked rules and applies the length quota.
func finish(rules []Rule) (*Policy, error) {
	text := render(rules)
	if n := utf8.RuneCountInString(text); n > MaxPolicyLength && !hasToken(text) {
		p := newProblems()
		p.AddAt(atPolicy(), "lifecyclePolicyText", fmt.Sprintf("(%d characters)", n), fmt.Sprintf("ECR accepts at most %d characters", MaxPolicyLength))
		return nil, p.Err()
	}
	return &Policy{rules: rules, text: text}, nil
}

// resolve returns a copy of the rules with every automatic priority (zero)
// assigned, sorted by priority, and, for each rule of the result, its
// position in rules, so problems can name rules as the caller gave them.
// Automatic rules are numbered in the order given, after the highest
// explicit priority, except that a rule selecting any tag status is
// numbered after every other automatic rule, so it comes last as ECR
// requires. Explicit priorities are kept; resolve does not check the rules
// (NewPolicy does, and Policy.Rules returns them resolved).
func resolve(rules []Rule) ([]Rule, []int) {
	out := make([]Rule, len(rules))
	order := make([]int, len(rules))
	highest := 0
	for i, r := range rules {
		out[i] = r.clone()
		order[i] = i
		// Capped so that numbering can't overflow; a priority above ECR's
		// 32-bit range is reported by the checks.
		highest = min(max(highest, r.Priority), math.MaxInt32)
	}
	next := highest + 1
	for pass := 0; pass < 2; pass++ { // first every other rule, then any-status rules
		for i := range out {
			if out[i].Priority == 0 && (out[i].TagStatus == TagStatusAny) == (pass == 1) {
				out[i].Priority = next
				next++
			}
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return out[a].Priority - out[b].Priority })
	sorted := make([]Rule, len(out))
	for i, j := range order {
		sorted[i] = out[j]
	}
	return sorted, order
}

// Rules returns a copy of the policy's rules in priority order.
func (p *Policy) Rules() []Rule {
	out := make([]Rule, len(p.rules))
	for i, r := range p.rules {
		out[i] = r.clone()
	}
	return out
}

// JSON returns the policy text: compact, deterministic JSON in the form
// `aws ecr put-lifecycle-policy` and LifecyclePolicyText take.
func (p *Policy) JSON() string { return p.text }

// String returns the policy text, as JSON does.
func (p *Policy) String() string { return p.text }

// Indented returns the policy text indented by two spaces, for people.
func (p *Policy) Indented() string {
	var b bytes.Buffer
	_ = json.Indent(&b, []byte(p.text), "", "  ") // p.text is valid JSON by construction
	return b.String()
}
