package defaults_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/secure-ecr/ecr-cdk-go/examples/defaults"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestSnapshot(t *testing.T) {
	templates := cdktest.Check(t, &cdktest.AppOptions{Compliance: compliance.LevelStandard}, func(app awscdk.App) []awscdk.Stack {
		return []awscdk.Stack{defaults.NewStack(app, "EcrDefaults", nil)}
	})
	repo := cdktest.Resource(t, templates["EcrDefaults"], "AWS::ECR::Repository")
	props := repo["Properties"].(map[string]any)
	for _, key := range []string{"ImageScanningConfiguration", "ImageTagMutability", "EncryptionConfiguration", "LifecyclePolicy"} {
		if props[key] == nil {
			t.Errorf("the default repository has no %s", key)
		}
	}
	if props["RepositoryPolicyText"] != nil {
		t.Error("the default repository has a repository policy")
	}
	if repo["DeletionPolicy"] != "Retain" || repo["UpdateReplacePolicy"] != "Retain" {
		t.Error("the default repository is not retained on delete and replace")
	}
}
