// Package access shows a repository that serves more than its own account:
// pulls by other accounts, a whole AWS Organization and Lambda functions of
// another account; a GitHub Actions workflow that pushes with OIDC; and
// alerts that fire only when they matter.
package access

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
)

// NewStack returns the access stack.
func NewStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)

	repo := ecr.NewRepository(stack, jsii.String("BaseImages"), &ecr.RepositoryProps{
		RepositoryName: jsii.String("platform/base"),
	})

	// Who may pull: two workload accounts (one of them only through a role),
	// the accounts of the organization's workloads OU (and the OUs below
	// it), and Lambda functions of a workload account.
	repo.GrantPullToAccounts(
		awsiam.NewAccountPrincipal(jsii.String("111122223333")),
		awsiam.NewArnPrincipal(jsii.String("arn:aws:iam::444455556666:role/deployer")),
	)
	repo.GrantPullToOrganizationalUnits(ecr.OrganizationalUnitPrincipal("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"))
	repo.GrantLambdaPull(awsiam.NewAccountPrincipal(jsii.String("111122223333")))

	// Who may push from elsewhere: the CI role of the tools account.
	repo.GrantPushToAccounts(awsiam.NewArnPrincipal(jsii.String("arn:aws:iam::999988887777:role/ci-image-builder")))

	// Who may push: the main branch of one GitHub repository.
	NewGitHubPushRole(stack, "GitHubPush", GitHubPushRoleProps{
		Repository: repo,
		Owner:      "example-org",
		Name:       "platform-base-images",
		Branch:     "main",
	})

	// Alerts people act on: vulnerable images, release pushes, deletions.
	alerts := awssns.NewTopic(stack, jsii.String("Alerts"), &awssns.TopicProps{EnforceSSL: jsii.Bool(true)})
	target := awseventstargets.NewSnsTopic(alerts, nil)
	repo.OnScanFindings(jsii.String("VulnerableImage"), &ecr.ScanFindingsOptions{
		OnEventOptions:  awsevents.OnEventOptions{Target: target},
		MinimumSeverity: ecr.SeverityHigh,
	})
	// With enhanced scanning (Amazon Inspector) turned on for the registry:
	repo.OnScanFindings(jsii.String("CriticalReleaseFinding"), &ecr.ScanFindingsOptions{
		MinimumSeverity: ecr.SeverityCritical,
		Enhanced:        jsii.Bool(true),
		ImageTags:       []string{"release-*"},
		OnEventOptions:  awsevents.OnEventOptions{Target: target},
	})
	repo.OnImagePushed(jsii.String("ReleasePushed"), &ecr.ImageActionOptions{
		OnEventOptions: awsevents.OnEventOptions{Target: target},
		ImageTags:      []string{"release-*"},
	})
	repo.OnImageDeleted(jsii.String("ImageDeleted"), &ecr.ImageActionOptions{
		OnEventOptions: awsevents.OnEventOptions{Target: target, Description: jsii.String("An image left platform/base")},
	})

	awscdk.NewCfnOutput(stack, jsii.String("RepositoryUri"), &awscdk.CfnOutputProps{Value: repo.RepositoryUri()})
	return stack
}
