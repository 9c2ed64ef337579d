package registry_test

import (
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
)

// Every construct's main CloudFormation resource is Resource(), its child
// "Resource"; a registry's singletons have accessors of their own, nil
// until the registry has them.
func TestEscapeHatches(t *testing.T) {
	stack := cdktest.NewStack(t)
	reg := registry.New(stack, jsii.String("Registry"), nil)
	if reg.ReplicationConfiguration() != nil || reg.SigningConfiguration() != nil {
		t.Fatalf("a registry without replication or signing rules returned their resources")
	}
	reg.AddReplicationRules(registry.ReplicationRule{Destinations: []registry.ReplicationDestination{{Region: "eu-west-1"}}})
	reg.AddSigningRules(registry.SigningRule{SigningProfileArn: jsii.String(profileArn)})
	reg.AllowReplicationFrom("111122223333")
	rule := reg.AddPullThroughCacheRule(jsii.String("Quay"), &registry.PullThroughCacheRuleProps{EcrRepositoryPrefix: "quay", Upstream: registry.UpstreamQuay})
	for _, c := range []struct{ name, got, want string }{
		{"ScanningConfiguration", *reg.ScanningConfiguration().Node().Path(), "Test/Registry/Scanning"},
		{"ReplicationConfiguration", *reg.ReplicationConfiguration().Node().Path(), "Test/Registry/Replication"},
		{"SigningConfiguration", *reg.SigningConfiguration().Node().Path(), "Test/Registry/Signing"},
		{"Policy().Resource", *reg.Policy().Resource().Node().Path(), "Test/Registry/Policy/Resource"},
		{"RootTemplate().Resource", *reg.RootTemplate().Resource().Node().Path(), "Test/Registry/RootTemplate/Resource"},
		{"PullThroughCacheRule.Resource", *rule.Resource().Node().Path(), "Test/Registry/Quay/Resource"},
		{"PullThroughCacheRule.CreationTemplate().Resource", *rule.CreationTemplate().Resource().Node().Path(), "Test/Registry/Quay/Template/Resource"},
	} {
		if c.got != c.want {
			t.Errorf("%s is %s, want %s", c.name, c.got, c.want)
		}
	}
}
