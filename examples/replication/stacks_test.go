package replication_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/secure-ecr/ecr-cdk-go/examples/replication"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestSnapshot(t *testing.T) {
	templates := cdktest.Check(t, &cdktest.AppOptions{Compliance: compliance.LevelStandard}, func(app awscdk.App) []awscdk.Stack {
		source, destination := replication.NewStacks(app, "EcrReplicationSource", "EcrReplicationDestination")
		return []awscdk.Stack{source, destination}
	})
	config := cdktest.Resource(t, templates["EcrReplicationSource"], "AWS::ECR::ReplicationConfiguration")
	cdktest.JSONEqual(t, "destinations", config["Properties"].(map[string]any)["ReplicationConfiguration"].(map[string]any)["Rules"].([]any)[0].(map[string]any)["Destinations"], []any{
		map[string]any{"Region": replication.SecondRegion, "RegistryId": replication.SourceAccount},
		map[string]any{"Region": replication.DestinationRegion, "RegistryId": replication.DestinationAccount},
	})
	policy := cdktest.Resource(t, templates["EcrReplicationDestination"], "AWS::ECR::RegistryPolicy")
	if !cdktest.Mentions(policy, "arn:aws:iam::"+replication.SourceAccount+":root") || !cdktest.Mentions(policy, "ecr:ReplicateImage") {
		t.Errorf("the destination's registry policy doesn't let the source replicate: %v", policy)
	}
}
