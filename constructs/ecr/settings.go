package ecr

import (
	"fmt"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/internal/construct"
)

// settingsInput is what a repository and a repository creation template are
// both configured with: the settings ECR gives a repository when it is
// created. RepositoryProps and RepositoryCreationTemplateProps each fill it
// from their fields of the same names, so both are checked and defaulted by
// one piece of code, [checkSettings], and rendered from one [settings].
type settingsInput struct {
	TagMutability           awsecr.TagMutability
	TagMutabilityExclusions []string
	Encryption              awsecr.RepositoryEncryption
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

// settings are the values a repository or creation template is rendered
// with, defaults applied: immutable tags, KMS encryption and
// lifecycle.DefaultRules() unless the input says otherwise.
type settings struct {
	mutability awsecr.TagMutability
	exclusions []string
	encryption string // AES256, KMS or KMS_DSSE
	policy     *lifecycle.Policy
	rules      []lifecycle.Rule // the rules given, nil when the default applies
	tagKeys    []string         // the tags' keys, sorted
}

// checkSettings records every problem with the shared settings and returns
// the settings they imply.
func checkSettings(in settingsInput, p *problems) settings {
	s := settings{mutability: construct.OrDefault(in.TagMutability, awsecr.TagMutability_IMMUTABLE), exclusions: in.TagMutabilityExclusions}

	withExclusion := false
	switch in.TagMutability {
	case "", awsecr.TagMutability_IMMUTABLE, awsecr.TagMutability_MUTABLE:
	case awsecr.TagMutability_IMMUTABLE_WITH_EXCLUSION, awsecr.TagMutability_MUTABLE_WITH_EXCLUSION:
		withExclusion = true
	default:
		p.Add("TagMutability", string(in.TagMutability), "must be IMMUTABLE, MUTABLE, IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION")
	}
	switch n := len(in.TagMutabilityExclusions); {
	case withExclusion && n == 0:
		p.Add("TagMutabilityExclusions", nil, fmt.Sprintf("are required with TagMutability %s: give 1 to %d wildcard filters", in.TagMutability, maxExclusionFilters))
	case !withExclusion && n > 0:
		p.Add("TagMutabilityExclusions", in.TagMutabilityExclusions, fmt.Sprintf("only apply with TagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, not %s", s.mutability))
	case n > maxExclusionFilters:
		p.Add("TagMutabilityExclusions", in.TagMutabilityExclusions, fmt.Sprintf("has %d filters; ECR allows at most %d", n, maxExclusionFilters))
	}
	for _, f := range in.TagMutabilityExclusions {
		if !construct.IsToken(f) && !exclusionFilterPattern.MatchString(f) {
			p.Add("TagMutabilityExclusions", f, "each filter must be 1 to 128 characters from 0-9 a-z A-Z . _ * -")
		}
	}

	s.encryption = "KMS"
	if in.Encryption != nil {
		s.encryption = *in.Encryption.Value()
	}
	switch s.encryption {
	case "AES256", "KMS", "KMS_DSSE":
	default:
		p.Add("Encryption", s.encryption, "must be AES256, KMS or KMS_DSSE")
	}
	if s.encryption == "AES256" {
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
			s.rules = slices.Clone(in.LifecycleRules)
			rules = s.rules
		}
		policy, err := lifecycle.NewPolicy(rules...)
		if err != nil {
			p.Wrap("LifecycleRules", err)
		}
		s.policy = policy
	}

	checkTags(in.Tags, repositoryTags, p)
	s.tagKeys = construct.SortedKeys(in.Tags)
	return s
}

// repositoryProps renders the settings as CDK's L2 props for a repository.
// Encryption is left to the caller: CDK's L2 renders only some of it.
func (s settings) repositoryProps() *awsecr.RepositoryProps {
	return &awsecr.RepositoryProps{
		ImageTagMutability:                 s.mutability,
		ImageTagMutabilityExclusionFilters: exclusionFilters(s.exclusions),
	}
}

// templateProps renders the settings as the properties of an
// AWS::ECR::RepositoryCreationTemplate, with the key ARN (nil for the
// AWS-managed key) and the tags whose keys are s.tagKeys.
func (s settings) templateProps(keyArn *string, tags map[string]string) *awsecr.CfnRepositoryCreationTemplateProps {
	props := &awsecr.CfnRepositoryCreationTemplateProps{
		ImageTagMutability: jsii.String(string(s.mutability)),
		EncryptionConfiguration: &awsecr.CfnRepositoryCreationTemplate_EncryptionConfigurationProperty{
			EncryptionType: jsii.String(s.encryption),
			KmsKey:         keyArn,
		},
	}
	if len(s.exclusions) > 0 {
		filters := make([]any, len(s.exclusions))
		for i, f := range s.exclusions {
			filters[i] = &awsecr.CfnRepositoryCreationTemplate_ImageTagMutabilityExclusionFilterProperty{
				ImageTagMutabilityExclusionFilterType:  jsii.String("WILDCARD"),
				ImageTagMutabilityExclusionFilterValue: jsii.String(f),
			}
		}
		props.ImageTagMutabilityExclusionFilters = filters
	}
	if s.policy != nil {
		props.LifecyclePolicy = jsii.String(s.policy.JSON())
	}
	if len(s.tagKeys) > 0 {
		list := make([]any, len(s.tagKeys))
		for i, k := range s.tagKeys {
			list[i] = &awscdk.CfnTag{Key: jsii.String(k), Value: jsii.String(tags[k])}
		}
		props.ResourceTags = list
	}
	return props
}
