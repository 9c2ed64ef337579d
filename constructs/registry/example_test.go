package registry_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
)

// The registry baseline of an account and Region: basic scan on push for
// every repository and a ROOT creation template with the repository
// defaults, plus a pull-through cache for ECR Public.
func ExampleNew() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Registry"), nil)
	reg := registry.New(stack, jsii.String("Registry"), &registry.Props{
		PullThroughCacheRules: []registry.PullThroughCacheRuleProps{
			{EcrRepositoryPrefix: "ecr-public", Upstream: registry.UpstreamECRPublic},
		},
	})
	fmt.Println(reg.RootTemplate().Prefix(), reg.RootTemplate().AppliedFor())
	// Output: ROOT [REPLICATION PULL_THROUGH_CACHE CREATE_ON_PUSH]
}
