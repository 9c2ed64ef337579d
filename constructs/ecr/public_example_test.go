package ecr_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
)

// A public repository lives in us-east-1, shows catalog data in the Amazon
// ECR Public Gallery, and lets a CI role push.
func ExampleNewPublicRepository() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Gallery"), &awscdk.StackProps{
		Env: &awscdk.Environment{Region: jsii.String("us-east-1")},
	})

	repo := ecr.NewPublicRepository(stack, jsii.String("Cli"), &ecr.PublicRepositoryProps{
		RepositoryName: jsii.String("tools/cli"),
		CatalogData: &ecr.PublicCatalogData{
			Description:      jsii.String("The example command-line tool"),
			UsageText:        jsii.String("docker run public.ecr.aws/example/tools/cli --help"),
			Architectures:    []ecr.PublicArchitecture{ecr.PublicArchitectureX86_64, ecr.PublicArchitectureARM64},
			OperatingSystems: []ecr.PublicOperatingSystem{ecr.PublicOperatingSystemLinux},
		},
		Tags: map[string]string{"team": "tools"},
	})
	ci := awsiam.NewRole(stack, jsii.String("CI"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	repo.GrantPush(ci)

	// Anywhere else than us-east-1 is refused.
	dublin := awscdk.NewStack(app, jsii.String("Dublin"), &awscdk.StackProps{
		Env: &awscdk.Environment{Region: jsii.String("eu-west-1")},
	})
	defer func() { fmt.Println(recover()) }()
	ecr.NewPublicRepository(dublin, jsii.String("Cli"), nil)
	// Output:
	// ecr: Dublin/Cli: Region "eu-west-1": ECR Public repositories can only be created in us-east-1; put the repository in a stack whose env Region is us-east-1
}
