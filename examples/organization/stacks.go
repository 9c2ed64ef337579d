// Package organization rolls the registry baseline out to every account of
// two organizational units in three Regions with a CloudFormation stack set,
// and has every member account replicate its release images to a central
// account, whose own stack accepts them from the organization.
package organization

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/organization"
	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
)

// The organization of the example. Replace them with yours.
const (
	// OrganizationID is the AWS Organization.
	OrganizationID = "o-a1b2c3d4e5"
	// CentralAccount receives every member's release images.
	CentralAccount = "999988887777"
	// CentralRegion is where it receives them.
	CentralRegion = "eu-west-1"
	// ReleasePrefix is the repositories replicated to the central account.
	ReleasePrefix = "release/"
)

// Targets of the stack set: two organizational units (workloads and
// sandboxes), three Regions.
var (
	OrganizationalUnits = []string{"ou-ab12-11111111", "ou-ab12-22222222"}
	Regions             = []string{"eu-west-1", "eu-central-1", "us-east-1"}
)

// Baseline is the registry every member account gets in every Region: the
// library's defaults (scan on push for every repository, the ROOT creation
// template) and replication of release repositories to the central account.
// The same value would build one account's registry with registry.New.
func Baseline() *registry.Props {
	return &registry.Props{
		ReplicationRules: []registry.ReplicationRule{{
			Destinations:       []registry.ReplicationDestination{{Region: CentralRegion, Account: jsii.String(CentralAccount)}},
			RepositoryPrefixes: []string{ReleasePrefix},
		}},
	}
}

// NewManagementStack returns the stack of the delegated administrator for
// CloudFormation StackSets: the stack set that deploys Baseline to every
// account of OrganizationalUnits (but the central account, which has its
// own stack) in every Region of Regions, and to accounts that join them.
func NewManagementStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	organization.NewBaselineStackSet(stack, jsii.String("RegistryBaseline"), &organization.BaselineStackSetProps{
		Registry:            Baseline(),
		OrganizationalUnits: OrganizationalUnits,
		ExcludeAccounts:     []string{CentralAccount},
		Regions:             Regions,
		CallAs:              organization.CallAsDelegatedAdmin,
	})
	return stack
}

// NewCentralStack returns the central account's stack, in CentralRegion: the
// same baseline without replication, and a registry policy that lets every
// account of the organization replicate its release repositories in.
func NewCentralStack(scope constructs.Construct, id string) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), &awscdk.StackProps{
		Env:         &awscdk.Environment{Account: jsii.String(CentralAccount), Region: jsii.String(CentralRegion)},
		Description: jsii.String("Receives the release images of every account of " + OrganizationID),
	})
	registry.New(stack, jsii.String("Registry"), &registry.Props{
		ReplicationSourceOrganization: &registry.OrganizationReplicationSource{
			OrganizationID:     OrganizationID,
			RepositoryPrefixes: []string{ReleasePrefix},
		},
	})
	return stack
}
