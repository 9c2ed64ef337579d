package organization_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/constructs/organization"
	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// repositories returns a baseline of n repositories made with the library.
func repositories(n int) func(awscdk.Stack) {
	return func(stack awscdk.Stack) {
		for i := range n {
			ecr.NewRepository(stack, jsii.String(fmt.Sprintf("Repo%d", i)), &ecr.RepositoryProps{
				RepositoryName: jsii.String(fmt.Sprintf("team%d/service", i)),
			})
		}
	}
}

// props returns valid props for the baseline.
func props(baseline func(awscdk.Stack)) *organization.BaselineStackSetProps {
	return &organization.BaselineStackSetProps{
		Baseline:            baseline,
		OrganizationalUnits: []string{"ou-ab12-11111111", "ou-ab12-22222222"},
		Regions:             []string{"eu-west-1", "us-east-1", "ap-southeast-2"},
	}
}

// embedded returns the stack set's properties and the baseline template it
// carries inline (TemplateBody), decoded; nil when it travels as an asset.
func embedded(t *testing.T, stack awscdk.Stack) (props, baseline map[string]any) {
	t.Helper()
	props = cdktest.Resource(t, cdktest.JSON(t, stack), "AWS::CloudFormation::StackSet")["Properties"].(map[string]any)
	if body, ok := props["TemplateBody"].(string); ok {
		if err := json.Unmarshal([]byte(body), &baseline); err != nil {
			t.Fatalf("TemplateBody is not JSON: %v", err)
		}
	}
	return props, baseline
}

func TestBaselineStackSetDefaults(t *testing.T) {
	stack := cdktest.NewStack(t)
	set := organization.NewBaselineStackSet(stack, jsii.String("Registries"), props(repositories(1)))
	if *set.Resource().Node().Path() != "Test/Registries/Resource" {
		t.Errorf("Resource() is %s", *set.Resource().Node().Path())
	}
	_, doc := embedded(t, stack)
	if doc == nil {
		t.Fatal("a one-repository baseline should travel inline")
	}
	body, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	tpl := cdktest.NewTemplate(t, stack)
	tpl.HasResourceProperties("AWS::CloudFormation::StackSet", map[string]any{
		"StackSetName":     "ecr-registry-baseline",
		"PermissionModel":  "SERVICE_MANAGED",
		"CallAs":           "SELF",
		"AutoDeployment":   map[string]any{"Enabled": true, "RetainStacksOnAccountRemoval": true},
		"ManagedExecution": map[string]any{"Active": true},
		"OperationPreferences": map[string]any{
			"RegionConcurrencyType": "PARALLEL", "ConcurrencyMode": "SOFT_FAILURE_TOLERANCE",
			"MaxConcurrentPercentage": 25, "FailureTolerancePercentage": 10,
		},
		"StackInstancesGroup": []any{map[string]any{
			"DeploymentTargets": map[string]any{"OrganizationalUnitIds": []any{"ou-ab12-11111111", "ou-ab12-22222222"}},
			"Regions":           []any{"eu-west-1", "us-east-1", "ap-southeast-2"},
		}},
		"TemplateBody": assertions.Match_AnyValue(),
		"Capabilities": assertions.Match_Absent(),
		"TemplateURL":  assertions.Match_Absent(),
	})
	// The embedded template is the baseline: the library's repository, no
	// bootstrap version parameter (member accounts aren't bootstrapped).
	got := string(body)
	if !strings.Contains(got, `"AWS::ECR::Repository"`) || strings.Contains(got, "BootstrapVersion") || strings.Contains(got, "CDKMetadata") {
		t.Errorf("baseline template: %s", got)
	}
}

func TestBaselineStackSetOptions(t *testing.T) {
	stack := cdktest.NewStack(t)
	p := props(func(stack awscdk.Stack) {
		central := awscdk.NewCfnParameter(stack, jsii.String("CentralAccount"), &awscdk.CfnParameterProps{Type: jsii.String("String")})
		repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
		repo.GrantPullToAccounts(awsiam.NewAccountPrincipal(central.ValueAsString()))
		awsiam.NewRole(stack, jsii.String("Reader"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountPrincipal(central.ValueAsString())})
	})
	p.StackSetName = jsii.String("registry-baseline")
	p.CallAs = organization.CallAsDelegatedAdmin
	p.RetainStacksOnAccountRemoval = jsii.Bool(false)
	p.ExcludeAccounts = []string{"999988887777"}
	p.Parameters = map[string]string{"CentralAccount": "999988887777"}
	p.OperationPreferences = &organization.OperationPreferences{
		RegionConcurrency:     organization.RegionConcurrencySequential,
		RegionOrder:           []string{"us-east-1", "eu-west-1", "ap-southeast-2"},
		MaxConcurrentCount:    intp(3),
		FailureToleranceCount: intp(2),
		ConcurrencyMode:       organization.ConcurrencyModeStrict,
	}
	organization.NewBaselineStackSet(stack, jsii.String("Registries"), p)
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::CloudFormation::StackSet", map[string]any{
		"StackSetName":   "registry-baseline",
		"CallAs":         "DELEGATED_ADMIN",
		"AutoDeployment": map[string]any{"Enabled": true, "RetainStacksOnAccountRemoval": false},
		"Capabilities":   []any{"CAPABILITY_IAM"},
		"Parameters":     []any{map[string]any{"ParameterKey": "CentralAccount", "ParameterValue": "999988887777"}},
		"OperationPreferences": map[string]any{
			"RegionConcurrencyType": "SEQUENTIAL", "RegionOrder": []any{"us-east-1", "eu-west-1", "ap-southeast-2"},
			"MaxConcurrentCount": 3, "FailureToleranceCount": 2, "ConcurrencyMode": "STRICT_FAILURE_TOLERANCE",
		},
		"StackInstancesGroup": []any{map[string]any{
			"DeploymentTargets": map[string]any{
				"OrganizationalUnitIds": []any{"ou-ab12-11111111", "ou-ab12-22222222"},
				"AccountFilterType":     "DIFFERENCE", "Accounts": []any{"999988887777"},
			},
			"Regions": []any{"eu-west-1", "us-east-1", "ap-southeast-2"},
		}},
	})
}

// A baseline over CloudFormation's 51,200 bytes goes as a file asset.
func TestLargeBaselineTravelsAsAnAsset(t *testing.T) {
	stack := cdktest.NewStack(t)
	organization.NewBaselineStackSet(stack, jsii.String("Registries"), props(repositories(150)))
	tpl := cdktest.NewTemplate(t, stack)
	tpl.HasResourceProperties("AWS::CloudFormation::StackSet", map[string]any{
		"TemplateBody": assertions.Match_Absent(),
		"TemplateURL":  assertions.Match_AnyValue(),
	})
}

func TestBaselinesAStackSetCantDeployAreRefused(t *testing.T) {
	file := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(file, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stack func(t *testing.T) awscdk.Stack
		base  func(outer awscdk.Stack) func(awscdk.Stack)
		want  string
	}{
		{"with an asset", func(t *testing.T) awscdk.Stack { return cdktest.NewStack(t) },
			func(awscdk.Stack) func(awscdk.Stack) {
				return func(s awscdk.Stack) {
					awss3assets.NewAsset(s, jsii.String("Config"), &awss3assets.AssetProps{Path: jsii.String(file)})
				}
			},
			`organization: Test/Registries: Baseline: needs assets (files, Lambda code, Docker images), which a stack set can't deploy`},
		{"referencing the outer stack", func(t *testing.T) awscdk.Stack { return cdktest.NewStack(t) },
			func(outer awscdk.Stack) func(awscdk.Stack) {
				role := awsiam.NewRole(outer, jsii.String("Outer"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
				return func(s awscdk.Stack) {
					ecr.NewRepository(s, jsii.String("Repo"), nil)
					awsiam.NewRole(s, jsii.String("Reader"), &awsiam.RoleProps{AssumedBy: awsiam.NewArnPrincipal(role.RoleArn())})
				}
			},
			`organization: Test/Registries: Baseline: references a construct outside the baseline`},
		{"importing an export", func(t *testing.T) awscdk.Stack { return cdktest.NewStack(t) },
			func(awscdk.Stack) func(awscdk.Stack) {
				return func(s awscdk.Stack) {
					ecr.NewRepository(s, jsii.String("Repo"), nil).GrantPullToAccounts(awsiam.NewAccountPrincipal(awscdk.Fn_ImportValue(jsii.String("CentralAccount"))))
				}
			},
			`organization: Test/Registries: Baseline: imports another stack's export (Fn::ImportValue)`},
		{"empty", func(t *testing.T) awscdk.Stack { return cdktest.NewStack(t) },
			func(awscdk.Stack) func(awscdk.Stack) { return func(awscdk.Stack) {} },
			`organization: Test/Registries: Baseline: builds no resource`},
		{"over the limit without an asset bucket", func(t *testing.T) awscdk.Stack {
			app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
			return awscdk.NewStack(app, jsii.String("Test"), &awscdk.StackProps{Synthesizer: awscdk.NewBootstraplessSynthesizer(nil)})
		}, func(awscdk.Stack) func(awscdk.Stack) { return repositories(150) },
			`organization: Test/Registries: Baseline "(`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stack := tt.stack(t)
			base := tt.base(stack)
			err := cdktest.Panic(t, func() {
				organization.NewBaselineStackSet(stack, jsii.String("Registries"), props(base))
			})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got  %v\nwant %s…", err, tt.want)
			}
			var invalid *validation.Error
			if !errors.As(err, &invalid) {
				t.Errorf("%T is not the library's validation error", err)
			}
			if stack.Node().TryFindChild(jsii.String("Registries")) != nil {
				t.Error("a refused stack set was added to the tree")
			}
		})
	}
}

// A mistake inside the baseline is the library's own error, naming the
// baseline stack.
func TestMistakesInTheBaselinePropagate(t *testing.T) {
	stack := cdktest.NewStack(t)
	err := cdktest.Panic(t, func() {
		organization.NewBaselineStackSet(stack, jsii.String("Registries"), props(func(s awscdk.Stack) {
			ecr.NewRepository(s, jsii.String("Repo"), &ecr.RepositoryProps{RepositoryName: jsii.String("Bad Name")})
		}))
	})
	if err == nil || !strings.HasPrefix(err.Error(), `ecr: Baseline/Repo: RepositoryName "Bad Name"`) {
		t.Errorf("got %v", err)
	}
}

func TestParametersMatchTheBaseline(t *testing.T) {
	withParam := func(s awscdk.Stack) {
		awscdk.NewCfnParameter(s, jsii.String("CentralAccount"), &awscdk.CfnParameterProps{Type: jsii.String("String")})
		ecr.NewRepository(s, jsii.String("Repo"), nil)
	}
	for name, tt := range map[string]struct {
		params map[string]string
		want   string
	}{
		"missing": {nil, `organization: Test/Registries: Parameters: need a value for the baseline's parameter "CentralAccount", which has no default`},
		"unknown": {map[string]string{"CentralAccount": "999988887777", "Central": "x"},
			`organization: Test/Registries: Parameters "Central": is not a parameter of the baseline, which declares ["CentralAccount"]`},
	} {
		t.Run(name, func(t *testing.T) {
			stack := cdktest.NewStack(t)
			p := props(withParam)
			p.Parameters = tt.params
			err := cdktest.Panic(t, func() { organization.NewBaselineStackSet(stack, jsii.String("Registries"), p) })
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

func intp(n int) *int { return &n }

// The registry baseline from RegistryProps: the embedded template holds the
// registry scanning configuration and the ROOT creation template, and the
// stack set may create the template's role.
func TestRegistryBaseline(t *testing.T) {
	stack := cdktest.NewStack(t)
	organization.NewBaselineStackSet(stack, jsii.String("Registries"), &organization.BaselineStackSetProps{
		Registry:            &registry.Props{},
		OrganizationalUnits: []string{"r-ab12"},
		Regions:             []string{"eu-west-1"},
	})
	_, doc := embedded(t, stack)
	resources := doc["Resources"].(map[string]any)
	var scanning, root map[string]any
	for _, r := range resources {
		res := r.(map[string]any)
		switch res["Type"] {
		case "AWS::ECR::RegistryScanningConfiguration":
			scanning = res["Properties"].(map[string]any)
		case "AWS::ECR::RepositoryCreationTemplate":
			if res["Properties"].(map[string]any)["Prefix"] == "ROOT" {
				root = res["Properties"].(map[string]any)
			}
		}
	}
	if scanning == nil || root == nil {
		t.Fatalf("the baseline lacks the scanning configuration or the ROOT template: %v", resources)
	}
	cdktest.JSONEqual(t, "scanning", scanning, map[string]any{
		"ScanType": "BASIC",
		"Rules":    []any{map[string]any{"ScanFrequency": "SCAN_ON_PUSH", "RepositoryFilters": []any{map[string]any{"Filter": "*", "FilterType": "WILDCARD"}}}},
	})
	if root["ImageTagMutability"] != "IMMUTABLE" {
		t.Errorf("ROOT template: %v", root)
	}
}

func TestMistakesInTheRegistryPropsPropagate(t *testing.T) {
	stack := cdktest.NewStack(t)
	err := cdktest.Panic(t, func() {
		organization.NewBaselineStackSet(stack, jsii.String("Registries"), &organization.BaselineStackSetProps{
			Registry:            &registry.Props{ReplicationSourceOrganization: &registry.OrganizationReplicationSource{OrganizationID: "org-1"}},
			OrganizationalUnits: []string{"r-ab12"}, Regions: []string{"eu-west-1"},
		})
	})
	if want := `registry: Baseline/Registry: ReplicationSourceOrganization.OrganizationID "org-1": must be an AWS Organizations ID`; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got  %v\nwant %s…", err, want)
	}
}

// Parameter overrides are StackInstancesGroup entries of their own: the
// organizational units without overrides in one entry, each override's OUs
// in another, every entry with all Regions and the accounts left out, so no
// OU is in two entries.
func TestParameterOverrides(t *testing.T) {
	withSecret := func(s awscdk.Stack) {
		secret := awscdk.NewCfnParameter(s, jsii.String("CredentialArn"), &awscdk.CfnParameterProps{Type: jsii.String("String")})
		awscdk.NewCfnParameter(s, jsii.String("Team"), &awscdk.CfnParameterProps{Type: jsii.String("String"), Default: jsii.String("platform")})
		registry.New(s, jsii.String(organization.RegistryID), &registry.Props{PullThroughCacheRules: []registry.PullThroughCacheRuleProps{{
			EcrRepositoryPrefix: "docker-hub", Upstream: registry.UpstreamDockerHub, CredentialArn: secret.ValueAsString(),
		}}})
	}
	regions := []any{"eu-west-1", "us-east-1"}
	targets := func(ous ...any) map[string]any {
		return map[string]any{"OrganizationalUnitIds": ous, "AccountFilterType": "DIFFERENCE", "Accounts": []any{"999988887777"}}
	}
	for name, tt := range map[string]struct {
		overrides []organization.ParameterOverride
		want      []any
	}{
		"some OUs": {
			[]organization.ParameterOverride{
				{OrganizationalUnits: []string{"ou-ab12-22222222"}, Parameters: map[string]string{"CredentialArn": "arn:two", "Team": "data"}},
				{OrganizationalUnits: []string{"ou-ab12-33333333"}, Parameters: map[string]string{"CredentialArn": "arn:three"}},
			},
			[]any{
				map[string]any{"DeploymentTargets": targets("ou-ab12-11111111"), "Regions": regions, "ParameterOverrides": assertions.Match_Absent()},
				map[string]any{"DeploymentTargets": targets("ou-ab12-22222222"), "Regions": regions, "ParameterOverrides": []any{
					map[string]any{"ParameterKey": "CredentialArn", "ParameterValue": "arn:two"},
					map[string]any{"ParameterKey": "Team", "ParameterValue": "data"},
				}},
				map[string]any{"DeploymentTargets": targets("ou-ab12-33333333"), "Regions": regions, "ParameterOverrides": []any{
					map[string]any{"ParameterKey": "CredentialArn", "ParameterValue": "arn:three"},
				}},
			},
		},
		"every OU": {
			[]organization.ParameterOverride{
				{OrganizationalUnits: []string{"ou-ab12-33333333", "ou-ab12-11111111", "ou-ab12-22222222"}, Parameters: map[string]string{"CredentialArn": "arn:all"}},
			},
			[]any{
				map[string]any{"DeploymentTargets": targets("ou-ab12-33333333", "ou-ab12-11111111", "ou-ab12-22222222"), "Regions": regions, "ParameterOverrides": []any{
					map[string]any{"ParameterKey": "CredentialArn", "ParameterValue": "arn:all"},
				}},
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			stack := cdktest.NewStack(t)
			organization.NewBaselineStackSet(stack, jsii.String("Registries"), &organization.BaselineStackSetProps{
				Baseline:            withSecret,
				OrganizationalUnits: []string{"ou-ab12-11111111", "ou-ab12-22222222", "ou-ab12-33333333"},
				ExcludeAccounts:     []string{"999988887777"},
				Regions:             []string{"eu-west-1", "us-east-1"},
				Parameters:          map[string]string{"CredentialArn": "arn:default"},
				ParameterOverrides:  tt.overrides,
			})
			cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::CloudFormation::StackSet", map[string]any{
				"Parameters":          []any{map[string]any{"ParameterKey": "CredentialArn", "ParameterValue": "arn:default"}},
				"StackInstancesGroup": assertions.Match_Exact(tt.want),
			})
		})
	}
}
