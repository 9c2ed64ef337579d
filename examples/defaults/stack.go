// Package defaults is the smallest use of the library: one repository with
// every secure default and nothing else.
package defaults

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
)

// NewStack returns a stack with one repository built from nil props: scan
// on push, immutable tags, KMS encryption, retained on delete and replace,
// untagged images expired after 14 days, no repository policy.
func NewStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)

	repo := ecr.NewRepository(stack, jsii.String("Repository"), nil)

	awscdk.NewCfnOutput(stack, jsii.String("RepositoryUri"), &awscdk.CfnOutputProps{Value: repo.RepositoryUri()})
	return stack
}
