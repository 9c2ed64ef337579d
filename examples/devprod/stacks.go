// Package devprod shows a development and a production repository built
// from the lifecycle presets and helpers.
package devprod

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

// NewDevStack returns a stack with a development repository: the opt-in
// development preset (mutable tags, deleted with the stack, the dev rules)
// plus cleanup of feature-branch and pull-request builds.
func NewDevStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)

	repoProps := ecr.DevelopmentProps()
	repoProps.RepositoryName = jsii.String("shop/web-dev")
	repoProps.LifecycleRules = append(repoProps.LifecycleRules,
		lifecycle.DeleteTaggedAfterDays("feature-", 14),
		lifecycle.DeleteTaggedAfterDays("pr-", 3),
	)
	ecr.NewRepository(stack, jsii.String("Repository"), repoProps)
	return stack
}

// NewProdStack returns a stack with a production repository: every secure
// default, a customer-managed KMS key (Security Hub ECR.5), and a policy
// built from the three core helpers: untagged images go after 14 days,
// pull-request builds after 7, and the 30 most recent images are kept.
func NewProdStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)

	ecr.NewRepository(stack, jsii.String("Repository"), &ecr.RepositoryProps{
		RepositoryName:      jsii.String("shop/web"),
		CreateEncryptionKey: jsii.Bool(true),
		LifecycleRules: []lifecycle.Rule{
			lifecycle.DeleteUntaggedAfterDays(14),
			lifecycle.DeleteTaggedAfterDays("pr-", 7),
			lifecycle.KeepLastNImages(30),
		},
		Tags: map[string]string{"environment": "production"},
	})
	return stack
}
