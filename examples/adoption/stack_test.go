package adoption_test

import (
	"os"
	"reflect"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/secure-ecr/ecr-cdk-go/examples/adoption"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/adopt"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// TestSnapshot synthesizes the import template (upgrade false) and the
// upgrade (true), with cdk-nag and CDK's validation, matches both with their golden files, and checks that
// the upgrade changes no create-only property and keeps the logical IDs
// of the resource mapping.
func TestSnapshot(t *testing.T) {
	// Two apps: the two stacks declare the same repositories in the same
	// account and Region, which one app refuses.
	imports := cdktest.Check(t, nil, func(app awscdk.App) []awscdk.Stack {
		return []awscdk.Stack{adoption.NewStack(app, "EcrAdoption", false)}
	})
	upgrades := cdktest.Check(t, nil, func(app awscdk.App) []awscdk.Stack {
		return []awscdk.Stack{adoption.NewStack(app, "EcrAdoptionUpgraded", true)}
	})
	templates := map[string]map[string]any{"EcrAdoption": imports["EcrAdoption"], "EcrAdoptionUpgraded": upgrades["EcrAdoptionUpgraded"]}
	imported, upgraded := templates["EcrAdoption"]["Resources"].(map[string]any), templates["EcrAdoptionUpgraded"]["Resources"].(map[string]any)
	for _, id := range []string{"ShopWeb97375646", "ShopLegacyWorker23A8DE44"} {
		before, after := imported[id].(map[string]any), upgraded[id].(map[string]any)
		if before == nil || after == nil {
			t.Fatalf("%s missing from a template", id)
		}
		for _, prop := range []string{"RepositoryName", "EncryptionConfiguration"} {
			b, a := before["Properties"].(map[string]any)[prop], after["Properties"].(map[string]any)[prop]
			if !reflect.DeepEqual(b, a) {
				t.Errorf("%s: create-only %s changes: %v -> %v", id, prop, b, a)
			}
		}
		if after["Properties"].(map[string]any)["ImageTagMutability"] != "IMMUTABLE" {
			t.Errorf("%s: the upgrade leaves tags mutable", id)
		}
	}
	// The second step holds only in-place updates, as ecr-cdk diff sees
	// them: nothing replaced, orphaned or deleted (the lifecycle policies
	// the upgrade adds are notes: their impact needs the images).
	cdktest.CheckChanges(t,
		map[string]map[string]any{"EcrAdoption": templates["EcrAdoption"]},
		map[string]map[string]any{"EcrAdoption": templates["EcrAdoptionUpgraded"]}, nil)
}

// TestAdoptedIsUpToDate regenerates adopted/ from inventory/ and compares:
// the checked-in code is what ecr-cdk adopt writes today.
func TestAdoptedIsUpToDate(t *testing.T) {
	res, err := adopt.Generate(adopt.Options{
		Repositories:       "inventory/describe-repositories.json",
		LifecyclePolicies:  "inventory/lifecycle",
		RepositoryPolicies: "inventory/policies",
		Package:            "adopted",
		Stack:              "EcrAdoption",
	})
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string][]byte{"adopted/adopted.go": res.Source, "adopted/resource-mapping.json": res.Mapping} {
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s is not what ecr-cdk adopt writes from inventory/; rerun it (see stack.go)", file)
		}
	}
}
