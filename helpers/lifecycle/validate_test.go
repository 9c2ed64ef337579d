package lifecycle

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
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
			`lifecycle: policy: rules []: a policy needs at least one rule`},
		{"too many rules", many(51),
			`lifecycle: policy: rules "(51 rules)": ECR allows at most 50 rules in one policy`},
		{"negative priority", []Rule{tagged(func(r *Rule) { r.Priority = -1 })},
			`lifecycle: rules[0]: rulePriority -1: must be a positive integer`},
		{"priority above int32", []Rule{tagged(func(r *Rule) { r.Priority = 1 << 31 })},
			`lifecycle: rules[0]: rulePriority 2147483648: must be at most 2147483647`},
		{"the largest priority, then automatic ones", []Rule{tagged(func(r *Rule) { r.Priority = math.MaxInt }), DeleteUntaggedAfterDays(3)},
			`lifecycle: rules[0]: rulePriority 9223372036854775807: must be at most 2147483647; lifecycle: rules[1] ("Expire untagged images 3 days after push"): rulePriority 2147483648: must be at most 2147483647`},
		{"duplicate priorities", []Rule{DeleteUntaggedAfterDays(1).WithPriority(2), DeleteTaggedAfterDays("a", 1).WithPriority(2)},
			`lifecycle: rules[1] ("Expire images tagged a* 1 days after push"): rulePriority 2: is also the priority of rules[0] ("Expire untagged images 1 days after push"); priorities must be unique`},
		{"days below 1", []Rule{DeleteUntaggedAfterDays(0)},
			`lifecycle: rules[0] ("Expire untagged images 0 days after push"): selection.countNumber 0: must be a positive integer`},
		{"count below 1", []Rule{KeepLastNImages(-3)},
			`lifecycle: rules[0] ("Keep the -3 most recent images"): selection.countNumber -3: must be a positive integer`},
		{"count above int32", []Rule{KeepLastNImages(1 << 31)},
			`lifecycle: rules[0] ("Keep the 2147483648 most recent images"): selection.countNumber 2147483648: must be at most 2147483647`},
		{"empty prefix", []Rule{DeleteTaggedAfterDays("", 7)},
			`lifecycle: rules[0] ("Expire images tagged * 7 days after push"): selection.tagPrefixList [""]: must not contain an empty entry`},
		{"empty pattern", []Rule{DeleteMatchingAfterDays("", 7)},
			`lifecycle: rules[0] ("Expire images tagged  7 days after push"): selection.tagPatternList [""]: must not contain an empty entry`},
		{"five wildcards", []Rule{DeleteMatchingAfterDays("a*b*c*d*e*", 7)},
			`lifecycle: rules[0] ("Expire images tagged a*b*c*d*e* 7 days after push"): selection.tagPatternList "a*b*c*d*e*": has 5 wildcards; a pattern may hold at most 4`},
		{"wildcard in a prefix", []Rule{DeleteTaggedAfterDays("v*", 7)},
			`lifecycle: rules[0] ("Expire images tagged v** 7 days after push"): selection.tagPrefixList "v*": a prefix is literal and can't hold "*"; use a tagPatternList for wildcards`},
		{"tagged without a list", []Rule{tagged(func(r *Rule) { r.TagPrefixes = nil })},
			`lifecycle: rules[0]: selection.tagStatus "tagged": needs a tagPrefixList or a tagPatternList`},
		{"both lists", []Rule{tagged(func(r *Rule) { r.TagPatterns = []string{"x*"} })},
			`lifecycle: rules[0]: selection.tagPatternList ["x*"]: can't be combined with tagPrefixList; give one of the two`},
		{"untagged with a list", []Rule{tagged(func(r *Rule) { r.TagStatus = TagStatusUntagged })},
			`lifecycle: rules[0]: selection.tagPrefixList ["pr-"]: only a tagged rule takes tag lists, this one is "untagged"`},
		{"unknown tag status", []Rule{tagged(func(r *Rule) { r.TagStatus = "some" })},
			`lifecycle: rules[0]: selection.tagStatus "some": must be "tagged", "untagged" or "any"`},
		{"unknown storage class", []Rule{tagged(func(r *Rule) { r.StorageClass = "glacier" })},
			`lifecycle: rules[0]: selection.storageClass "glacier": must be "standard" or "archive"`},
		{"unknown count type", []Rule{tagged(func(r *Rule) { r.CountType = "sinceImageBuilt" })},
			`lifecycle: rules[0]: selection.countType "sinceImageBuilt": must be "imageCountMoreThan", "sinceImagePushed", "sinceImagePulled" or "sinceImageTransitioned"`},
		{"unknown action", []Rule{tagged(func(r *Rule) { r.Action = "delete" })},
			`lifecycle: rules[0]: action.type "delete": must be "expire" or "transition"`},
		{"sinceImagePulled with expire", []Rule{tagged(func(r *Rule) { r.CountType = CountTypeSinceImagePulled })},
			`lifecycle: rules[0]: selection.countType "sinceImagePulled": only goes with action "transition" to archive`},
		{"sinceImageTransitioned on standard", []Rule{tagged(func(r *Rule) { r.CountType = CountTypeSinceImageTransitioned; r.CountNumber = 90 })},
			`lifecycle: rules[0]: selection.storageClass "": must be "archive" with countType "sinceImageTransitioned"`},
		{"archive with another count type", []Rule{tagged(func(r *Rule) { r.StorageClass = StorageClassArchive })},
			`lifecycle: rules[0]: selection.storageClass "archive": only goes with countType "sinceImageTransitioned"; other count types select standard images`},
		{"sinceImageTransitioned with transition", []Rule{func() Rule { r := DeleteArchivedAfterDays(90); r.Action = ActionTransition; return r }()},
			`lifecycle: rules[0] ("Expire images archived for 90 days"): selection.countType "sinceImageTransitioned": only goes with action "expire"`},
		{"archive under 90 days", []Rule{DeleteArchivedAfterDays(30)},
			`lifecycle: rules[0] ("Expire images archived for 30 days"): selection.countNumber 30: must be at least 90: archived images have a 90-day minimum storage duration`},
		{"any rule not last", []Rule{KeepLastNImages(5).WithPriority(1), DeleteUntaggedAfterDays(3).WithPriority(2)},
			`lifecycle: rules[0] ("Keep the 5 most recent images"): selection.tagStatus "any": a rule selecting any tag status must have the highest rulePriority of the standard rules, but rules[1] ("Expire untagged images 3 days after push") has rulePriority 2`},
		{"two any rules", []Rule{KeepLastNImages(5), ArchiveNotPulledForDays(30)},
			`lifecycle: rules[1] ("Archive images not pulled for 30 days"): selection.tagStatus "any": rules[0] ("Keep the 5 most recent images") already selects any tag status in the standard class; only one rule per storage class may`},
		{"two any rules before another", []Rule{KeepLastNImages(5).WithPriority(1), ArchiveNotPulledForDays(30).WithPriority(2), DeleteUntaggedAfterDays(3).WithPriority(3)},
			`lifecycle: rules[0] ("Keep the 5 most recent images"): selection.tagStatus "any": a rule selecting any tag status must have the highest rulePriority of the standard rules, but rules[2] ("Expire untagged images 3 days after push") has rulePriority 3; ` +
				`lifecycle: rules[1] ("Archive images not pulled for 30 days"): selection.tagStatus "any": rules[0] ("Keep the 5 most recent images") already selects any tag status in the standard class; only one rule per storage class may; ` +
				`lifecycle: rules[1] ("Archive images not pulled for 30 days"): selection.tagStatus "any": a rule selecting any tag status must have the highest rulePriority of the standard rules, but rules[2] ("Expire untagged images 3 days after push") has rulePriority 3`},
		{"two untagged rules", []Rule{DeleteUntaggedAfterDays(3), DeleteUntaggedAfterDays(5)},
			`lifecycle: rules[1] ("Expire untagged images 5 days after push"): selection.tagStatus "untagged": rules[0] ("Expire untagged images 3 days after push") already selects untagged standard images; only one rule per storage class may`},
		{"same prefixes twice", []Rule{Protect("v")[0], DeleteTaggedAfterDays("v", 5)},
			`lifecycle: rules[1] ("Expire images tagged v* 5 days after push"): selection.tagPrefixList ["v"]: rules[0] ("Protect v* images from the rules after this one (never fires)") already selects the same set of tags in the standard class; each rule of a storage class needs its own set`},
		{"same prefix set in another order", []Rule{
			{TagStatus: TagStatusTagged, TagPrefixes: []string{"a", "b"}, CountType: CountTypeImageCountMoreThan, CountNumber: 1, Action: ActionExpire},
			{TagStatus: TagStatusTagged, TagPrefixes: []string{"b", "a"}, CountType: CountTypeImageCountMoreThan, CountNumber: 2, Action: ActionExpire},
		}, `lifecycle: rules[1]: selection.tagPrefixList ["b","a"]: rules[0] already selects the same set of tags in the standard class; each rule of a storage class needs its own set`},
		{"policy too long", func() []Rule {
			rules := many(50)
			for i := range rules {
				rules[i].Description = strings.Repeat("d", 600)
			}
			return rules
		}(), `lifecycle: policy: lifecyclePolicyText "(39492 characters)": ECR accepts at most 30720 characters`},
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
			var re *validation.Error
			if !errors.As(err, &re) {
				t.Errorf("error %T does not unwrap to *validation.Error", err)
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
		out, _ := resolve(rules)
		t.Fatalf("%d characters (%d bytes) refused: %v", utf8.RuneCountInString(render(out)), len(render(out)), err)
	}
	if again, err := Parse([]byte(p.JSON())); err != nil || len(again.Rules()) != 50 {
		t.Errorf("round trip: %v", err)
	}
}

func TestNewPolicyReportsEveryProblem(t *testing.T) {
	_, err := NewPolicy(DeleteUntaggedAfterDays(0), DeleteTaggedAfterDays("", 7), DeleteUntaggedAfterDays(3))
	got := validation.List(err)
	if len(got) != 3 {
		t.Fatalf("got %d problems, want 3: %v", len(got), err)
	}
	if !strings.HasPrefix(got[0].Path, "rules[0] ") || !strings.HasPrefix(got[1].Path, "rules[1] ") || !strings.HasPrefix(got[2].Path, "rules[2] ") {
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
		"untagged per storage class":  {DeleteUntaggedAfterDays(7), {TagStatus: TagStatusUntagged, StorageClass: StorageClassArchive, CountType: CountTypeSinceImageTransitioned, CountNumber: 90, Action: ActionExpire}},
		"protect then clean up":       append(Protect("release-", "v"), DeleteTaggedAfterDays("pr-", 7), KeepLastNImages(50)),
		"exactly 50 rules":            many(50),
		"four wildcards":              {DeleteMatchingAfterDays("*test*1*2*3", 7), DeleteMatchingAfterDays("test*1*2*3*", 7)},
	} {
		if _, err := NewPolicy(rules...); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestProblemsNameRulesAsGivenWhateverTheirPriorities(t *testing.T) {
	_, err := NewPolicy(
		DeleteUntaggedAfterDays(0).WithPriority(5),
		KeepLastNTagged(0, "v")[0].WithPriority(1),
	)
	want := `lifecycle: rules[0] ("Expire untagged images 0 days after push"): selection.countNumber 0: must be a positive integer; ` +
		`lifecycle: rules[1] ("Keep the 0 most recent v* images"): selection.countNumber 0: must be a positive integer`
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
}

func TestValuesListEveryConstant(t *testing.T) {
	for _, tt := range []struct {
		name string
		got  int
		want int
	}{
		{"TagStatus", len(TagStatus("").Values()), 3},
		{"StorageClass", len(StorageClass("").Values()), 2},
		{"CountType", len(CountType("").Values()), 4},
		{"Action", len(Action("").Values()), 2},
	} {
		if tt.got != tt.want {
			t.Errorf("%s.Values() has %d values, want %d", tt.name, tt.got, tt.want)
		}
	}
	// Every value is one the checks accept.
	for _, s := range TagStatus("").Values() {
		r := Rule{TagStatus: s, CountType: CountTypeImageCountMoreThan, CountNumber: 1, Action: ActionExpire}
		if s == TagStatusTagged {
			r.TagPrefixes = []string{"v"}
		}
		if _, err := NewPolicy(r); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
}
