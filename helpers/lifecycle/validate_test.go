package lifecycle

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

// many returns n distinct valid tagged rules.
func many(n int) []Rule {
	rules := make([]Rule, n)
	for i := range rules {
		rules[i] = DeleteTaggedAfterDays(fmt.Sprintf("p%d-", i), 7)
	}
	return rules
}

func TestNewPolicyRefusesWhatECRRefuses(t *testing.T) {
	tagged := func(mod func(*Rule)) Rule {
		r := DeleteTaggedAfterDays("pr-", 7).WithDescription("")
		mod(&r)
		return r
	}
	tests := []struct {
		name  string
		rules []Rule
		want  string // the whole message
	}{
		{"no rules", nil,
			`policy: rules []: a policy needs at least one rule`},
		{"too many rules", many(51),
			`policy: rules "(51 rules)": ECR allows at most 50 rules in one policy`},
		{"negative priority", []Rule{tagged(func(r *Rule) { r.Priority = -1 })},
			`rules[0]: rulePriority -1: must be a positive integer`},
		{"priority above int32", []Rule{tagged(func(r *Rule) { r.Priority = 1 << 31 })},
			`rule 2147483648: rulePriority 2147483648: must be at most 2147483647`},
		{"the largest priority, then automatic ones", []Rule{tagged(func(r *Rule) { r.Priority = math.MaxInt }), DeleteUntaggedAfterDays(3)},
			`rule 2147483648 ("Expire untagged images 3 days after push"): rulePriority 2147483648: must be at most 2147483647; rule 9223372036854775807: rulePriority 9223372036854775807: must be at most 2147483647`},
		{"duplicate priorities", []Rule{DeleteUntaggedAfterDays(1).WithPriority(2), DeleteTaggedAfterDays("a", 1).WithPriority(2)},
			`rule 2 ("Expire images tagged a* 1 days after push"): rulePriority 2: is also the priority of rules[0]; priorities must be unique`},
		{"days below 1", []Rule{DeleteUntaggedAfterDays(0)},
			`rule 1 ("Expire untagged images 0 days after push"): selection.countNumber 0: must be a positive integer`},
		{"count below 1", []Rule{KeepLastNImages(-3)},
			`rule 1 ("Keep the -3 most recent images"): selection.countNumber -3: must be a positive integer`},
		{"count above int32", []Rule{KeepLastNImages(1 << 31)},
			`rule 1 ("Keep the 2147483648 most recent images"): selection.countNumber 2147483648: must be at most 2147483647`},
		{"empty prefix", []Rule{DeleteTaggedAfterDays("", 7)},
			`rule 1 ("Expire images tagged * 7 days after push"): selection.tagPrefixList [""]: must not contain an empty entry`},
		{"empty pattern", []Rule{DeleteMatchingAfterDays("", 7)},
			`rule 1 ("Expire images tagged  7 days after push"): selection.tagPatternList [""]: must not contain an empty entry`},
		{"five wildcards", []Rule{DeleteMatchingAfterDays("a*b*c*d*e*", 7)},
			`rule 1 ("Expire images tagged a*b*c*d*e* 7 days after push"): selection.tagPatternList "a*b*c*d*e*": has 5 wildcards; a pattern may hold at most 4`},
		{"wildcard in a prefix", []Rule{DeleteTaggedAfterDays("v*", 7)},
			`rule 1 ("Expire images tagged v** 7 days after push"): selection.tagPrefixList "v*": a prefix is literal and can't hold "*"; use a tagPatternList for wildcards`},
		{"tagged without a list", []Rule{tagged(func(r *Rule) { r.TagPrefixes = nil })},
			`rule 1: selection.tagStatus "tagged": needs a tagPrefixList or a tagPatternList`},
		{"both lists", []Rule{tagged(func(r *Rule) { r.TagPatterns = []string{"x*"} })},
			`rule 1: selection.tagPatternList ["x*"]: can't be combined with tagPrefixList; give one of the two`},
		{"untagged with a list", []Rule{tagged(func(r *Rule) { r.TagStatus = Untagged })},
			`rule 1: selection.tagPrefixList ["pr-"]: only a tagged rule takes tag lists, this one is "untagged"`},
		{"unknown tag status", []Rule{tagged(func(r *Rule) { r.TagStatus = "some" })},
			`rule 1: selection.tagStatus "some": must be "tagged", "untagged" or "any"`},
		{"unknown storage class", []Rule{tagged(func(r *Rule) { r.StorageClass = "glacier" })},
			`rule 1: selection.storageClass "glacier": must be "standard" or "archive"`},
		{"unknown count type", []Rule{tagged(func(r *Rule) { r.CountType = "sinceImageBuilt" })},
			`rule 1: selection.countType "sinceImageBuilt": must be "imageCountMoreThan", "sinceImagePushed", "sinceImagePulled" or "sinceImageTransitioned"`},
		{"unknown action", []Rule{tagged(func(r *Rule) { r.Action = "delete" })},
			`rule 1: action.type "delete": must be "expire" or "transition"`},
		{"sinceImagePulled with expire", []Rule{tagged(func(r *Rule) { r.CountType = SinceImagePulled })},
			`rule 1: selection.countType "sinceImagePulled": only goes with action "transition" to archive`},
		{"sinceImageTransitioned on standard", []Rule{tagged(func(r *Rule) { r.CountType = SinceImageTransitioned; r.CountNumber = 90 })},
			`rule 1: selection.storageClass "": must be "archive" with countType "sinceImageTransitioned"`},
		{"archive with another count type", []Rule{tagged(func(r *Rule) { r.StorageClass = Archive })},
			`rule 1: selection.storageClass "archive": only goes with countType "sinceImageTransitioned"; other count types select standard images`},
		{"sinceImageTransitioned with transition", []Rule{func() Rule { r := DeleteArchivedAfterDays(90); r.Action = Transition; return r }()},
			`rule 1 ("Expire images archived for 90 days"): selection.countType "sinceImageTransitioned": only goes with action "expire"`},
		{"archive under 90 days", []Rule{DeleteArchivedAfterDays(30)},
			`rule 1 ("Expire images archived for 30 days"): selection.countNumber 30: must be at least 90: archived images have a 90-day minimum storage duration`},
		{"any rule not last", []Rule{KeepLastNImages(5).WithPriority(1), DeleteUntaggedAfterDays(3).WithPriority(2)},
			`rule 1 ("Keep the 5 most recent images"): selection.tagStatus "any": a rule selecting any tag status must have the highest rulePriority of the standard rules, but rule 2 comes after it`},
		{"two any rules", []Rule{KeepLastNImages(5), ArchiveNotPulledForDays(30)},
			`rule 1 ("Keep the 5 most recent images"): selection.tagStatus "any": a rule selecting any tag status must have the highest rulePriority of the standard rules, but rule 2 comes after it`},
		{"two untagged rules", []Rule{DeleteUntaggedAfterDays(3), DeleteUntaggedAfterDays(5)},
			`rule 2 ("Expire untagged images 5 days after push"): selection.tagStatus "untagged": rule 1 already selects untagged standard images; only one rule per storage class may`},
		{"same prefixes twice", []Rule{Protect("v")[0], DeleteTaggedAfterDays("v", 5)},
			`rule 2 ("Expire images tagged v* 5 days after push"): selection.tagPrefixList ["v"]: rule 1 already selects the same set of tags in the standard class; each rule of a storage class needs its own set`},
		{"same prefix set in another order", []Rule{
			{TagStatus: Tagged, TagPrefixes: []string{"a", "b"}, CountType: ImageCountMoreThan, CountNumber: 1, Action: Expire},
			{TagStatus: Tagged, TagPrefixes: []string{"b", "a"}, CountType: ImageCountMoreThan, CountNumber: 2, Action: Expire},
		}, `rule 2: selection.tagPrefixList ["b","a"]: rule 1 already selects the same set of tags in the standard class; each rule of a storage class needs its own set`},
		{"policy too long", func() []Rule {
			rules := many(50)
			for i := range rules {
				rules[i].Description = strings.Repeat("d", 600)
			}
			return rules
		}(), `policy: lifecyclePolicyText "(39492 characters)": ECR accepts at most 30720 characters`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewPolicy(tt.rules...)
			if err == nil {
				t.Fatal("NewPolicy accepted the rules")
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			var re *RuleError
			if !errors.As(err, &re) {
				t.Errorf("error %T does not unwrap to *RuleError", err)
			}
		})
	}
}

func TestPolicyLengthCountsCharacters(t *testing.T) {
	rules := many(50)
	for i := range rules {
		rules[i].Description = strings.Repeat("é", 400) // 2 bytes each
	}
	p, err := NewPolicy(rules...)
	if err != nil {
		t.Fatalf("%d characters (%d bytes) refused: %v", utf8.RuneCountInString(render(Resolve(rules...))), len(render(Resolve(rules...))), err)
	}
	if again, err := Parse([]byte(p.JSON())); err != nil || len(again.Rules()) != 50 {
		t.Errorf("round trip: %v", err)
	}
}

func TestNewPolicyReportsEveryProblem(t *testing.T) {
	_, err := NewPolicy(DeleteUntaggedAfterDays(0), DeleteTaggedAfterDays("", 7), DeleteUntaggedAfterDays(3))
	got := AsErrors(err)
	if len(got) != 3 {
		t.Fatalf("got %d problems, want 3: %v", len(got), err)
	}
	if got[0].Index != 0 || got[1].Index != 1 || got[2].Index != 2 {
		t.Errorf("problems are not in rule order: %v", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("the error spans several lines: %q", err)
	}
}

func TestTokensAreNotChecked(t *testing.T) {
	if _, err := NewPolicy(DeleteTaggedAfterDays("${Token[TOKEN.12]}", 7), DeleteMatchingAfterDays("${Token[TOKEN.13]}*a*b*c*d*e", 7)); err != nil {
		t.Errorf("tokens were checked: %v", err)
	}
}

func TestAcceptsDocumentedCombinations(t *testing.T) {
	for name, rules := range map[string][]Rule{
		"archive and delete archived": {ArchiveNotPulledForDays(90), DeleteArchivedAfterDays(365)},
		"any rule per storage class":  {DeleteUntaggedAfterDays(7), KeepLastNImages(30), DeleteArchivedAfterDays(90)},
		"untagged per storage class":  {DeleteUntaggedAfterDays(7), {TagStatus: Untagged, StorageClass: Archive, CountType: SinceImageTransitioned, CountNumber: 90, Action: Expire}},
		"protect then clean up":       append(Protect("release-", "v"), DeleteTaggedAfterDays("pr-", 7), KeepLastNImages(50)),
		"exactly 50 rules":            many(50),
		"four wildcards":              {DeleteMatchingAfterDays("*test*1*2*3", 7), DeleteMatchingAfterDays("test*1*2*3*", 7)},
	} {
		if _, err := NewPolicy(rules...); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
