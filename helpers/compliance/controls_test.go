package compliance

import (
	"regexp"
	"slices"
	"testing"
)

// The controls the README and Controls() list are exactly the rules the
// pack ships: every control has a rule, every rule a control.
func TestControlsMatchTheRuleFiles(t *testing.T) {
	guardRule := regexp.MustCompile(`(?m)^rule (\w+) `)
	regoRule := regexp.MustCompile(`"((?:CHECKOV|SECURITYHUB)_\w+)", "ERROR"`)
	var inRules []string
	for _, text := range []string{standardGuard, strictGuard} {
		for _, m := range guardRule.FindAllStringSubmatch(text, -1) {
			inRules = append(inRules, m[1])
		}
	}
	for _, m := range regoRule.FindAllStringSubmatch(policyRego, -1) {
		inRules = append(inRules, m[1])
	}
	var inControls []string
	for _, c := range Controls(LevelStrict) {
		inControls = append(inControls, c.Rule)
	}
	slices.Sort(inRules)
	slices.Sort(inControls)
	if !slices.Equal(inRules, inControls) {
		t.Errorf("rule files define %q, Controls lists %q", inRules, inControls)
	}
	// The strict file holds exactly the strict-only controls.
	var strictOnly []string
	for _, c := range Controls(LevelStrict) {
		if c.Level == LevelStrict {
			strictOnly = append(strictOnly, c.Rule)
		}
	}
	var inStrictFile []string
	for _, m := range guardRule.FindAllStringSubmatch(strictGuard, -1) {
		inStrictFile = append(inStrictFile, m[1])
	}
	if !slices.Equal(strictOnly, inStrictFile) {
		t.Errorf("the strict rule file defines %q, Controls' strict-only controls are %q", inStrictFile, strictOnly)
	}
}
