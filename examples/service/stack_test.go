package service_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/secure-ecr/ecr-cdk-go/constructs/compliance"
	"github.com/secure-ecr/ecr-cdk-go/examples/service"
	"github.com/secure-ecr/ecr-cdk-go/internal/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/internal/examplestest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestSnapshot(t *testing.T) {
	templates := examplestest.Check(t, func(app awscdk.App) []awscdk.Stack {
		return []awscdk.Stack{service.NewStack(app, "EcrService", nil)}
	}, examplestest.Compliance(compliance.Standard))
	tpl := templates["EcrService"]

	// The scan-complete rule targets the topic.
	rule := examplestest.OnlyResource(t, tpl, "AWS::Events::Rule")
	props := rule["Properties"].(map[string]any)
	examplestest.Equal(t, "rule detail-type", props["EventPattern"].(map[string]any)["detail-type"], []any{"ECR Image Scan"})
	target := props["Targets"].([]any)[0].(map[string]any)
	examplestest.Equal(t, "rule target", target["Arn"], map[string]any{"Ref": examplestest.LogicalID(t, tpl, "AWS::SNS::Topic")})

	// Both workloads run the repository's image.
	repoID := examplestest.LogicalID(t, tpl, "AWS::ECR::Repository")
	task := examplestest.OnlyResource(t, tpl, "AWS::ECS::TaskDefinition")["Properties"].(map[string]any)
	fn := examplestest.OnlyResource(t, tpl, "AWS::Lambda::Function")["Properties"].(map[string]any)
	for what, image := range map[string]any{
		"task image":     task["ContainerDefinitions"].([]any)[0].(map[string]any)["Image"],
		"function image": fn["Code"].(map[string]any)["ImageUri"],
	} {
		if !examplestest.Mentions(image, repoID) || !examplestest.Mentions(image, ":"+service.ImageTag) {
			t.Errorf("%s %v does not point at %s:%s", what, image, repoID, service.ImageTag)
		}
	}
}
