package organization_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/constructs/organization"
	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
)

// Every invalid prop is refused before anything is added to the tree, one
// line per problem naming the path, the field, the value and the rule.
func TestBadInputIsRefused(t *testing.T) {
	with := func(change func(p *organization.BaselineStackSetProps)) *organization.BaselineStackSetProps {
		p := props(repositories(1))
		change(p)
		return p
	}
	prefs := func(o organization.OperationPreferences) *organization.BaselineStackSetProps {
		return with(func(p *organization.BaselineStackSetProps) { p.OperationPreferences = &o })
	}
	const path = "organization: Test/Registries: "
	tests := []struct {
		name  string
		props *organization.BaselineStackSetProps
		want  string
	}{
		{"no baseline", with(func(p *organization.BaselineStackSetProps) { p.Baseline = nil }),
			path + "Registry: is required: the registry baseline every account and Region gets (or a Baseline function)"},
		{"both a registry and a baseline", with(func(p *organization.BaselineStackSetProps) { p.Registry = &registry.Props{} }),
			path + "Baseline: can't be combined with Registry: give the registry's props or a function that builds the stack"},
		{"stack set name with a space", with(func(p *organization.BaselineStackSetProps) { p.StackSetName = jsii.String("registry baseline") }),
			path + `StackSetName "registry baseline": must be a letter followed by up to 127 letters, digits and hyphens`},
		{"stack set name starting with a digit", with(func(p *organization.BaselineStackSetProps) { p.StackSetName = jsii.String("1baseline") }),
			path + `StackSetName "1baseline": must be a letter followed by up to 127 letters, digits and hyphens`},
		{"empty description", with(func(p *organization.BaselineStackSetProps) { p.Description = jsii.String("") }),
			path + `Description "(0 characters)": must be 1 to 1024 characters`},
		{"no organizational unit", with(func(p *organization.BaselineStackSetProps) { p.OrganizationalUnits = nil }),
			path + "OrganizationalUnits: needs at least one entry"},
		{"an account ID as an OU", with(func(p *organization.BaselineStackSetProps) { p.OrganizationalUnits = []string{"111122223333"} }),
			path + `OrganizationalUnits[0] "111122223333": must be an organizational unit ID such as "ou-ab12-11111111" or the root ID such as "r-ab12"`},
		{"an OU path instead of an ID", with(func(p *organization.BaselineStackSetProps) {
			p.OrganizationalUnits = []string{"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"}
		}), path + `OrganizationalUnits[0] "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/": must be an organizational unit ID such as "ou-ab12-11111111" or the root ID such as "r-ab12"`},
		{"a root ID in capitals", with(func(p *organization.BaselineStackSetProps) { p.OrganizationalUnits = []string{"R-AB12"} }),
			path + `OrganizationalUnits[0] "R-AB12": must be an organizational unit ID such as "ou-ab12-11111111" or the root ID such as "r-ab12"`},
		{"an OU twice", with(func(p *organization.BaselineStackSetProps) {
			p.OrganizationalUnits = []string{"ou-ab12-11111111", "ou-ab12-11111111"}
		}), path + `OrganizationalUnits[1] "ou-ab12-11111111": is listed twice; entries must be unique`},
		{"a short account to leave out", with(func(p *organization.BaselineStackSetProps) { p.ExcludeAccounts = []string{"12345"} }),
			path + `ExcludeAccounts[0] "12345": must be a 12-digit AWS account ID`},
		{"no Region", with(func(p *organization.BaselineStackSetProps) { p.Regions = []string{} }),
			path + "Regions: needs at least one entry"},
		{"an availability zone as a Region", with(func(p *organization.BaselineStackSetProps) { p.Regions = []string{"eu-west-1a"} }),
			path + `Regions[0] "eu-west-1a": must be a Region name such as "eu-west-1"`},
		{"an unknown partition", with(func(p *organization.BaselineStackSetProps) { p.Regions = []string{"xx-west-1"} }),
			path + `Regions[0] "xx-west-1": must be a Region name such as "eu-west-1"`},
		{"a Region twice", with(func(p *organization.BaselineStackSetProps) { p.Regions = []string{"eu-west-1", "eu-west-1"} }),
			path + `Regions[1] "eu-west-1": is listed twice; entries must be unique`},
		{"unknown CallAs", with(func(p *organization.BaselineStackSetProps) { p.CallAs = "ADMIN" }),
			path + `CallAs "ADMIN": must be SELF or DELEGATED_ADMIN`},
		{"empty parameter name", with(func(p *organization.BaselineStackSetProps) { p.Parameters = map[string]string{"": "x"} }),
			path + `Parameters "": a parameter name must not be empty`},
		{"unknown Region concurrency", prefs(organization.OperationPreferences{RegionConcurrency: "ALL"}),
			path + `OperationPreferences.RegionConcurrency "ALL": must be SEQUENTIAL or PARALLEL`},
		{"unknown concurrency mode", prefs(organization.OperationPreferences{ConcurrencyMode: "LOOSE"}),
			path + `OperationPreferences.ConcurrencyMode "LOOSE": must be STRICT_FAILURE_TOLERANCE or SOFT_FAILURE_TOLERANCE`},
		{"a Region order beyond the Regions", prefs(organization.OperationPreferences{RegionOrder: []string{"eu-west-1", "eu-central-1"}}),
			path + `OperationPreferences.RegionOrder[1] "eu-central-1": must be one of Regions`},
		{"count and percentage of concurrency", prefs(organization.OperationPreferences{MaxConcurrentCount: intp(2), MaxConcurrentPercentage: intp(20)}),
			path + `OperationPreferences.MaxConcurrentCount 2: can't be combined with MaxConcurrentPercentage: give a count or a percentage`},
		{"count and percentage of tolerance", prefs(organization.OperationPreferences{FailureToleranceCount: intp(1), FailureTolerancePercentage: intp(5)}),
			path + `OperationPreferences.FailureToleranceCount 1: can't be combined with FailureTolerancePercentage: give a count or a percentage`},
		{"no concurrency", prefs(organization.OperationPreferences{MaxConcurrentCount: intp(0)}),
			path + `OperationPreferences.MaxConcurrentCount 0: must be at least 1`},
		{"concurrency over 100%", prefs(organization.OperationPreferences{MaxConcurrentPercentage: intp(150)}),
			path + `OperationPreferences.MaxConcurrentPercentage 150: must be 1 to 100`},
		{"negative tolerance", prefs(organization.OperationPreferences{FailureToleranceCount: intp(-1)}),
			path + `OperationPreferences.FailureToleranceCount -1: must be 0 or more`},
		{"tolerance over 100%", prefs(organization.OperationPreferences{FailureTolerancePercentage: intp(101)}),
			path + `OperationPreferences.FailureTolerancePercentage 101: must be 0 to 100`},
		{"strict with more concurrency than tolerance allows", prefs(organization.OperationPreferences{
			ConcurrencyMode: organization.ConcurrencyModeStrict, MaxConcurrentCount: intp(5), FailureToleranceCount: intp(1),
		}), path + `OperationPreferences.MaxConcurrentCount 5: may be at most FailureToleranceCount + 1 (2) with ConcurrencyModeStrict`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stack := cdktest.NewStack(t)
			err := cdktest.Panic(t, func() { organization.NewBaselineStackSet(stack, jsii.String("Registries"), tt.props) })
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
			var invalid *ecr.ValidationError
			if !errors.As(err, &invalid) {
				t.Errorf("%T is not the library's validation error", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("spans lines: %q", err)
			}
			if n := len(*stack.Node().Children()); n != 0 {
				t.Errorf("the refused call added %d constructs", n)
			}
		})
	}
}

// An id already taken, and a missing scope, are refused like the library's
// other constructs refuse them.
func TestScopeAndID(t *testing.T) {
	stack := cdktest.NewStack(t)
	awscdk.NewStack(stack.Node().Scope().(awscdk.App), jsii.String("Other"), nil)
	organization.NewBaselineStackSet(stack, jsii.String("Registries"), props(repositories(1)))
	err := cdktest.Panic(t, func() { organization.NewBaselineStackSet(stack, jsii.String("Registries"), props(repositories(1))) })
	if want := `organization: Test/Registries: id "Registries": is already taken in "Test"; construct ids must be unique among siblings`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	err = cdktest.Panic(t, func() {
		organization.NewBaselineStackSet(awscdk.Stage_Of(stack), jsii.String("Registries"), props(repositories(1)))
	})
	if want := `organization: Registries: scope: must be a Stack or a construct inside one, not the App`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	err = cdktest.Panic(t, func() { organization.NewBaselineStackSet(nil, jsii.String("Registries"), props(repositories(1))) })
	if want := `organization: Registries: scope: must not be nil`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}
