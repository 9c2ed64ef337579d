package registry_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssigner"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
)

// A secret, role, key or signing profile given as a CDK object renders as
// its ARN would.
func TestObjectsRenderAsTheirArns(t *testing.T) {
	stack := cdktest.NewStack(t)
	secret := awssecretsmanager.Secret_FromSecretCompleteArn(stack, jsii.String("Secret"), jsii.String(dockerSecret))
	role := awsiam.Role_FromRoleArn(stack, jsii.String("Role"), jsii.String("arn:aws:iam::123456789012:role/templates"), nil)
	key := awskms.Key_FromKeyArn(stack, jsii.String("Key"), jsii.String(usKey))
	profile := awssigner.NewSigningProfile(stack, jsii.String("Profile"), &awssigner.SigningProfileProps{Platform: awssigner.Platform_NOTATION_OCI_SHA384_ECDSA()})
	registry.New(stack, jsii.String("Registry"), &registry.Props{
		RootTemplate: &registry.RepositoryCreationTemplateProps{EncryptionKey: key, CustomRole: role},
		PullThroughCacheRules: []registry.PullThroughCacheRuleProps{
			{EcrRepositoryPrefix: "docker-hub", Upstream: registry.UpstreamDockerHub, Credential: secret, NoCreationTemplate: jsii.Bool(true)},
		},
		SigningRules: []registry.SigningRule{{SigningProfile: profile}},
	})
	tpl := cdktest.NewTemplate(t, stack)
	tpl.HasResourceProperties("AWS::ECR::RepositoryCreationTemplate", map[string]any{
		"Prefix":                  "ROOT",
		"EncryptionConfiguration": map[string]any{"EncryptionType": "KMS", "KmsKey": usKey},
		"CustomRoleArn":           "arn:aws:iam::123456789012:role/templates",
	})
	tpl.HasResourceProperties("AWS::ECR::PullThroughCacheRule", map[string]any{"CredentialArn": dockerSecret})
	tpl.HasResourceProperties("AWS::ECR::SigningConfiguration", map[string]any{
		"Rules": []any{map[string]any{"SigningProfileArn": stack.Resolve(profile.SigningProfileArn()), "RepositoryFilters": []any{map[string]any{"Filter": "*", "FilterType": "WILDCARD_MATCH"}}}},
	})
}
