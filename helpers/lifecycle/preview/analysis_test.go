package preview

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

// TestAnalysisAgreesWithEvaluate is the differential test of the lifecycle
// package's static analysis (lifecycle.Policy.Findings) against this
// package's evaluation of ECR's rules: over generated policies, a rule the
// analysis calls dead ("can never act") acts on no image of an inventory
// that holds every image with one or two tags of up to three characters
// (and an untagged one), and a rule it calls live acts on one of them.
// Every rule of the generated policies acts on each image it owns (expire
// after one day; the images are older), so a rule acts exactly when it
// owns an image: dead and live are decided by the tag selections alone,
// which is what the analysis decides.
func TestAnalysisAgreesWithEvaluate(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	images := exhaustiveImages(now.Add(-10 * 24 * time.Hour).UnixNano())
	r := rand.New(rand.NewPCG(19, 2026))
	policies, dead, live := 0, 0, 0
	for policies < 1000 {
		p, err := lifecycle.NewPolicy(randomSelectionRules(r)...)
		if err != nil {
			continue // the generator made a policy ECR refuses
		}
		policies++
		acted := map[int]bool{}
		for _, o := range Evaluate(p, images, now, nil).Outcomes {
			acted[o.Position] = true
		}
		calledDead := map[string]bool{}
		for _, f := range p.Findings() {
			if strings.Contains(f.Problem.Constraint, "can never act") {
				calledDead[f.Problem.Path] = true
			}
		}
		for i, rule := range p.Rules() {
			name := lifecycle.RuleName(i, rule.Description) // NewPolicy kept the order given
			switch {
			case calledDead[name] && acted[i]:
				t.Errorf("policy %s: the analysis calls %s dead, but it acts", p.JSON(), name)
			case !calledDead[name] && !acted[i]:
				t.Errorf("policy %s: the analysis calls %s live, but it acts on no image of the inventory", p.JSON(), name)
			case calledDead[name]:
				dead++
			default:
				live++
			}
		}
	}
	t.Logf("%d policies: %d dead rules, %d live", policies, dead, live)
	// The generator must exercise both answers, or the test proves little.
	if dead < 50 || live < 50 {
		t.Errorf("generated %d dead and %d live rules; want at least 50 of each", dead, live)
	}
}

// testTagAlphabet is the characters of generated tags and selections; 'x'
// appears in tags only, so it stands for the characters no rule names.
const testTagAlphabet = "ab-"

// randomSelectionRules returns 1 to 5 standard-storage rules that each
// expire the images they own after a day, with random selections: tagged
// (prefixes or patterns of up to three characters, one or two entries),
// untagged, or any (last).
func randomSelectionRules(r *rand.Rand) []lifecycle.Rule {
	word := func(chars string, n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(chars[r.IntN(len(chars))])
		}
		return b.String()
	}
	n := 1 + r.IntN(5)
	var rules []lifecycle.Rule
	for i := range n {
		rule := lifecycle.Rule{
			Description: fmt.Sprintf("rule %d", i),
			CountType:   lifecycle.CountTypeSinceImagePushed, CountNumber: 1, Action: lifecycle.ActionExpire,
		}
		switch k := r.IntN(10); {
		case k == 0:
			rule.TagStatus = lifecycle.TagStatusUntagged
		case k == 1 && i == n-1:
			rule.TagStatus = lifecycle.TagStatusAny
		default:
			rule.TagStatus = lifecycle.TagStatusTagged
			entries := make([]string, 1+r.IntN(2)*r.IntN(2))
			if r.IntN(2) == 0 {
				for e := range entries {
					entries[e] = word(testTagAlphabet, 1+r.IntN(2))
				}
				rule.TagPrefixes = entries
			} else {
				for e := range entries {
					entries[e] = word(testTagAlphabet+"**", 1+r.IntN(3))
				}
				rule.TagPatterns = entries
			}
		}
		rules = append(rules, rule)
	}
	return rules
}

// exhaustiveImages returns an untagged image and one image for every set
// of one or two tags of one to three characters from testTagAlphabet and
// 'x', all pushed at pushed.
func exhaustiveImages(pushed int64) []Image {
	var tags []string
	var grow func(prefix string)
	grow = func(prefix string) {
		if prefix != "" {
			tags = append(tags, prefix)
		}
		if len(prefix) == 3 {
			return
		}
		for _, c := range testTagAlphabet + "x" {
			grow(prefix + string(c))
		}
	}
	grow("")
	slices.Sort(tags)
	images := []Image{{Digest: "sha256:untagged", PushedAt: pushed}}
	add := func(t ...string) {
		images = append(images, Image{Digest: fmt.Sprintf("sha256:%d", len(images)), Tags: t, PushedAt: pushed})
	}
	for i, a := range tags {
		add(a)
		for _, b := range tags[i+1:] {
			add(a, b)
		}
	}
	return images
}
