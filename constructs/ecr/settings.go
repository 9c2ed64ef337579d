package ecr

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"

	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
)

// settingsInput fills the settings a repository shares with creation
// templates from its props, for check.CheckSettings.
func settingsInput(props *RepositoryProps) check.SettingsInput {
	in := check.SettingsInput{
		TagMutability:           string(props.TagMutability),
		TagMutabilityExclusions: props.TagMutabilityExclusions,
		CreateKey:               props.CreateEncryptionKey != nil && *props.CreateEncryptionKey,
		LifecycleRules:          props.LifecycleRules,
		NoLifecyclePolicy:       props.NoLifecyclePolicy,
		Tags:                    props.Tags,
	}
	if props.Encryption != nil {
		in.Encryption = *props.Encryption.Value()
	}
	if props.EncryptionKey != nil {
		in.KeyField = "EncryptionKey"
	}
	return in
}

// repositoryProps renders the settings as CDK's L2 props for a repository.
// Encryption is left to the caller: CDK's L2 renders only some of it.
func repositoryProps(s check.Settings) *awsecr.RepositoryProps {
	return &awsecr.RepositoryProps{
		ImageTagMutability:                 awsecr.TagMutability(s.Mutability),
		ImageTagMutabilityExclusionFilters: exclusionFilters(s.Exclusions),
	}
}
