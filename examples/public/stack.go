// Package public shows an Amazon ECR Public repository: catalog data for the
// Amazon ECR Public Gallery, tags, and a CI role that may push. ECR Public
// exists only in us-east-1, so this stack is pinned there.
package public

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/nag"
)

// NewStack returns the public-repository stack. Its Region is us-east-1
// unless props set another, which ecr.NewPublicRepository refuses.
func NewStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	p := awscdk.StackProps{}
	if props != nil {
		p = *props
	}
	env := awscdk.Environment{}
	if p.Env != nil {
		env = *p.Env
	}
	if env.Region == nil {
		env.Region = jsii.String("us-east-1")
	}
	p.Env = &env
	stack := awscdk.NewStack(scope, jsii.String(id), &p)

	repo := ecr.NewPublicRepository(stack, jsii.String("Cli"), &ecr.PublicRepositoryProps{
		RepositoryName: jsii.String("example/cli"),
		CatalogData: &ecr.PublicCatalogData{
			Description: jsii.String("The example command-line tool, as a container image"),
			AboutText:   jsii.String("## example/cli\n\nA static binary on a distroless base, rebuilt every week with the latest patches."),
			UsageText: jsii.String("```\ndocker run --rm public.ecr.aws/example-org/example/cli:latest --help\n```\n\n" +
				"Tags follow semantic versioning."),
			Architectures:    []ecr.PublicArchitecture{ecr.PublicArchitectureX86_64, ecr.PublicArchitectureARM64},
			OperatingSystems: []ecr.PublicOperatingSystem{ecr.PublicOperatingSystemLinux},
		},
		Tags: map[string]string{"team": "developer-tools", "Visibility": "public"},
		// Your public registry's alias (aws ecr-public describe-registries),
		// for RepositoryUri.
		RegistryAlias: jsii.String("example-org"),
	})

	// CI pushes releases: a CodeBuild project's role.
	ci := awsiam.NewRole(stack, jsii.String("CiRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("codebuild.amazonaws.com"), nil),
		Description: jsii.String("Builds and pushes example/cli images to ECR Public"),
	})
	repo.GrantPush(ci)
	nag.Suppress(ci, nag.Suppression{
		ID:        "AwsSolutions-IAM5",
		Reason:    "ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken log in to the public registry; they have no resource-level permissions",
		AppliesTo: []string{"Resource::*"},
	})

	awscdk.NewCfnOutput(stack, jsii.String("RepositoryUri"), &awscdk.CfnOutputProps{Value: repo.RepositoryUri()})
	return stack
}
