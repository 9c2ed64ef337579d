// Package service shows a repository feeding a service: an ECS Fargate task
// and a Lambda container function run its images, a CI role pushes to it,
// and an SNS topic hears about every completed scan.
package service

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/nag"
)

// ImageTag is the image both workloads run.
const ImageTag = "1.4.2"

// NewStack returns the service stack.
func NewStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)

	repo := ecr.NewRepository(stack, jsii.String("Repository"), &ecr.RepositoryProps{
		RepositoryName: jsii.String("shop/orders"),
		LifecycleRules: append(lifecycle.Protect("release-"), lifecycle.StandardProdRules()...),
	})

	// An ECS Fargate task runs the image; its execution role gets pull access.
	task := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), &awsecs.FargateTaskDefinitionProps{
		Cpu:            jsii.Number(256),
		MemoryLimitMiB: jsii.Number(512),
	})
	task.AddContainer(jsii.String("orders"), &awsecs.ContainerDefinitionOptions{
		Image: awsecs.ContainerImage_FromEcrRepository(repo, jsii.String(ImageTag)),
		Logging: awsecs.LogDrivers_AwsLogs(&awsecs.AwsLogDriverProps{
			StreamPrefix: jsii.String("orders"),
			LogRetention: awslogs.RetentionDays_ONE_MONTH,
		}),
	})
	nag.Suppress(task.ObtainExecutionRole(), getAuthorizationToken)

	// A Lambda function runs the same image; CDK lets the Lambda service pull
	// it through the repository policy.
	fn := awslambda.NewDockerImageFunction(stack, jsii.String("Worker"), &awslambda.DockerImageFunctionProps{
		Code: awslambda.DockerImageCode_FromEcr(repo, &awslambda.EcrImageCodeProps{TagOrDigest: jsii.String(ImageTag)}),
	})
	nag.Suppress(fn.Role(), nag.Suppression{
		ID:        "AwsSolutions-IAM4",
		Reason:    "AWSLambdaBasicExecutionRole only allows writing the function's own logs",
		AppliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
	})

	// CI pushes images; here a CodeBuild project's role, see the access
	// example for GitHub Actions.
	ci := awsiam.NewRole(stack, jsii.String("CiRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("codebuild.amazonaws.com"), nil),
		Description: jsii.String("Builds and pushes shop/orders images"),
	})
	repo.GrantPullPush(ci)
	nag.Suppress(ci, getAuthorizationToken)

	// Every completed scan is announced on an SNS topic.
	topic := awssns.NewTopic(stack, jsii.String("ScanResults"), &awssns.TopicProps{EnforceSSL: jsii.Bool(true)})
	repo.OnImageScanCompleted(jsii.String("ScanCompleted"), nil).AddTarget(awseventstargets.NewSnsTopic(topic, nil))

	awscdk.NewCfnOutput(stack, jsii.String("RepositoryUri"), &awscdk.CfnOutputProps{Value: repo.RepositoryUri()})
	return stack
}

// getAuthorizationToken is the suppression every role that pulls or pushes
// needs: ECR's login action can't be scoped to a repository.
var getAuthorizationToken = nag.Suppression{
	ID:        "AwsSolutions-IAM5",
	Reason:    "ecr:GetAuthorizationToken is account-wide; it has no resource-level permissions",
	AppliesTo: []string{"Resource::*"},
}
