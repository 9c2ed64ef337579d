package check

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// TagLimits are the limits a resource type puts on its tags, in characters.
type TagLimits struct {
	Key, Value int
	// MinValue is 1 where an empty value is refused.
	MinValue int
	// What names the resource in messages ("a repository").
	What string
}

// maxTags is the number of tags an AWS resource takes.
const maxTags = 50

// The tag limits of the library's resource types, from their CloudFormation
// schemas.
var (
	// RepositoryTags are the limits of AWS::ECR::Repository and
	// AWS::ECR::RepositoryCreationTemplate.
	RepositoryTags = TagLimits{Key: 128, Value: 256, What: "a repository"}
	// PublicRepositoryTags are the limits of AWS::ECR::PublicRepository.
	PublicRepositoryTags = TagLimits{Key: 127, Value: 255, MinValue: 1, What: "a public repository"}
)

// Tags records tags AWS would refuse: more than 50, keys starting with
// "aws:", lengths outside the resource type's limits. Tokens pass.
func Tags(tags map[string]string, limits TagLimits, p *validation.Collector) {
	if len(tags) > maxTags {
		p.Add("Tags", fmt.Sprintf("(%d tags)", len(tags)), fmt.Sprintf("%s takes at most %d tags", limits.What, maxTags))
	}
	for _, k := range SortedKeys(tags) {
		v := tags[k]
		switch {
		case IsToken(k):
		case k == "" || utf8.RuneCountInString(k) > limits.Key:
			p.Add("Tags", k, fmt.Sprintf("a tag key must be 1 to %d characters", limits.Key))
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			p.Add("Tags", k, `a tag key can't start with "aws:", which AWS reserves`)
		}
		if n := utf8.RuneCountInString(v); !IsToken(v) && (n < limits.MinValue || n > limits.Value) {
			constraint := fmt.Sprintf("a tag value must be at most %d characters", limits.Value)
			if limits.MinValue > 0 {
				constraint = fmt.Sprintf("%s's tag value must be %d to %d characters", limits.What, limits.MinValue, limits.Value)
			}
			p.Add("Tags["+k+"]", v, constraint)
		}
	}
}

// SortedKeys returns a map's keys in order, so problems and tags are
// reported and rendered deterministically.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
