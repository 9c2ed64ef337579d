package organization

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
)

// CallAs says in which role the management stack's account manages the
// stack set: CloudFormation's CallAs.
type CallAs string

const (
	// CallAsSelf manages the stack set from the organization's management
	// account.
	CallAsSelf CallAs = "SELF"
	// CallAsDelegatedAdmin manages it from a member account registered as a
	// delegated administrator for CloudFormation StackSets.
	CallAsDelegatedAdmin CallAs = "DELEGATED_ADMIN"
)

// Values returns every CallAs CloudFormation accepts.
func (CallAs) Values() []CallAs { return []CallAs{CallAsSelf, CallAsDelegatedAdmin} }

// RegionConcurrency says whether a stack set operation proceeds in one
// Region at a time or in all at once: CloudFormation's RegionConcurrencyType.
type RegionConcurrency string

const (
	// RegionConcurrencySequential deploys one Region after the other, in
	// RegionOrder.
	RegionConcurrencySequential RegionConcurrency = "SEQUENTIAL"
	// RegionConcurrencyParallel deploys to every Region at once.
	RegionConcurrencyParallel RegionConcurrency = "PARALLEL"
)

// Values returns every RegionConcurrency CloudFormation accepts.
func (RegionConcurrency) Values() []RegionConcurrency {
	return []RegionConcurrency{RegionConcurrencySequential, RegionConcurrencyParallel}
}

// ConcurrencyMode says how failure tolerance bounds concurrency:
// CloudFormation's ConcurrencyMode.
type ConcurrencyMode string

const (
	// ConcurrencyModeStrict lowers concurrency as failures occur, so that
	// they never exceed the failure tolerance.
	ConcurrencyModeStrict ConcurrencyMode = "STRICT_FAILURE_TOLERANCE"
	// ConcurrencyModeSoft keeps concurrency at its maximum whatever the
	// failures, up to the failure tolerance.
	ConcurrencyModeSoft ConcurrencyMode = "SOFT_FAILURE_TOLERANCE"
)

// Values returns every ConcurrencyMode CloudFormation accepts.
func (ConcurrencyMode) Values() []ConcurrencyMode {
	return []ConcurrencyMode{ConcurrencyModeStrict, ConcurrencyModeSoft}
}

// OperationPreferences says how fast a change rolls out, and how many
// failures stop it. Concurrency and tolerance are each a count or a
// percentage of the accounts of a Region, not both.
type OperationPreferences struct {
	// RegionConcurrency deploys Regions one after the other or in parallel.
	// Default: RegionConcurrencyParallel (each Region's registry is
	// independent).
	RegionConcurrency RegionConcurrency
	// RegionOrder is the order of Regions for a sequential rollout; each
	// must be one of the stack set's Regions.
	// Default: the order of Regions.
	RegionOrder []string
	// MaxConcurrentCount is how many accounts are deployed at once per
	// Region, at least 1. With ConcurrencyModeStrict it may be at most one
	// more than FailureToleranceCount.
	// Default: none; MaxConcurrentPercentage applies.
	MaxConcurrentCount *int
	// MaxConcurrentPercentage is the share of a Region's accounts deployed
	// at once, 1 to 100 (CloudFormation rounds down, to at least one).
	// Default: 25 when MaxConcurrentCount is not given.
	MaxConcurrentPercentage *int
	// FailureToleranceCount is how many accounts may fail per Region before
	// CloudFormation stops the operation there, 0 or more.
	// Default: none; FailureTolerancePercentage applies.
	FailureToleranceCount *int
	// FailureTolerancePercentage is the share of a Region's accounts that
	// may fail, 0 to 100 (rounded down).
	// Default: 10 when FailureToleranceCount is not given.
	FailureTolerancePercentage *int
	// ConcurrencyMode says whether failures lower the concurrency.
	// Default: ConcurrencyModeSoft.
	ConcurrencyMode ConcurrencyMode
}

// BaselineStackSetProps configures [NewBaselineStackSet]. The baseline is
// Baseline; the targets are OrganizationalUnits and Regions.
type BaselineStackSetProps struct {
	// StackSetName names the stack set: a letter, then up to 127 letters,
	// digits and hyphens. Changing it replaces the stack set (and so every
	// stack it deployed).
	// Default: "ecr-registry-baseline".
	StackSetName *string
	// Description describes the stack set, 1 to 1,024 characters.
	// Default: one naming the library.
	Description *string
	// Registry is the registry baseline every account and Region gets: the
	// props of registry.New, the same value that builds a single
	// registry. Exactly one of Registry and Baseline is required. It can't
	// hold an ARN of one account or Region (CredentialArn, CustomRoleArn,
	// EncryptionKeyArn, SigningProfileArn, PullTimeUpdateExclusions), which
	// every account and Region would get: build the registry in Baseline
	// with a parameter in its place. A replication destination without an
	// Account must not be one of Regions: that instance would replicate to
	// itself.
	// Default: none.
	Registry *registry.Props
	// Baseline builds the contents of the stack every account and Region
	// gets, with this library's constructs (registry.New, repositories,
	// CloudFormation parameters...), for a baseline registry.Props alone
	// can't express. It runs in an app of its own, with the feature flags
	// (the context keys starting with "@") of scope's app, in a stack
	// without bootstrap requirements: the baseline can't use assets (Lambda
	// code, Docker images, files) or reference other stacks, which a stack
	// set can't deploy. Exactly one of Registry and Baseline is required.
	// Default: none.
	Baseline func(stack awscdk.Stack)
	// OrganizationalUnits are the targets: organizational unit IDs
	// ("ou-ab12-11111111") or the organization's root ("r-ab12"), unique,
	// at least one. Every account in them, and in the OUs below them, gets
	// the baseline. Required.
	OrganizationalUnits []string
	// ExcludeAccounts are account IDs of those OUs that don't get the
	// baseline, such as the central account that has its own stack.
	// Default: none.
	ExcludeAccounts []string
	// Regions are the Regions each account gets the baseline in, unique, at
	// least one, all of one partition (a stack set deploys within its own):
	// Regions of CDK's Region table, or listed in the context key
	// [registry.ExtraRegionsContext]. Required.
	Regions []string
	// CallAs is the role the management stack's account acts in.
	// Default: CallAsSelf, the organization's management account.
	CallAs CallAs
	// RetainStacksOnAccountRemoval keeps an account's stacks, and so its
	// registry baseline, when the account leaves the targeted OUs or the
	// organization. Deleting them would remove the account's scanning
	// configuration and creation templates; repositories are retained
	// either way.
	// Default: true.
	RetainStacksOnAccountRemoval *bool
	// Parameters are the values of the baseline's CloudFormation parameters
	// (awscdk.NewCfnParameter in Baseline) for every account, such as the
	// central account that receives replication. Every parameter without a
	// default needs a value here (ParameterOverrides replace it for some
	// organizational units), and every value a parameter.
	// Default: none.
	Parameters map[string]string
	// ParameterOverrides give some organizational units other values of the
	// baseline's parameters than Parameters, such as each OU's own secret
	// for a pull-through cache rule. Each is rendered as a
	// StackInstancesGroup entry of its own; see [ParameterOverride] for
	// what CloudFormation allows.
	// Default: none; every account gets Parameters.
	ParameterOverrides []ParameterOverride
	// OperationPreferences say how fast changes roll out.
	// Default: Regions in parallel, 25% of a Region's accounts at once, 10%
	// may fail, soft failure tolerance.
	OperationPreferences *OperationPreferences
}

// ParameterOverride gives the accounts of some of the stack set's
// organizational units their own values of baseline parameters:
// CloudFormation's ParameterOverrides of a StackInstancesGroup entry.
//
// The stack set renders one StackInstancesGroup entry for the OUs without
// overrides, with Parameters' values, and one per override, with the same
// Regions and ExcludeAccounts, whose values replace Parameters' for every
// account of its OUs in every Region. CloudFormation's StackSet resource
// handler refuses an organizational unit associated with more than one set
// of parameter values ("An OrganizationalUnitIds cannot be associated with
// more than one Parameters set"), across all entries and Regions: so an
// override covers whole OUs in all of Regions, each OU is in at most one
// override, and there is no per-Region or per-account override (entries
// narrowed with AccountFilterType INTERSECTION would put the OU in two
// entries). To give one account values of its own, put it in an OU of its
// own. An override names OUs as listed in OrganizationalUnits: the handler
// doesn't know the OU tree, so an OU below a listed one can't be
// overridden. AWS doesn't document whether an account that joins an OU
// later gets the OU's overrides through automatic deployment: check the
// first such account's stack instance.
type ParameterOverride struct {
	// OrganizationalUnits get these values: each one of the stack set's
	// OrganizationalUnits, and in no other override. Required.
	OrganizationalUnits []string
	// Parameters are the values, by parameter name; each must be a
	// parameter of the baseline. Parameters not named here keep the stack
	// set's value (Parameters) or their default. At least one.
	Parameters map[string]string
}
