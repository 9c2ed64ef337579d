// Package registry is an account baseline: the registry-wide configuration
// that makes every repository of the account and Region secure, whoever
// creates it.
package registry

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssigner"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
)

// credentialPattern is what the credential parameters accept: the ARN of a
// Secrets Manager secret named ecr-pullthroughcache/..., as ECR requires.
const credentialPattern = `^arn:aws:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr\-pullthroughcache\/[a-zA-Z0-9\/_+=.@-]+$`

// NewStack returns the baseline: basic scan on push for every repository,
// the ROOT creation template with the library's repository defaults,
// pull-through caches for Docker Hub, GitHub Container Registry and ECR
// Public (each with a template for its prefix), managed signing with an
// AWS Signer profile, and a vulnerability scanner's role excluded from the
// pull time, so its pulls don't keep images alive for lifecycle rules.
//
// The Docker Hub and GitHub credentials are Secrets Manager secrets created
// outside the stack (they hold access tokens); their ARNs are parameters.
// Deploy one such stack per account and Region: its parts are singletons.
func NewStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)

	dockerHub := credential(stack, "DockerHubCredentialArn", "Docker Hub")
	github := credential(stack, "GitHubCredentialArn", "GitHub Container Registry")

	profile := awssigner.NewSigningProfile(stack, jsii.String("SigningProfile"), &awssigner.SigningProfileProps{
		Platform: awssigner.Platform_NOTATION_OCI_SHA384_ECDSA(),
	})
	scanner := awsiam.NewRole(stack, jsii.String("Scanner"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewAccountRootPrincipal(),
		Description: jsii.String("Pulls images to scan them; its pulls don't count for lifecycle rules"),
	})

	registry := registry.New(stack, jsii.String("Registry"), &registry.Props{
		PullThroughCacheRules: []registry.PullThroughCacheRuleProps{
			{EcrRepositoryPrefix: "docker-hub", Upstream: registry.UpstreamDockerHub, CredentialArn: dockerHub},
			{EcrRepositoryPrefix: "ghcr", Upstream: registry.UpstreamGitHub, CredentialArn: github},
			{EcrRepositoryPrefix: "ecr-public", Upstream: registry.UpstreamECRPublic},
		},
		SigningRules:             []registry.SigningRule{{SigningProfile: profile}},
		PullTimeUpdateExclusions: []string{*scanner.RoleArn()},
	})
	registry.GrantSignOnPush(awsiam.NewRole(stack, jsii.String("Builder"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("codebuild.amazonaws.com"), nil),
		Description: jsii.String("Builds and pushes images, which ECR signs on push"),
	}))
	return stack
}

// credential adds a parameter for a pull-through cache credential's ARN.
func credential(stack awscdk.Stack, id, upstream string) *string {
	return awscdk.NewCfnParameter(stack, jsii.String(id), &awscdk.CfnParameterProps{
		Type:           jsii.String("String"),
		Description:    jsii.String("ARN of the Secrets Manager secret (named ecr-pullthroughcache/...) with the " + upstream + " user name and access token"),
		AllowedPattern: jsii.String(credentialPattern),
	}).ValueAsString()
}
