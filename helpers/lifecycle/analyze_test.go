package lifecycle_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

// findings builds the policy and returns its findings, one line each.
func findingLines(t *testing.T, rules ...lifecycle.Rule) []string {
	t.Helper()
	p, err := lifecycle.NewPolicy(rules...)
	if err != nil {
		t.Fatalf("NewPolicy: %v", err)
	}
	var out []string
	for _, f := range p.Findings() {
		out = append(out, f.String())
	}
	return out
}

func TestAnalysisWarnings(t *testing.T) {
	tests := []struct {
		name  string
		rules []lifecycle.Rule
		want  []string
	}{
		{"presets are clean", lifecycle.Concat(lifecycle.Protect("release-"), lifecycle.StandardProdRules()), nil},
		{"default is clean", lifecycle.DefaultRules(), nil},
		{"dev preset is clean", lifecycle.StandardDevRules(), nil},
		{"archive setup is clean", lifecycle.Concat(lifecycle.Protect("prod"), lifecycle.DeleteUntaggedAfterDays(7), lifecycle.ArchiveNotPulledForDays(90), lifecycle.DeleteArchivedAfterDays(365)), nil},
		{
			"prefix inside an earlier prefix",
			lifecycle.Concat(lifecycle.KeepLastNTagged(5, "v", "v1")),
			[]string{`warning: lifecycle: rules[1] ("Keep the 5 most recent v1* images"): selection.tagPrefixList ["v1"]: can never act: every image it selects is taken first by rules[0] ("Keep the 5 most recent v* images")`},
		},
		{
			"any rule shadowed by untagged and every tag together",
			lifecycle.Concat(lifecycle.DeleteUntaggedAfterDays(7), lifecycle.DeleteMatchingAfterDays("*", 30), lifecycle.KeepLastNImages(10)),
			[]string{`warning: lifecycle: rules[2] ("Keep the 10 most recent images"): selection.tagStatus "any": can never act: every image it selects is taken first by rules[0] ("Expire untagged images 7 days after push") and rules[1] ("Expire images tagged * 30 days after push")`},
		},
		{
			"pattern without a wildcard",
			lifecycle.Concat(lifecycle.DeleteMatchingAfterDays("feature-", 7)),
			[]string{`warning: lifecycle: rules[0] ("Expire images tagged feature- 7 days after push"): selection.tagPatternList "feature-": has no wildcard, so it matches only the tag "feature-" itself; for every tag starting with it write "feature-*" (or a tagPrefixList, as DeleteTaggedAfterDays builds)`},
		},
		{
			"protection alone cleans nothing",
			lifecycle.Concat(lifecycle.Protect("prod")),
			[]string{`warning: lifecycle: policy: rules (2 rules): no rule can ever fire, so the policy expires nothing (Security Hub ECR.3 passes all the same); add a rule that acts, such as DeleteUntaggedAfterDays(14)`},
		},
		{
			"redundant protection is harmless",
			lifecycle.Concat(lifecycle.Protect("v"), lifecycle.ProtectTags("v1.2.3"), lifecycle.KeepLastNImages(3)),
			nil,
		},
		{
			"a pattern that takes part of a prefix is not a cover",
			lifecycle.Concat(lifecycle.DeleteMatchingAfterDays("v*-rc*", 7), lifecycle.KeepLastNTagged(3, "v")),
			nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := findingLines(t, tt.rules...)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("findings:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestAnalysisRefusesProtectionThatProtectsNothing(t *testing.T) {
	tests := []struct {
		name  string
		rules []lifecycle.Rule
		want  string
	}{
		{
			"every tag expires before prod is protected",
			lifecycle.Concat(lifecycle.DeleteMatchingAfterDays("*", 30), lifecycle.Protect("prod")),
			`lifecycle: rules[1] ("Protect prod* images from the rules after this one (never fires)"): selection.tagPrefixList ["prod"]: protects nothing: rules[0] ("Expire images tagged * 30 days after push") comes first and acts on the images it selects; put the protecting rules before the rules that expire or archive`,
		},
		{
			"a wider prefix first",
			lifecycle.Concat(lifecycle.KeepLastNTagged(3, "release"), lifecycle.Protect("release-1.")),
			`lifecycle: rules[1] ("Protect release-1.* images from the rules after this one (never fires)"): selection.tagPrefixList ["release-1."]: protects nothing: rules[0] ("Keep the 3 most recent release* images") comes first and acts on the images it selects; put the protecting rules before the rules that expire or archive`,
		},
		{
			"deployed tag after a pattern",
			lifecycle.Concat(lifecycle.DeleteMatchingAfterDays("1.*", 30), lifecycle.ProtectTags("1.4.2")),
			`lifecycle: rules[1] ("Protect 1.4.2, deployed by the app, from the rules after this one (never fires)"): selection.tagPatternList ["1.4.2"]: protects nothing: rules[0] ("Expire images tagged 1.* 30 days after push") comes first and acts on the images it selects; put the protecting rules before the rules that expire or archive`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lifecycle.NewPolicy(tt.rules...)
			if err == nil || err.Error() != tt.want {
				t.Errorf("NewPolicy error:\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestParseKeepsAnalysisErrors(t *testing.T) {
	text := `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPatternList":["*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":30},"action":{"type":"expire"}},` +
		`{"rulePriority":2,"description":"keep prod","selection":{"tagStatus":"tagged","tagPrefixList":["prod"],"countType":"imageCountMoreThan","countNumber":2147483647},"action":{"type":"expire"}}]}`
	p, err := lifecycle.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	f := p.Findings()
	if len(f) != 1 || f[0].Severity != lifecycle.SeverityError || f[0].Check != "protectsNothing" || !strings.HasPrefix(f[0].Problem.Error(), `lifecycle: rules[1] ("keep prod"): selection.tagPrefixList ["prod"]: protects nothing: rules[0] comes first`) {
		t.Errorf("findings = %v", f)
	}
}

// BenchmarkAnalysisOf50ShadowingRules measures NewPolicy, its analysis
// included, on a worst case: 50 rules of two or three patterns made of
// wildcards around a and b, most of them shadowed by the union of the rules
// before them (the analysis then searches every choice of entries).
func BenchmarkAnalysisOf50ShadowingRules(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	var rules []lifecycle.Rule
	seen := map[string]bool{}
	for len(rules) < 50 {
		var pats []string
		for range 2 + r.IntN(2) {
			p := "*"
			for range 1 + r.IntN(3) {
				p += string("ab"[r.IntN(2)]) + "*"
			}
			if !slices.Contains(pats, p) {
				pats = append(pats, p)
			}
		}
		key := slices.Clone(pats)
		slices.Sort(key)
		if seen[strings.Join(key, "|")] {
			continue
		}
		seen[strings.Join(key, "|")] = true
		rules = append(rules, lifecycle.Rule{TagStatus: lifecycle.TagStatusTagged, TagPatterns: pats, CountType: lifecycle.CountTypeSinceImagePushed, CountNumber: 1, Action: lifecycle.ActionExpire})
	}
	for b.Loop() {
		if _, err := lifecycle.NewPolicy(rules...); err != nil {
			b.Fatal(err)
		}
	}
}
