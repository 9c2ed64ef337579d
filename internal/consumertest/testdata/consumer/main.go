// A separate module that uses the library the way a platform team would:
// a repository feeding an ECS task and a Lambda function, lifecycle helpers,
// grants, and a synthesized template.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Consumer"), nil)

	repo := ecr.NewRepository(stack, jsii.String("Images"), &ecr.RepositoryProps{
		LifecycleRules: append(lifecycle.StandardProdRules(), lifecycle.DeleteTaggedAfterDays("pr-", 7)),
	})
	repo.AddLifecycleRules(lifecycle.DeleteArchivedAfterDays(180))

	task := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), nil)
	task.AddContainer(jsii.String("app"), &awsecs.ContainerDefinitionOptions{
		Image: awsecs.ContainerImage_FromEcrRepository(repo, jsii.String("v1")),
	})
	awslambda.NewDockerImageFunction(stack, jsii.String("Fn"), &awslambda.DockerImageFunctionProps{
		Code: awslambda.DockerImageCode_FromEcr(repo, &awslambda.EcrImageCodeProps{TagOrDigest: jsii.String("v1")}),
	})
	ci := awsiam.NewRole(stack, jsii.String("CI"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	repo.GrantPullPush(ci)

	asm := app.Synth(nil)
	template := filepath.Join(*asm.Directory(), "Consumer.template.json")
	if _, err := os.Stat(template); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(template)
}
