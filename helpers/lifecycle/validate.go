package lifecycle

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// MaxWildcards is the most "*" wildcards one tagPatternList entry may hold.
const MaxWildcards = 4

// check records every problem with resolved rules: each rule on its own, then
// the policy as a whole.
// order[i] is the position the caller gave the i-th rule (nil: i).
func check(rules []Rule, order []int, p *validation.Collector) {
	for i := range rules {
		checkRule(atChecked(rules, order, i), rules[i], p)
	}
	checkPolicy(rules, order, p)
}

// checkPolicy records the problems of the policy as a whole: its size and
// the constraints that span rules. order is as check takes it.
func checkPolicy(rules []Rule, order []int, p *validation.Collector) {
	if len(rules) == 0 {
		p.AddAt(atPolicy(), "rules", rawValue("[]"), "a policy needs at least one rule")
		return
	}
	if len(rules) > MaxRules {
		p.AddAt(atPolicy(), "rules", fmt.Sprintf("(%d rules)", len(rules)), fmt.Sprintf("ECR allows at most %d rules in one policy", MaxRules))
	}
	checkAcrossRules(rules, order, p)
}

// checkRule records the problems of one rule taken alone, at at.
func checkRule(at validation.Place, r Rule, p *validation.Collector) {
	switch {
	case r.Priority < 1:
		p.AddAt(at, "rulePriority", r.Priority, "must be a positive integer")
	case r.Priority > math.MaxInt32:
		p.AddAt(at, "rulePriority", r.Priority, "must be at most 2147483647")
	}
	if r.CountNumber > math.MaxInt32 {
		p.AddAt(at, "selection.countNumber", r.CountNumber, "must be at most 2147483647")
	}
	switch r.TagStatus {
	case TagStatusTagged:
		switch {
		case r.TagPrefixes == nil && r.TagPatterns == nil:
			p.AddAt(at, "selection.tagStatus", string(r.TagStatus), "needs a tagPrefixList or a tagPatternList")
		case r.TagPrefixes != nil && r.TagPatterns != nil:
			p.AddAt(at, "selection.tagPatternList", r.TagPatterns, "can't be combined with tagPrefixList; give one of the two")
		}
	case TagStatusUntagged, TagStatusAny:
		if r.TagPrefixes != nil {
			p.AddAt(at, "selection.tagPrefixList", r.TagPrefixes, fmt.Sprintf("only a tagged rule takes tag lists, this one is %q", r.TagStatus))
		}
		if r.TagPatterns != nil {
			p.AddAt(at, "selection.tagPatternList", r.TagPatterns, fmt.Sprintf("only a tagged rule takes tag lists, this one is %q", r.TagStatus))
		}
	default:
		p.AddAt(at, "selection.tagStatus", string(r.TagStatus), "must be "+validation.OneOfQuoted(TagStatus("").Values()))
	}
	checkTagList(at, "selection.tagPrefixList", r.TagPrefixes, p)
	checkTagList(at, "selection.tagPatternList", r.TagPatterns, p)

	switch r.StorageClass {
	case "", StorageClassStandard:
		if r.CountType == CountTypeSinceImageTransitioned {
			p.AddAt(at, "selection.storageClass", string(r.StorageClass), `must be "archive" with countType "sinceImageTransitioned"`)
		}
	case StorageClassArchive:
		if r.CountType != CountTypeSinceImageTransitioned {
			p.AddAt(at, "selection.storageClass", string(r.StorageClass), `only goes with countType "sinceImageTransitioned"; other count types select standard images`)
		}
	default:
		p.AddAt(at, "selection.storageClass", string(r.StorageClass), "must be "+validation.OneOfQuoted(StorageClass("").Values()))
	}
	switch r.Action {
	case ActionExpire, ActionTransition:
	default:
		p.AddAt(at, "action.type", string(r.Action), "must be "+validation.OneOfQuoted(Action("").Values()))
	}
	switch r.CountType {
	case CountTypeImageCountMoreThan, CountTypeSinceImagePushed:
	case CountTypeSinceImagePulled:
		if r.Action != ActionTransition {
			p.AddAt(at, "selection.countType", string(r.CountType), `only goes with action "transition" to archive`)
		}
	case CountTypeSinceImageTransitioned:
		if r.Action != ActionExpire {
			p.AddAt(at, "selection.countType", string(r.CountType), `only goes with action "expire"`)
		}
		if r.CountNumber >= 1 && r.CountNumber < MinArchiveDays {
			p.AddAt(at, "selection.countNumber", r.CountNumber, "must be at least 90: archived images have a 90-day minimum storage duration")
		}
	default:
		p.AddAt(at, "selection.countType", string(r.CountType), "must be "+validation.OneOfQuoted(CountType("").Values()))
	}
	if r.CountNumber < 1 {
		p.AddAt(at, "selection.countNumber", r.CountNumber, "must be a positive integer")
	}
}

// checkTagList records empty entries and patterns with too many wildcards.
func checkTagList(at validation.Place, field string, list []string, p *validation.Collector) {
	if list == nil {
		return
	}
	if len(list) == 0 {
		p.AddAt(at, field, list, "must not be empty")
		return
	}
	for _, entry := range list {
		switch {
		case entry == "":
			p.AddAt(at, field, list, "must not contain an empty entry")
		case hasToken(entry):
			// An unresolved CDK token: its value is only known at deployment.
		case field == "selection.tagPatternList" && strings.Count(entry, "*") > MaxWildcards:
			p.AddAt(at, field, entry, fmt.Sprintf("has %d wildcards; a pattern may hold at most %d", strings.Count(entry, "*"), MaxWildcards))
		case field == "selection.tagPrefixList" && strings.Contains(entry, "*"):
			p.AddAt(at, field, entry, `a prefix is literal and can't hold "*"; use a tagPatternList for wildcards`)
		}
	}
}

// checkAcrossRules records the constraints that span rules: unique
// priorities, one any-status rule per storage class and last in it, one
// untagged rule and unique tag lists per storage class. The other rule of a
// conflict is named the same way as the rule reported; order is as check
// takes it.
func checkAcrossRules(rules []Rule, order []int, p *validation.Collector) {
	byPriority := map[int]int{}
	untagged := map[StorageClass]int{}
	anyStatus := map[StorageClass]int{}
	tagLists := map[string]int{}
	last := map[StorageClass]int{} // the other rule with the highest priority of each class
	for i, r := range rules {
		if j, seen := last[r.storageClass()]; r.TagStatus != TagStatusAny && (!seen || r.Priority > rules[j].Priority) {
			last[r.storageClass()] = i
		}
	}
	other := func(j int) string { return atChecked(rules, order, j).Path }
	for i, r := range rules {
		at := atChecked(rules, order, i)
		class := r.storageClass()
		if first, dup := byPriority[r.Priority]; dup && r.Priority > 0 {
			p.AddAt(at, "rulePriority", r.Priority, fmt.Sprintf("is also the priority of %s; priorities must be unique", other(first)))
		} else {
			byPriority[r.Priority] = i
		}
		switch r.TagStatus {
		case TagStatusAny:
			if first, dup := anyStatus[class]; dup {
				p.AddAt(at, "selection.tagStatus", string(r.TagStatus), fmt.Sprintf("%s already selects any tag status in the %s class; only one rule per storage class may", other(first), class))
			} else {
				anyStatus[class] = i
			}
			if j, ok := last[class]; ok && r.Priority < rules[j].Priority {
				p.AddAt(at, "selection.tagStatus", string(r.TagStatus), fmt.Sprintf("a rule selecting any tag status must have the highest rulePriority of the %s rules, but %s has rulePriority %d", class, other(j), rules[j].Priority))
			}
		case TagStatusUntagged:
			if first, dup := untagged[class]; dup {
				p.AddAt(at, "selection.tagStatus", string(r.TagStatus), fmt.Sprintf("%s already selects untagged %s images; only one rule per storage class may", other(first), class))
			} else {
				untagged[class] = i
			}
		case TagStatusTagged:
			for _, list := range []struct {
				field   string
				entries []string
			}{{"selection.tagPrefixList", r.TagPrefixes}, {"selection.tagPatternList", r.TagPatterns}} {
				if len(list.entries) == 0 {
					continue
				}
				key := string(class) + "\x00" + list.field + "\x00" + setKey(list.entries)
				if first, dup := tagLists[key]; dup {
					p.AddAt(at, list.field, list.entries, fmt.Sprintf("%s already selects the same set of tags in the %s class; each rule of a storage class needs its own set", other(first), class))
				} else {
					tagLists[key] = i
				}
			}
		}
	}
}

// setKey identifies a tag list as a set: order and repeats don't matter.
func setKey(entries []string) string {
	s := slices.Clone(entries)
	slices.Sort(s)
	return strings.Join(slices.Compact(s), "\x00")
}

// hasToken reports whether s holds an unresolved CDK token such as
// "${Token[TOKEN.123]}". Tokens are resolved at deployment, so their values
// are not checked. (This package does not load the jsii runtime, so it
// recognises the token's text form instead of calling Token.isUnresolved.)
func hasToken(s string) bool { return strings.Contains(s, "${Token[") }
