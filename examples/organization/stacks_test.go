package organization_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/organization"
	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
	example "github.com/secure-ecr/ecr-cdk-go/examples/organization"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestSnapshot(t *testing.T) {
	templates := cdktest.Check(t, &cdktest.AppOptions{Compliance: compliance.LevelStandard}, func(app awscdk.App) []awscdk.Stack {
		return []awscdk.Stack{example.NewManagementStack(app, "EcrOrganization", nil), example.NewCentralStack(app, "EcrOrganizationCentral")}
	})

	// The stack set: two OUs but the central account, three Regions.
	props := cdktest.Resource(t, templates["EcrOrganization"], "AWS::CloudFormation::StackSet")["Properties"].(map[string]any)
	cdktest.JSONEqual(t, "targets", props["StackInstancesGroup"], []any{map[string]any{
		"DeploymentTargets": map[string]any{"AccountFilterType": "DIFFERENCE", "Accounts": []any{example.CentralAccount}, "OrganizationalUnitIds": example.OrganizationalUnits},
		"Regions":           example.Regions,
	}})

	// The central account accepts the organization's release images.
	policy := cdktest.Resource(t, templates["EcrOrganizationCentral"], "AWS::ECR::RegistryPolicy")
	if !cdktest.Mentions(policy, example.OrganizationID) || !cdktest.Mentions(policy, "repository/"+example.ReleasePrefix+"*") {
		t.Errorf("central registry policy: %v", policy)
	}

	// The embedded baseline holds the scanning configuration, the ROOT
	// template and the replication to the central account.
	var baseline map[string]any
	if err := json.Unmarshal([]byte(props["TemplateBody"].(string)), &baseline); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"AWS::ECR::RegistryScanningConfiguration", `"Prefix":"ROOT"`, "AWS::ECR::ReplicationConfiguration", example.CentralAccount} {
		if !cdktest.Mentions(baseline, want) {
			t.Errorf("the baseline lacks %s", want)
		}
	}
}

// The template every member account gets passes the compliance pack,
// cdk-nag and CDK's validation like any other example: it is synthesized
// here the way the stack set synthesizes it, compared with what the stack
// set embeds, and kept as a golden file.
func TestBaselinePassesTheChecks(t *testing.T) {
	var management awscdk.Stack
	templates := cdktest.Check(t, &cdktest.AppOptions{Compliance: compliance.LevelStandard}, func(app awscdk.App) []awscdk.Stack {
		management = example.NewManagementStack(app, "Management", nil)
		stack := awscdk.NewStack(app, jsii.String("EcrOrganizationBaseline"), &awscdk.StackProps{Synthesizer: awscdk.NewBootstraplessSynthesizer(nil)})
		registry.New(stack, jsii.String(organization.RegistryID), example.Baseline())
		return []awscdk.Stack{stack}
	})
	var embedded map[string]any
	body := cdktest.Resource(t, cdktest.JSON(t, management), "AWS::CloudFormation::StackSet")["Properties"].(map[string]any)["TemplateBody"].(string)
	if err := json.Unmarshal([]byte(body), &embedded); err != nil {
		t.Fatal(err)
	}
	cdktest.JSONEqual(t, "the template the stack set embeds", embedded, templates["EcrOrganizationBaseline"])
}
