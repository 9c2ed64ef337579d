package ecr_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

func TestRegistryDump(t *testing.T) {
	stack := cdktest.NewStack(t)
	ecr.NewRegistry(stack, jsii.String("Registry"), &ecr.RegistryProps{
		PullThroughCacheRules: []ecr.PullThroughCacheRuleProps{
			{EcrRepositoryPrefix: jsii.String("docker-hub"), Upstream: ecr.UpstreamDockerHub, CredentialArn: jsii.String("arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf")},
			{EcrRepositoryPrefix: jsii.String("upstream-ecr"), Upstream: ecr.UpstreamEcr, UpstreamRegistryUrl: jsii.String(ecr.EcrRegistryUrl("111122223333", "eu-west-1"))},
		},
		ReplicationRules:          []ecr.ReplicationRule{{Destinations: []ecr.ReplicationDestination{{Region: "eu-west-1"}, {Region: "us-east-1", Account: "111122223333"}}, RepositoryPrefixes: []string{"prod"}}},
		ReplicationSourceAccounts: []string{"444455556666"},
		SigningRules:              []ecr.SigningRule{{SigningProfileArn: "arn:aws:signer:us-east-1:123456789012:/signing-profiles/images"}},
		PullTimeUpdateExclusions:  []string{"arn:aws:iam::123456789012:role/scanner"},
		CreationTemplates:         []ecr.RepositoryCreationTemplateProps{{Prefix: jsii.String("team"), Tags: map[string]string{"team": "a"}, LifecycleRules: lifecycle.StandardProdRules()}},
	})
	b, _ := json.MarshalIndent(cdktest.JSON(t, stack), "", " ")
	t.Log(string(b))
	_ = assertions.Match_Absent
}
