package registry_test

import (
	"encoding/json"
	"strings"
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
	registrySettingsStayInOneStack(t, tpl)
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

// registrySettingsStayInOneStack shows the kit's change check on the
// synthesized template, without another synthesis: moving the registry's
// scanning configuration into another stack of the same account and Region
// is a finding (the new stack's resource overwrites the setting, and its
// removal from this one empties it), unless acknowledged.
func registrySettingsStayInOneStack(t *testing.T, tpl map[string]any) {
	t.Helper()
	old := map[string]map[string]any{"EcrRegistry": tpl}
	var kept, moved map[string]any
	b, _ := json.Marshal(tpl)
	json.Unmarshal(b, &kept)
	moved = map[string]any{"Resources": map[string]any{}}
	for id, r := range kept["Resources"].(map[string]any) {
		if r.(map[string]any)["Type"] == "AWS::ECR::RegistryScanningConfiguration" {
			moved["Resources"].(map[string]any)[id] = r
			delete(kept["Resources"].(map[string]any), id)
		}
	}
	new := map[string]map[string]any{"EcrRegistry": kept, "EcrScanning": moved}

	if blocking, _ := cdktest.ChangeFindings(old, old, nil); len(blocking) > 0 {
		t.Errorf("the template against itself: %q", blocking)
	}
	blocking, _ := cdktest.ChangeFindings(old, new, nil)
	if len(blocking) != 1 || !strings.Contains(blocking[0], "error: registry-setting-moved: the registry's scanning configuration moves to stack EcrScanning") {
		t.Errorf("moving the scanning configuration: %q", blocking)
	}
	for id := range moved["Resources"].(map[string]any) {
		cdktest.AllowChange(t, id, "EcrRegistry is deployed first, then EcrScanning")
	}
	cdktest.CheckChanges(t, old, new, nil)
}
