// Package service shows a repository feeding a service: an ECS Fargate task
// and a Lambda container function run its images, a CI role pushes to it,
// and an SNS topic hears about every completed scan.
//
// The repository and the workloads are two stacks, deployed in that order
// with CI pushing the image in between: Lambda refuses to create a function
// whose image isn't in the repository yet ("Source image ... does not
// exist", https://github.com/aws/aws-cdk/issues/24648), so one stack that
// creates both can't be deployed to a new account. The image the
// workloads run is still protected in the repository's lifecycle policy:
// the library follows the reference across the two stacks.
package service

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
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

// NewStacks returns the images stack, the repository with its CI role and
// scan alert, and the service stack, whose workloads run ImageTag from it.
// Deploy the images stack, push ImageTag, then deploy the service stack
// (cdk deploy --all deploys them in that order: the service stack depends on
// the images stack).
func NewStacks(scope constructs.Construct, imagesID, serviceID string, props *awscdk.StackProps) (images, service awscdk.Stack) {
	images = awscdk.NewStack(scope, jsii.String(imagesID), props)
	repo := newImages(images)
	service = awscdk.NewStack(scope, jsii.String(serviceID), props)
	newWorkloads(service, repo)
	return images, service
}

// newImages adds the repository, the role CI pushes with and the scan alert
// to stack, and returns the repository.
func newImages(stack awscdk.Stack) ecr.Repository {
	repo := ecr.NewRepository(stack, jsii.String("Repository"), &ecr.RepositoryProps{
		RepositoryName: jsii.String("shop/orders"),
		LifecycleRules: lifecycle.Concat(lifecycle.Protect("release-"), lifecycle.StandardProdRules()),
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
	return repo
}

// newWorkloads adds to stack an ECS task and a Lambda function that run
// ImageTag from repo.
func newWorkloads(stack awscdk.Stack, repo ecr.Repository) {
	// The workloads' logs are kept a year and encrypted with a key of the
	// stack's own (AWS Control Tower CT.CLOUDWATCH.PR.2 and PR.3).
	logsKey := newLogsKey(stack)
	logGroup := func(id string) awslogs.LogGroup {
		return awslogs.NewLogGroup(stack, jsii.String(id), &awslogs.LogGroupProps{
			Retention:     awslogs.RetentionDays_ONE_YEAR,
			EncryptionKey: logsKey,
			RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
		})
	}

	// An ECS Fargate task runs the image; its execution role gets pull
	// access. The container runs as a non-root user, on a read-only root
	// file system, within a hard memory limit (CT.ECS.PR.3, PR.6, PR.7):
	// the application writes only to volumes it mounts.
	task := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), &awsecs.FargateTaskDefinitionProps{
		Cpu:            jsii.Number(256),
		MemoryLimitMiB: jsii.Number(512),
	})
	task.AddContainer(jsii.String("orders"), &awsecs.ContainerDefinitionOptions{
		Image:                  awsecs.ContainerImage_FromEcrRepository(repo, jsii.String(ImageTag)),
		User:                   jsii.String("1000:1000"),
		ReadonlyRootFilesystem: jsii.Bool(true),
		MemoryLimitMiB:         jsii.Number(512),
		Logging: awsecs.LogDrivers_AwsLogs(&awsecs.AwsLogDriverProps{
			StreamPrefix: jsii.String("orders"),
			LogGroup:     logGroup("OrdersLogs"),
		}),
	})
	nag.Suppress(task.ObtainExecutionRole(), getAuthorizationToken)

	// A Lambda function runs the same image; CDK lets the Lambda service pull
	// it through the repository policy. It runs outside a VPC: it calls no
	// private resource, and a VPC would add subnets, endpoints and NAT to an
	// example about images (the README lists CT.LAMBDA.PR.3 as the one
	// control this example leaves open, and why).
	fn := awslambda.NewDockerImageFunction(stack, jsii.String("Worker"), &awslambda.DockerImageFunctionProps{
		Code:     awslambda.DockerImageCode_FromEcr(repo, &awslambda.EcrImageCodeProps{TagOrDigest: jsii.String(ImageTag)}),
		LogGroup: logGroup("WorkerLogs"),
	})
	nag.Suppress(fn.Role(), nag.Suppression{
		ID:        "AwsSolutions-IAM4",
		Reason:    "AWSLambdaBasicExecutionRole only allows writing the function's own logs",
		AppliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
	})
}

// newLogsKey returns a customer-managed key for the stack's log groups:
// rotated, retained, usable by CloudWatch Logs for this account's and
// Region's log groups only (as the CloudWatch Logs User Guide, "Encrypt log
// data in CloudWatch Logs using AWS KMS", documents), and with the
// CT.KMS.PR.3 statement.
func newLogsKey(stack awscdk.Stack) awskms.Key {
	key := awskms.NewKey(stack, jsii.String("LogsKey"), &awskms.KeyProps{
		Description:       jsii.String("Encrypts the log groups of " + *stack.StackName()),
		EnableKeyRotation: jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudWatchLogsOfThisAccount"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("logs."+*stack.Region()+".amazonaws.com"), nil)},
		Actions:    jsii.Strings("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{"ArnLike": map[string]any{
			"kms:EncryptionContext:aws:logs:arn": "arn:" + *stack.Partition() + ":logs:" + *stack.Region() + ":" + *stack.Account() + ":log-group:*",
		}},
	}), nil)
	key.AddToResourcePolicy(ecr.DenyKeyGrantsUnlessForAWSResource(), nil)
	return key
}

// getAuthorizationToken is the suppression every role that pulls or pushes
// needs: ECR's login action can't be scoped to a repository.
var getAuthorizationToken = nag.Suppression{
	ID:        "AwsSolutions-IAM5",
	Reason:    "ecr:GetAuthorizationToken is account-wide; it has no resource-level permissions",
	AppliesTo: []string{"Resource::*"},
}
