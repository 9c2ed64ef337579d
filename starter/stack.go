package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

// NewImagesStack returns a stack with one repository for a service's images:
// the library's secure defaults, a lifecycle policy that keeps releases,
// push access for the CI role of a tools account, and an alert on high and
// critical vulnerabilities.
func NewImagesStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)

	repo := ecr.NewRepository(stack, jsii.String("Service"), &ecr.RepositoryProps{
		RepositoryName: jsii.String("team/service"),
		LifecycleRules: lifecycle.Concat(
			lifecycle.Protect("release-"),
			lifecycle.DeleteUntaggedAfterDays(14),
			lifecycle.DeleteTaggedAfterDays("pr-", 7),
			lifecycle.KeepLastNImages(50),
		),
		Tags: map[string]string{"team": "platform"},
	})

	// The CI role of the tools account pushes; the role itself needs
	// ecr:GetAuthorizationToken and the push actions in its own account.
	repo.GrantPushToAccounts(awsiam.NewArnPrincipal(jsii.String("arn:aws:iam::111122223333:role/ci-image-builder")))

	alerts := awssns.NewTopic(stack, jsii.String("Alerts"), &awssns.TopicProps{EnforceSSL: jsii.Bool(true)})
	repo.OnScanFindings(jsii.String("Vulnerable"), &ecr.ScanFindingsOptions{
		OnEventOptions: awsevents.OnEventOptions{Target: awseventstargets.NewSnsTopic(alerts, nil)},
	})

	awscdk.NewCfnOutput(stack, jsii.String("RepositoryUri"), &awscdk.CfnOutputProps{Value: repo.RepositoryUri()})
	return stack
}
