package check

import (
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// ExclusionsMatchEveryTag records an exclusion filter that matches every
// tag ("*", or any run of "*": a wildcard matches any run of characters)
// under IMMUTABLE_WITH_EXCLUSION: every tag is then exempt from
// immutability, which is MUTABLE in disguise, and a reader of the props
// (or of a compliance report) would take the repository for an immutable
// one. mutability is the TagMutability field's value. Tokens pass.
func ExclusionsMatchEveryTag(mutability string, exclusions []string, p *validation.Collector) {
	if mutability != "IMMUTABLE_WITH_EXCLUSION" {
		return
	}
	for _, f := range exclusions {
		if f != "" && strings.Trim(f, "*") == "" {
			p.Add("TagMutabilityExclusions", f, "matches every tag, so with IMMUTABLE_WITH_EXCLUSION no tag is immutable; say TagMutability MUTABLE if that is meant")
			return
		}
	}
}
