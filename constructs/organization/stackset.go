package organization

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudformation"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
	"github.com/secure-ecr/ecr-cdk-go/internal/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/construct"
)

// BaselineStackSet is a stack set that deploys a registry baseline to every
// account of organizational units, in every Region given.
type BaselineStackSet interface {
	constructs.Construct
	// StackSet returns the AWS::CloudFormation::StackSet resource.
	StackSet() awscloudformation.CfnStackSet
	// Template returns the baseline's template as the stack set deploys it,
	// decoded, for tests and inspection.
	Template() map[string]any
	// Inline reports whether the template travels inline (TemplateBody),
	// rather than as a file asset referenced by TemplateURL.
	Inline() bool
}

// jsiiProxy_baselineStackSet implements BaselineStackSet as a jsii
// construct; the name's prefix tells jsii-runtime-go it overrides nothing
// (see jsiiProxy_repository in package ecr).
type jsiiProxy_baselineStackSet struct {
	constructs.Construct
	cfn      awscloudformation.CfnStackSet
	template map[string]any
	inline   bool
}

// RegistryID is the construct id of the registry in the baseline stack, made
// from BaselineStackSetProps.Registry; it shows in the baseline's logical
// ids and in the paths of problems found in the registry's props.
const RegistryID = "Registry"

// Defaults of BaselineStackSetProps.
const (
	defaultStackSetName          = "ecr-registry-baseline"
	defaultMaxConcurrentPercent  = 25
	defaultFailureTolerancePerct = 10
)

// NewBaselineStackSet synthesizes the baseline and returns a stack set that
// deploys it, with service-managed permissions and automatic deployment to
// accounts that join the organizational units later, to every account of
// OrganizationalUnits (less ExcludeAccounts) in every Region of Regions.
// Deploy its stack in the organization's management account, or in a
// delegated administrator account with CallAs CallAsDelegatedAdmin, after
// enabling trusted access for CloudFormation StackSets in AWS Organizations.
//
// The template travels inline when it is at most MaxTemplateBodyBytes, and
// otherwise as a file asset of the stack (TemplateURL), which needs a stack
// synthesizer with an asset bucket (CDK's default).
//
// Invalid props, and a baseline a stack set can't deploy (one with assets,
// references to other stacks, an oversized template without an asset bucket,
// parameters without values), are refused before anything is added to the
// construct tree: NewBaselineStackSet panics with validation.Errors, one line
// per problem. A refusal of the library's constructs inside the baseline
// propagates as it is, naming the baseline stack's construct path.
func NewBaselineStackSet(scope constructs.Construct, id *string, props *BaselineStackSetProps) BaselineStackSet {
	if props == nil {
		props = &BaselineStackSetProps{}
	}
	p := construct.ChildProblems("organization", scope, id)
	checkProps(props, p)
	p.PanicIfAny()

	build := props.Baseline
	if props.Registry != nil {
		baseline := props.Registry
		build = func(stack awscdk.Stack) { registry.New(stack, jsii.String(RegistryID), baseline) }
	}
	b := synthesizeBaseline(scope, build, p)
	if b != nil {
		// The baseline's assembly is needed until the template, if it goes
		// as an asset, is staged in the app's own assembly below.
		defer os.RemoveAll(b.dir)
	}
	p.PanicIfAny()
	declared := b.parameters()
	for _, name := range check.SortedKeys(props.Parameters) {
		if _, ok := declared[name]; !ok {
			p.Add("Parameters", name, fmt.Sprintf("is not a parameter of the baseline, which declares %q", sortedNames(declared)))
		}
	}
	for _, name := range sortedNames(declared) {
		if _, given := props.Parameters[name]; !given && !declared[name] {
			p.Add("Parameters", nil, fmt.Sprintf("need a value for the baseline's parameter %q, which has no default", name))
		}
	}
	inline := len(b.body) <= MaxTemplateBodyBytes
	if !inline {
		if hasNoAssetBucket(awscdk.Stack_Of(scope).Synthesizer()) {
			p.Add("Baseline", fmt.Sprintf("(%d bytes)", len(b.body)), fmt.Sprintf(
				"is over the %d bytes a stack set takes inline, and this stack's synthesizer has no asset bucket to hold it; use CDK's default synthesizer or a smaller baseline", MaxTemplateBodyBytes))
		}
	}
	p.PanicIfAny()

	r := &jsiiProxy_baselineStackSet{template: b.doc, inline: inline}
	constructs.NewConstruct_Override(r, scope, id)
	cfnProps := &awscloudformation.CfnStackSetProps{
		StackSetName:    orString(props.StackSetName, defaultStackSetName),
		Description:     orString(props.Description, "Amazon ECR registry baseline, from github.com/secure-ecr/ecr-cdk-go"),
		PermissionModel: jsii.String("SERVICE_MANAGED"),
		AutoDeployment: &awscloudformation.CfnStackSet_AutoDeploymentProperty{
			Enabled:                      jsii.Bool(true),
			RetainStacksOnAccountRemoval: construct.OrTrue(props.RetainStacksOnAccountRemoval),
		},
		CallAs: jsii.String(string(construct.OrDefault(props.CallAs, CallAsSelf))),
		// Queues operations instead of refusing them while one runs. (A map:
		// CDK types the property as JSON and would keep the struct's
		// lower-case field name.)
		ManagedExecution:     map[string]any{"Active": true},
		OperationPreferences: preferences(props.OperationPreferences),
		StackInstancesGroup: &[]*awscloudformation.CfnStackSet_StackInstancesProperty{{
			DeploymentTargets: targets(props),
			Regions:           jsii.Strings(props.Regions...),
		}},
	}
	if caps := b.capabilities(); caps != nil {
		cfnProps.Capabilities = jsii.Strings(caps...)
	}
	if len(props.Parameters) > 0 {
		var params []*awscloudformation.CfnStackSet_ParameterProperty
		for _, k := range check.SortedKeys(props.Parameters) {
			params = append(params, &awscloudformation.CfnStackSet_ParameterProperty{ParameterKey: jsii.String(k), ParameterValue: jsii.String(props.Parameters[k])})
		}
		cfnProps.Parameters = &params
	}
	if inline {
		cfnProps.TemplateBody = jsii.String(b.body)
	} else {
		asset := awss3assets.NewAsset(r, jsii.String("Template"), &awss3assets.AssetProps{Path: jsii.String(b.file)})
		cfnProps.TemplateUrl = asset.HttpUrl()
	}
	r.cfn = awscloudformation.NewCfnStackSet(r, jsii.String("Resource"), cfnProps)
	return r
}

// StackSet implements BaselineStackSet.
func (r *jsiiProxy_baselineStackSet) StackSet() awscloudformation.CfnStackSet { return r.cfn }

// Template implements BaselineStackSet.
func (r *jsiiProxy_baselineStackSet) Template() map[string]any {
	data, _ := json.Marshal(r.template) // a copy, so callers can't change ours
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return out
}

// Inline implements BaselineStackSet.
func (r *jsiiProxy_baselineStackSet) Inline() bool { return r.inline }

// hasNoAssetBucket reports whether a stack synthesizer is CDK's
// BootstraplessSynthesizer, the one that can't hold file assets. A type
// assertion can't tell: Go interfaces are structural, and that class extends
// DefaultStackSynthesizer without adding methods, so the jsii proxy's
// concrete type is compared instead (the over-the-limit test covers it).
func hasNoAssetBucket(synthesizer awscdk.IStackSynthesizer) bool {
	return fmt.Sprintf("%T", synthesizer) == "*awscdk.jsiiProxy_BootstraplessSynthesizer"
}

// targets renders the organizational units and the accounts left out.
func targets(props *BaselineStackSetProps) *awscloudformation.CfnStackSet_DeploymentTargetsProperty {
	t := &awscloudformation.CfnStackSet_DeploymentTargetsProperty{
		OrganizationalUnitIds: jsii.Strings(props.OrganizationalUnits...),
	}
	if len(props.ExcludeAccounts) > 0 {
		t.AccountFilterType = jsii.String("DIFFERENCE")
		t.Accounts = jsii.Strings(props.ExcludeAccounts...)
	}
	return t
}

// preferences renders the operation preferences with their defaults.
func preferences(o *OperationPreferences) *awscloudformation.CfnStackSet_OperationPreferencesProperty {
	if o == nil {
		o = &OperationPreferences{}
	}
	out := &awscloudformation.CfnStackSet_OperationPreferencesProperty{
		RegionConcurrencyType: jsii.String(string(construct.OrDefault(o.RegionConcurrency, RegionConcurrencyParallel))),
		ConcurrencyMode:       jsii.String(string(construct.OrDefault(o.ConcurrencyMode, ConcurrencyModeSoft))),
	}
	if len(o.RegionOrder) > 0 {
		out.RegionOrder = jsii.Strings(o.RegionOrder...)
	}
	switch {
	case o.MaxConcurrentCount != nil:
		out.MaxConcurrentCount = jsii.Number(*o.MaxConcurrentCount)
	case o.MaxConcurrentPercentage != nil:
		out.MaxConcurrentPercentage = jsii.Number(*o.MaxConcurrentPercentage)
	default:
		out.MaxConcurrentPercentage = jsii.Number(defaultMaxConcurrentPercent)
	}
	switch {
	case o.FailureToleranceCount != nil:
		out.FailureToleranceCount = jsii.Number(*o.FailureToleranceCount)
	case o.FailureTolerancePercentage != nil:
		out.FailureTolerancePercentage = jsii.Number(*o.FailureTolerancePercentage)
	default:
		out.FailureTolerancePercentage = jsii.Number(defaultFailureTolerancePerct)
	}
	return out
}

// orString returns s, or def when s is nil.
func orString(s *string, def string) *string {
	if s == nil {
		return jsii.String(def)
	}
	return s
}

// sortedNames returns a set's names in order.
func sortedNames(set map[string]bool) []string {
	names := make([]string, 0, len(set))
	for k := range set {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}
