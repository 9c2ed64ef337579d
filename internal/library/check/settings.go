package check

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// SettingsInput is what a repository and a repository creation template
// are both configured with: the settings ECR gives a repository when it is
// created. RepositoryProps (package ecr) and RepositoryCreationTemplateProps
// (package registry) each fill it from their fields of the same names, so
// both are checked and defaulted by one piece of code, [CheckSettings].
type SettingsInput struct {
	// TagMutability is the TagMutability field's value; "" for the default.
	TagMutability           string
	TagMutabilityExclusions []string
	// Encryption is the encryption type the Encryption field names (AES256,
	// KMS, KMS_DSSE); "" for the default.
	Encryption string
	// KeyField names the field that gives a customer-managed key
	// ("EncryptionKey", "EncryptionKeyArn"); empty when no key is given.
	KeyField string
	// CreateKey is a repository's CreateEncryptionKey.
	CreateKey bool
	// Between, when set, records the problems of the caller's own fields
	// that come between encryption and the lifecycle policy, so problems
	// are reported in the order of the props' fields.
	Between           func()
	LifecycleRules    []lifecycle.Rule
	NoLifecyclePolicy *bool
	Tags              map[string]string
}

// Settings are the values a repository or creation template is rendered
// with, defaults applied: immutable tags, KMS encryption and
// lifecycle.DefaultRules() unless the input says otherwise.
type Settings struct {
	Mutability string
	Exclusions []string
	// Encryption is AES256, KMS or KMS_DSSE.
	Encryption string
	// ExplicitEncryption reports whether the input named the encryption.
	ExplicitEncryption bool
	// Policy is the lifecycle policy; nil with NoLifecyclePolicy.
	Policy *lifecycle.Policy
	// Rules are the rules given, nil when the default applies.
	Rules []lifecycle.Rule
	// TagKeys are the tags' keys, sorted.
	TagKeys []string
}

// Tag mutability and encryption settings ECR takes.
var (
	tagMutabilities = []string{"IMMUTABLE", "MUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"}
	encryptionTypes = []string{"AES256", "KMS", "KMS_DSSE"}
)

// exclusionFilterPattern is ECR's pattern for a tag mutability exclusion
// filter.
var exclusionFilterPattern = regexp.MustCompile(`^[0-9a-zA-Z._*-]{1,128}$`)

// maxExclusionFilters is the number of exclusion filters ECR takes.
const maxExclusionFilters = 5

// CheckSettings records every problem with the shared settings and returns
// the settings they imply.
func CheckSettings(in SettingsInput, p *validation.Collector) Settings {
	s := Settings{Mutability: in.TagMutability, Exclusions: in.TagMutabilityExclusions}
	if s.Mutability == "" {
		s.Mutability = "IMMUTABLE"
	}
	withExclusion := false
	switch in.TagMutability {
	case "", "IMMUTABLE", "MUTABLE":
	case "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION":
		withExclusion = true
	default:
		p.Add("TagMutability", in.TagMutability, "must be "+validation.OneOf(tagMutabilities))
	}
	switch n := len(in.TagMutabilityExclusions); {
	case withExclusion && n == 0:
		p.Add("TagMutabilityExclusions", nil, fmt.Sprintf("are required with TagMutability %s: give 1 to %d wildcard filters", in.TagMutability, maxExclusionFilters))
	case !withExclusion && n > 0:
		p.Add("TagMutabilityExclusions", in.TagMutabilityExclusions, fmt.Sprintf("only apply with TagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, not %s", s.Mutability))
	case n > maxExclusionFilters:
		p.Add("TagMutabilityExclusions", in.TagMutabilityExclusions, fmt.Sprintf("has %d filters; ECR allows at most %d", n, maxExclusionFilters))
	}
	for _, f := range in.TagMutabilityExclusions {
		if !IsToken(f) && !exclusionFilterPattern.MatchString(f) {
			p.Add("TagMutabilityExclusions", f, "each filter must be 1 to 128 characters from 0-9 a-z A-Z . _ * -")
		}
	}
	ExclusionsMatchEveryTag(in.TagMutability, in.TagMutabilityExclusions, p)

	s.Encryption, s.ExplicitEncryption = "KMS", in.Encryption != ""
	if s.ExplicitEncryption {
		s.Encryption = in.Encryption
	}
	if !slices.Contains(encryptionTypes, s.Encryption) {
		p.Add("Encryption", s.Encryption, "must be "+validation.OneOf(encryptionTypes))
	}
	if s.Encryption == "AES256" {
		if in.KeyField != "" {
			p.Add(in.KeyField, nil, "a customer-managed key needs Encryption KMS or KMS_DSSE, not AES256")
		}
		if in.CreateKey {
			p.Add("CreateEncryptionKey", true, "a customer-managed key needs Encryption KMS or KMS_DSSE, not AES256")
		}
	}

	if in.Between != nil {
		in.Between()
	}

	noPolicy := in.NoLifecyclePolicy != nil && *in.NoLifecyclePolicy
	switch {
	case noPolicy && in.LifecycleRules != nil:
		p.Add("NoLifecyclePolicy", true, fmt.Sprintf("can't be combined with LifecycleRules (%d rules given)", len(in.LifecycleRules)))
	case noPolicy:
	default:
		rules := lifecycle.DefaultRules()
		if in.LifecycleRules != nil {
			s.Rules = slices.Clone(in.LifecycleRules)
			rules = s.Rules
		}
		policy, err := lifecycle.NewPolicy(rules...)
		if err != nil {
			p.Wrap("LifecycleRules", err)
		}
		s.Policy = policy
	}

	Tags(in.Tags, RepositoryTags, p)
	s.TagKeys = SortedKeys(in.Tags)
	return s
}
