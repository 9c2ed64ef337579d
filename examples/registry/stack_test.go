package registry_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/secure-ecr/ecr-cdk-go/examples/registry"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestSnapshot(t *testing.T) {
	templates := cdktest.Check(t, &cdktest.AppOptions{Compliance: compliance.LevelStandard}, func(app awscdk.App) []awscdk.Stack {
		return []awscdk.Stack{registry.NewStack(app, "EcrRegistry", nil)}
	})
	tpl := templates["EcrRegistry"]
	counts := map[string]int{}
	for _, r := range tpl["Resources"].(map[string]any) {
		counts[r.(map[string]any)["Type"].(string)]++
	}
	for typ, want := range map[string]int{
		"AWS::ECR::RegistryScanningConfiguration": 1,
		"AWS::ECR::RepositoryCreationTemplate":    4, // ROOT and one per cache prefix
		"AWS::ECR::PullThroughCacheRule":          3,
		"AWS::ECR::SigningConfiguration":          1,
		"AWS::ECR::PullTimeUpdateExclusion":       1,
	} {
		if counts[typ] != want {
			t.Errorf("%d %s, want %d", counts[typ], typ, want)
		}
	}
}
