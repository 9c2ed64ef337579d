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
		return []awscdk.Stack{service.NewStack(app, "EcrService", nil)}
	})
	tpl := templates["EcrService"]

	// The scan-complete rule targets the topic.
	rule := cdktest.Resource(t, tpl, "AWS::Events::Rule")
	props := rule["Properties"].(map[string]any)
	cdktest.JSONEqual(t, "rule detail-type", props["EventPattern"].(map[string]any)["detail-type"], []any{"ECR Image Scan"})
	target := props["Targets"].([]any)[0].(map[string]any)
	cdktest.JSONEqual(t, "rule target", target["Arn"], map[string]any{"Ref": cdktest.LogicalID(t, tpl, "AWS::SNS::Topic")})

	// Both workloads run the repository's image.
	repoID := cdktest.LogicalID(t, tpl, "AWS::ECR::Repository")
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
