package lifecycle

import (
	"fmt"
	"slices"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// Severity says how sure the analysis is that a finding loses images.
type Severity string

const (
	// SeverityError is a mistake that loses images: a protection that
	// protects nothing. [NewPolicy] refuses it; a parsed policy carries it
	// as a finding, since ECR accepts the text.
	SeverityError Severity = "error"
	// SeverityWarning is a rule or policy that may not do what was meant: a
	// rule that can never act, a policy that expires nothing, a pattern
	// without a wildcard.
	SeverityWarning Severity = "warning"
)

// Finding is one result of the static analysis of a policy: what its rules
// do together, decided under ECR's evaluation rules without any images.
type Finding struct {
	// Severity is SeverityError or SeverityWarning.
	Severity Severity
	// Check names what was found, for tools and acknowledgments:
	// "protectsNothing" (an error), "deadRule", "expiresNothing" or
	// "exactPattern" (warnings).
	Check string
	// Problem names the rule (its position as given and its description),
	// the field, the value and what is wrong, as every error of the
	// library does.
	Problem *validation.Error
}

// String returns the finding on one line, its severity first:
// `warning: lifecycle: rules[1] ("…"): selection.tagPrefixList ["v1"]: can never act: …`.
func (f Finding) String() string { return string(f.Severity) + ": " + f.Problem.Error() }

// Findings returns what the static analysis found in the policy, errors
// first, each in the order of the rules given. For a policy built by
// [NewPolicy], which refuses errors, they are warnings only; a policy read
// by [Parse] carries errors too, since ECR accepts them.
//
// The analysis follows how ECR applies the rules of one storage class: an
// image whose tags match a rule's selection is never expired or archived by
// a rule of lower priority. A tag list selects an image when each of its
// entries matches one of the image's tags; a prefix p selects what the
// pattern p* selects; untagged and tagged images are disjoint and any
// covers both. From that it finds, exactly (not by a heuristic: selections
// are compared as languages of tags, over every set of tags an image can
// carry):
//   - a rule that can never act, because every image it selects is taken
//     by earlier rules of its storage class (a warning, naming them);
//   - a protecting rule ([Protect], [ProtectPatterns], [ProtectTags]: one
//     that never fires) that protects nothing, because an earlier rule that
//     acts takes the images it selects (an error:
//     Concat(DeleteMatchingAfterDays("*", 30), Protect("prod")) expires
//     every prod image after 30 days);
//   - a policy whose rules all never fire, which expires nothing (a
//     warning: it satisfies Security Hub ECR.3 all the same);
//   - a pattern without a wildcard in a rule that acts, which matches one
//     exact tag (a warning, with the pattern that was likely meant).
//
// Rules with a tag that is a CDK token are left out: their tags are known
// only at deployment.
func (p *Policy) Findings() []Finding { return slices.Clone(p.findings) }

// neverFires reports whether a rule can never mark an image: the rules of
// Protect, ProtectPatterns and ProtectTags, whose count is ECR's largest
// (2147483647 images, or days), and any rule counting 100 years or more
// (36,500 days), which no image is old enough for.
func neverFires(r Rule) bool {
	return r.CountNumber >= protectCount || (r.CountType.usesDays() && r.CountNumber >= 36500)
}

// analyze runs the static analysis over checked rules in priority order;
// order[i] is the position given of the i-th rule (nil: the same).
func analyze(rules []Rule, order []int) []Finding {
	errs, warns := newProblems(), newProblems()
	checks := map[*validation.Error]string{} // the check that found each problem
	at := func(i int) validation.Place { return atChecked(rules, order, i) }
	known := make([]bool, len(rules)) // no tag is a token
	acting := false
	for j, b := range rules {
		known[j] = !slices.ContainsFunc(slices.Concat(b.TagPrefixes, b.TagPatterns), hasToken)
		if !neverFires(b) {
			acting = true
		}
		if !known[j] {
			continue
		}
		field, value := selectionField(b)
		if !neverFires(b) {
			for _, pat := range b.TagPatterns {
				if !strings.Contains(pat, "*") {
					checks[warns.AddAt(at(j), "selection.tagPatternList", pat, fmt.Sprintf(
						"has no wildcard, so it matches only the tag %q itself; for every tag starting with it write %q (or a tagPrefixList, as DeleteTaggedAfterDays builds)", pat, pat+"*"))] = "exactPattern"
				}
			}
		}
		var earlier, earlierNever []int
		for i := range j {
			if known[i] && rules[i].storageClass() == b.storageClass() {
				earlier = append(earlier, i)
				if neverFires(rules[i]) {
					earlierNever = append(earlierNever, i)
				}
			}
		}
		by, covered := coveredBy(b, rules, earlier)
		switch {
		case !covered:
		case !neverFires(b):
			checks[warns.AddAt(at(j), field, value, fmt.Sprintf("can never act: every image it selects is taken first by %s", names(rules, order, by)))] = "deadRule"
		default:
			if _, harmless := coveredBy(b, rules, earlierNever); harmless {
				continue // protected already, by earlier rules that never fire
			}
			takers := slices.DeleteFunc(slices.Clone(by), func(i int) bool { return neverFires(rules[i]) })
			checks[errs.AddAt(at(j), field, value, fmt.Sprintf(
				"protects nothing: %s comes first and acts on the images it selects; put the protecting rules before the rules that expire or archive", names(rules, order, takers)))] = "protectsNothing"
		}
	}
	if len(rules) > 0 && !acting {
		checks[warns.AddAt(atPolicy(), "rules", rawValue(fmt.Sprintf("(%d rules)", len(rules))),
			"no rule can ever fire, so the policy expires nothing (Security Hub ECR.3 passes all the same); add a rule that acts, such as DeleteUntaggedAfterDays(14)")] = "expiresNothing"
	}
	var out []Finding
	for _, list := range []struct {
		severity Severity
		p        *validation.Collector
	}{{SeverityError, errs}, {SeverityWarning, warns}} {
		for _, e := range validation.List(list.p.Err()) {
			out = append(out, Finding{Severity: list.severity, Check: checks[e], Problem: e})
		}
	}
	return out
}

// names names the rules at these indexes (of the rules checked, order as
// analyze takes it), joined with "and".
func names(rules []Rule, order []int, idx []int) string {
	named := make([]string, len(idx))
	for k, i := range idx {
		named[k] = atChecked(rules, order, i).Path
	}
	switch len(named) {
	case 1:
		return named[0]
	case 2:
		return named[0] + " and " + named[1]
	}
	return strings.Join(named[:len(named)-1], ", ") + " and " + named[len(named)-1]
}

// selectionField is the field and value that say what a rule selects.
func selectionField(r Rule) (string, any) {
	switch {
	case r.TagPrefixes != nil:
		return "selection.tagPrefixList", r.TagPrefixes
	case r.TagPatterns != nil:
		return "selection.tagPatternList", r.TagPatterns
	}
	return "selection.tagStatus", string(r.TagStatus)
}

// globs is a tagged rule's tag list as languages.
func globs(r Rule) []glob {
	var out []glob
	for _, p := range r.TagPrefixes {
		out = append(out, prefixGlob(p))
	}
	for _, p := range r.TagPatterns {
		out = append(out, patternGlob(p))
	}
	return out
}

// everyTag is the tagged part of an any-status selection: one entry that
// matches every tag.
var everyTag = []glob{patternGlob("*")}

// coveredBy reports whether every image b selects is selected by one of
// the candidate rules (indexes into rules, all of b's storage class), and
// which of them share images with b: the rule that alone covers b when
// there is one, else every candidate that shares images with it.
func coveredBy(b Rule, rules []Rule, candidates []int) ([]int, bool) {
	for _, i := range candidates { // one rule alone, named alone
		if contains(rules[i], b) {
			return []int{i}, true
		}
	}
	var untagged, anyStatus bool
	var tagged [][]glob
	var sharing []int
	for _, i := range candidates {
		a := rules[i]
		switch a.TagStatus {
		case TagStatusAny:
			anyStatus = true
			sharing = append(sharing, i)
			continue
		case TagStatusUntagged:
			untagged = true
			if b.TagStatus != TagStatusTagged {
				sharing = append(sharing, i)
			}
			continue
		case TagStatusTagged:
			tagged = append(tagged, globs(a))
		}
		if b.TagStatus != TagStatusUntagged {
			sharing = append(sharing, i)
		}
	}
	if anyStatus {
		return sharing, true
	}
	switch b.TagStatus {
	case TagStatusUntagged:
		return sharing, untagged
	case TagStatusAny:
		return sharing, untagged && coverTagged(everyTag, tagged)
	}
	return sharing, coverTagged(globs(b), tagged)
}

// contains reports whether rule a selects every image that rule b selects.
func contains(a, b Rule) bool {
	switch a.TagStatus {
	case TagStatusAny:
		return true
	case TagStatusUntagged:
		return b.TagStatus == TagStatusUntagged
	}
	return b.TagStatus == TagStatusTagged && coverTagged(globs(b), [][]glob{globs(a)})
}

// maxChoices bounds the search of coverTagged; beyond it the rule is taken
// as not covered (the analysis then misses a finding, it never invents one).
const maxChoices = 4096

// coverTagged reports whether every image selected by the tag list b is
// selected by one of the tag lists covers. An image escapes every cover
// exactly when, choosing in each cover one entry that none of its tags
// matches, each entry of b still matches a tag outside the chosen entries'
// languages; so b is covered when, for every such choice, some entry of b
// has its language inside the union of the chosen entries' languages.
func coverTagged(b []glob, covers [][]glob) bool {
	if len(covers) == 0 {
		return false
	}
	total := 1
	for _, c := range covers {
		total *= len(c)
		if total > maxChoices || total == 0 {
			return false
		}
	}
	choice := make([]glob, len(covers))
	tried := map[string]bool{} // choices of the same set of globs, decided once
	for n := range total {
		for k, c := range covers {
			choice[k] = c[n%len(c)]
			n /= len(c)
		}
		if key := setOf(choice); tried[key] {
			continue
		} else {
			tried[key] = true
		}
		inside := false
		for _, e := range b {
			if escapesBySample(e, choice) {
				continue // a word of e that no chosen glob matches: e escapes
			}
			if _, escapes := uncovered(e, choice); !escapes {
				inside = true
				break
			}
		}
		if !inside {
			return false
		}
	}
	return true
}

// escapesBySample reports whether a sample word of e (see glob.samples) is
// matched by none of the globs: then L(e) is not inside their union, found
// without the search of uncovered, which most pairs of a policy's globs
// never need.
func escapesBySample(e glob, globs []glob) bool {
	other := freshByte(append([]glob{e}, globs...)...)
	for _, w := range e.samples(other) {
		if w == "" {
			continue // tags are never empty
		}
		if !slices.ContainsFunc(globs, func(g glob) bool { return g.matches(w) }) {
			return true
		}
	}
	return false
}

// setOf identifies a choice of globs as a set: order and repeats don't
// change what their union matches.
func setOf(globs []glob) string {
	keys := make([]string, len(globs))
	for i, g := range globs {
		var b strings.Builder
		for _, it := range g {
			if it.star {
				b.WriteString("\x00*")
			} else {
				b.WriteByte(it.c)
			}
		}
		keys[i] = b.String()
	}
	slices.Sort(keys)
	return strings.Join(slices.Compact(keys), "\x01")
}
