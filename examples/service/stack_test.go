package service_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/secure-ecr/ecr-cdk-go/examples/service"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestSnapshot(t *testing.T) {
	templates := cdktest.Check(t, &cdktest.AppOptions{Compliance: compliance.LevelStandard}, func(app awscdk.App) []awscdk.Stack {
		images, workloads := service.NewStacks(app, "EcrServiceImages", "EcrService", nil)
		return []awscdk.Stack{images, workloads}
	})
	images, tpl := templates["EcrServiceImages"], templates["EcrService"]

	// The scan-complete rule targets the topic.
	rule := cdktest.Resource(t, images, "AWS::Events::Rule")
	props := rule["Properties"].(map[string]any)
	cdktest.JSONEqual(t, "rule detail-type", props["EventPattern"].(map[string]any)["detail-type"], []any{"ECR Image Scan"})
	target := props["Targets"].([]any)[0].(map[string]any)
	cdktest.JSONEqual(t, "rule target", target["Arn"], map[string]any{"Ref": cdktest.LogicalID(t, images, "AWS::SNS::Topic")})

	// The repository is in the images stack only; its lifecycle policy
	// protects the tag the other stack's workloads run.
	repo := cdktest.Resource(t, images, "AWS::ECR::Repository")
	if _, ok := tpl["Resources"].(map[string]any)[cdktest.LogicalID(t, images, "AWS::ECR::Repository")]; ok {
		t.Error("the service stack declares the repository too")
	}
	policy := repo["Properties"].(map[string]any)["LifecyclePolicy"].(map[string]any)["LifecyclePolicyText"]
	if !cdktest.Mentions(policy, "Protect "+service.ImageTag+", deployed by the app") {
		t.Errorf("lifecycle policy %v doesn't protect %s, which the service stack runs", policy, service.ImageTag)
	}

	// Both workloads run the repository's image, imported from the images
	// stack.
	repoID := cdktest.LogicalID(t, images, "AWS::ECR::Repository")
	task := cdktest.Resource(t, tpl, "AWS::ECS::TaskDefinition")["Properties"].(map[string]any)
	fn := cdktest.Resource(t, tpl, "AWS::Lambda::Function")["Properties"].(map[string]any)
	for what, image := range map[string]any{
		"task image":     task["ContainerDefinitions"].([]any)[0].(map[string]any)["Image"],
		"function image": fn["Code"].(map[string]any)["ImageUri"],
	} {
		if !cdktest.Mentions(image, repoID) || !cdktest.Mentions(image, ":"+service.ImageTag) {
			t.Errorf("%s %v does not point at %s:%s", what, image, repoID, service.ImageTag)
		}
	}
}
