package lifecycle

import (
	"slices"
	"strings"
	"testing"
)

// render1 renders one rule as a policy and returns the rule's JSON.
func render1(t *testing.T, r Rule) string {
	t.Helper()
	p, err := NewPolicy(r)
	if err != nil {
		t.Fatalf("NewPolicy: %v", err)
	}
	return strings.TrimSuffix(strings.TrimPrefix(p.JSON(), `{"rules":[`), `]}`)
}

func TestHelpersRenderECRRules(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		want string
	}{
		{"DeleteUntaggedAfterDays", DeleteUntaggedAfterDays(14),
			`{"rulePriority":1,"description":"Expire untagged images 14 days after push","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}`},
		{"KeepLastNImages", KeepLastNImages(30),
			`{"rulePriority":1,"description":"Keep the 30 most recent images","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":30},"action":{"type":"expire"}}`},
		{"DeleteTaggedAfterDays", DeleteTaggedAfterDays("pr-", 7),
			`{"rulePriority":1,"description":"Expire images tagged pr-* 7 days after push","selection":{"tagStatus":"tagged","tagPrefixList":["pr-"],"countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}}`},
		{"DeleteMatchingAfterDays", DeleteMatchingAfterDays("*-rc*", 30),
			`{"rulePriority":1,"description":"Expire images tagged *-rc* 30 days after push","selection":{"tagStatus":"tagged","tagPatternList":["*-rc*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":30},"action":{"type":"expire"}}`},
		{"ArchiveNotPulledForDays", ArchiveNotPulledForDays(90),
			`{"rulePriority":1,"description":"Archive images not pulled for 90 days","selection":{"tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":90},"action":{"type":"transition","targetStorageClass":"archive"}}`},
		{"DeleteArchivedAfterDays", DeleteArchivedAfterDays(365),
			`{"rulePriority":1,"description":"Expire images archived for 365 days","selection":{"tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":365},"action":{"type":"expire"}}`},
		{"KeepLastNTagged", KeepLastNTagged(5, "release-")[0],
			`{"rulePriority":1,"description":"Keep the 5 most recent release-* images","selection":{"tagStatus":"tagged","tagPrefixList":["release-"],"countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}`},
		{"Protect", Protect("v")[0],
			`{"rulePriority":1,"description":"Protect v* images from the rules after this one (never fires)","selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":2147483647},"action":{"type":"expire"}}`},
		{"Protect archived", Protect("v")[1],
			`{"rulePriority":1,"description":"Protect archived v* images from the rules after this one (never fires)","selection":{"tagStatus":"tagged","tagPrefixList":["v"],"storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":2147483647},"action":{"type":"expire"}}`},
		{"ProtectPatterns", ProtectPatterns("v*.*.*")[0],
			`{"rulePriority":1,"description":"Protect v*.*.* images from the rules after this one (never fires)","selection":{"tagStatus":"tagged","tagPatternList":["v*.*.*"],"countType":"imageCountMoreThan","countNumber":2147483647},"action":{"type":"expire"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render1(t, tt.rule); got != tt.want {
				t.Errorf("rendered\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestKeepLastNTaggedReturnsOneRulePerPrefix(t *testing.T) {
	rules := KeepLastNTagged(3, "release-", "hotfix-")
	if len(rules) != 2 || rules[0].TagPrefixes[0] != "release-" || rules[1].TagPrefixes[0] != "hotfix-" {
		t.Errorf("got %+v, want one rule for release- then one for hotfix-", rules)
	}
}

func TestProtectCoversBothStorageClassesOfEachPrefix(t *testing.T) {
	rules := Protect("release-", "hotfix-")
	var got []string
	for _, r := range rules {
		got = append(got, r.TagPrefixes[0]+" "+string(r.storageClass())+" "+string(r.CountType))
	}
	want := "release- standard imageCountMoreThan, release- archive sinceImageTransitioned, " +
		"hotfix- standard imageCountMoreThan, hotfix- archive sinceImageTransitioned"
	if strings.Join(got, ", ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, ", "), want)
	}
	if _, err := NewPolicy(rules...); err != nil {
		t.Errorf("Protect's rules are not a valid policy: %v", err)
	}
}

func TestPerPrefixHelpersWithoutPrefixesAreRefused(t *testing.T) {
	for name, rules := range map[string][]Rule{
		"KeepLastNTagged": KeepLastNTagged(3),
		"Protect":         Protect(),
		"ProtectPatterns": ProtectPatterns(),
	} {
		_, err := NewPolicy(rules...)
		if err == nil || !strings.Contains(err.Error(), "must not be empty") {
			t.Errorf("%s with no prefixes: got %v, want a must-not-be-empty error", name, err)
		}
	}
}

func TestPresets(t *testing.T) {
	tests := []struct {
		name  string
		rules []Rule
		want  []Rule
	}{
		{"StandardDevRules", StandardDevRules(), []Rule{DeleteUntaggedAfterDays(7), KeepLastNImages(10)}},
		{"StandardProdRules", StandardProdRules(), []Rule{DeleteUntaggedAfterDays(14), KeepLastNImages(30)}},
		{"DefaultRules", DefaultRules(), []Rule{DeleteUntaggedAfterDays(14)}},
	}
	for _, tt := range tests {
		got, err := NewPolicy(tt.rules...)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		want, _ := NewPolicy(tt.want...)
		if got.JSON() != want.JSON() {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got.JSON(), want.JSON())
		}
	}
}

func TestConcatJoinsRulesAndListsInOrder(t *testing.T) {
	got := Concat(Protect("release-"), DeleteUntaggedAfterDays(14), KeepLastNTagged(3, "a", "b"), KeepLastNImages(30))
	var descriptions []string
	for _, r := range got {
		descriptions = append(descriptions, r.Description)
	}
	want := []string{
		"Protect release-* images from the rules after this one (never fires)",
		"Protect archived release-* images from the rules after this one (never fires)",
		"Expire untagged images 14 days after push",
		"Keep the 3 most recent a* images",
		"Keep the 3 most recent b* images",
		"Keep the 30 most recent images",
	}
	if !slices.Equal(descriptions, want) {
		t.Errorf("Concat:\n got %q\nwant %q", descriptions, want)
	}
	// Rules converts to []Rule, so multi-rule helpers go where a list goes.
	var list []Rule = StandardProdRules()
	if len(list) != 2 {
		t.Errorf("StandardProdRules: %d rules", len(list))
	}
}

func TestHelpersWithNoTagsReportTheMistake(t *testing.T) {
	for name, rules := range map[string]Rules{
		"Protect":         Protect(),
		"ProtectPatterns": ProtectPatterns(),
		"KeepLastNTagged": KeepLastNTagged(3),
	} {
		_, err := NewPolicy(rules...)
		if err == nil || !strings.Contains(err.Error(), "(no tags given)") || !strings.Contains(err.Error(), "must not be empty") {
			t.Errorf("%s(): %v", name, err)
		}
	}
}

func TestProtectTags(t *testing.T) {
	rules := ProtectTags("v1.0.0", "latest")
	if len(rules) != 2 {
		t.Fatalf("%d rules", len(rules))
	}
	for i, tag := range []string{"v1.0.0", "latest"} {
		r := rules[i]
		if r.TagStatus != TagStatusTagged || len(r.TagPatterns) != 1 || r.TagPatterns[0] != tag || r.CountType != CountTypeImageCountMoreThan || r.CountNumber != protectCount {
			t.Errorf("rule %d: %+v", i, r)
		}
	}
	if _, err := NewPolicy(append(rules, KeepLastNImages(3))...); err != nil {
		t.Errorf("a policy of protected tags and a count rule: %v", err)
	}
	if _, err := NewPolicy(ProtectTags()...); err == nil {
		t.Error("no tags: accepted")
	}
}
