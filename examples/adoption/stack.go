// Package adoption brings two repositories that were made outside
// CloudFormation under the library: the code in adopted/ was written by
// `ecr-cdk adopt` from the AWS CLI's output in inventory/ (see
// docs/adoption.md), and NewStack declares them either exactly as they exist,
// for `cdk import`, or upgraded in place to the secure defaults, for the
// deploy after it.
//
//	ecr-cdk adopt --repositories inventory/describe-repositories.json \
//	  --lifecycle-policies inventory/lifecycle --repository-policies inventory/policies \
//	  --package adopted --out adopted --stack EcrAdoption
package adoption

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/examples/adoption/adopted"
)

// NewStack returns the stack the repositories are imported into, in their
// account and Region (adopted.Account, adopted.Region). upgrade false is
// the template for `cdk import EcrAdoption --resource-mapping
// adopted/resource-mapping.json`; upgrade true the one deployed next, which
// changes tag mutability, scan on push and the lifecycle policy in place
// and keeps the names, the encryption and the repository policy.
func NewStack(scope constructs.Construct, id string, upgrade bool) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String(adopted.Account), Region: jsii.String(adopted.Region)},
	})
	adopted.Repositories(stack, upgrade)
	return stack
}
