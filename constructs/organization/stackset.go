package organization

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudformation"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/construct"
)

// BaselineStackSet is a stack set that deploys a registry baseline to every
// account of organizational units, in every Region given.
type BaselineStackSet interface {
	constructs.Construct
	// Resource returns the AWS::CloudFormation::StackSet resource, the
	// escape hatch for what the props don't cover. The baseline's template
	// is its TemplateBody, or the file asset its TemplateURL names when
	// the template is over MaxTemplateBodyBytes.
	Resource() awscloudformation.CfnStackSet
}

// jsiiProxy_baselineStackSet implements BaselineStackSet as a jsii
// construct; the name's prefix tells jsii-runtime-go it overrides nothing
// (see jsiiProxy_repository in package ecr).
//
//lint:ignore ST1003 the jsiiProxy_ prefix makes jsii-runtime-go skip its interface discovery (see jsiiProxy_repository in package ecr; pinned by TestJsiiProxyNames)
type jsiiProxy_baselineStackSet struct {
	constructs.Construct
	cfn awscloudformation.CfnStackSet
}

// RegistryID is the construct id of the registry in the baseline stack, made
// from BaselineStackSetProps.Registry; it shows in the baseline's logical
// ids and in the paths of problems found in the registry's props.
const RegistryID = "Registry"

// Defaults of BaselineStackSetProps.
const (
	defaultStackSetName          = "ecr-registry-baseline"
	defaultDescription           = "Amazon ECR registry baseline, from github.com/secure-ecr/ecr-cdk-go"
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
// The props are checked as [BaselineStackSetProps.Validate] checks them,
// with the Regions of the context key [registry.ExtraRegionsContext] as scope
// sees it accepted too. Invalid props, and a baseline a stack set can't
// deploy (one with assets,
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
	regions := regionNames{scoped: true}
	if scope != nil {
		regions.extra = extraRegions(scope, p)
	}
	checkProps(props, regions, p)
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
	names := check.SortedKeys(declared)
	checkParameters("Parameters", props.Parameters, declared, names, p)
	for i, o := range props.ParameterOverrides {
		checkParameters(fmt.Sprintf("ParameterOverrides[%d].Parameters", i), o.Parameters, declared, names, p)
	}
	for _, name := range names {
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

	r := &jsiiProxy_baselineStackSet{}
	constructs.NewConstruct_Override(r, scope, id)
	cfnProps := &awscloudformation.CfnStackSetProps{
		StackSetName:    props.StackSetName,
		Description:     props.Description,
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
		StackInstancesGroup:  instancesGroup(props),
	}
	if cfnProps.StackSetName == nil {
		cfnProps.StackSetName = jsii.String(defaultStackSetName)
	}
	if cfnProps.Description == nil {
		cfnProps.Description = jsii.String(defaultDescription)
	}
	if caps := b.capabilities(); caps != nil {
		cfnProps.Capabilities = jsii.Strings(caps...)
	}
	if len(props.Parameters) > 0 {
		cfnProps.Parameters = parameters(props.Parameters)
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

// Resource implements BaselineStackSet.
func (r *jsiiProxy_baselineStackSet) Resource() awscloudformation.CfnStackSet { return r.cfn }

// hasNoAssetBucket reports whether a stack synthesizer is CDK's
// BootstraplessSynthesizer, the one that can't hold file assets. A type
// assertion can't tell: Go interfaces are structural, and that class extends
// DefaultStackSynthesizer without adding methods, so the jsii proxy's
// concrete type is compared instead (the over-the-limit test covers it).
func hasNoAssetBucket(synthesizer awscdk.IStackSynthesizer) bool {
	return fmt.Sprintf("%T", synthesizer) == "*awscdk.jsiiProxy_BootstraplessSynthesizer"
}

// instancesGroup renders the stack instances: one entry for the
// organizational units without parameter overrides, and one per override,
// each with every Region and the accounts left out (see ParameterOverride
// for why an OU is in one entry only).
func instancesGroup(props *BaselineStackSetProps) *[]*awscloudformation.CfnStackSet_StackInstancesProperty {
	overridden := map[string]bool{}
	for _, o := range props.ParameterOverrides {
		for _, ou := range o.OrganizationalUnits {
			overridden[ou] = true
		}
	}
	var rest []string
	for _, ou := range props.OrganizationalUnits {
		if !overridden[ou] {
			rest = append(rest, ou)
		}
	}
	var group []*awscloudformation.CfnStackSet_StackInstancesProperty
	if len(rest) > 0 {
		group = append(group, &awscloudformation.CfnStackSet_StackInstancesProperty{
			DeploymentTargets: targets(rest, props.ExcludeAccounts),
			Regions:           jsii.Strings(props.Regions...),
		})
	}
	for _, o := range props.ParameterOverrides {
		group = append(group, &awscloudformation.CfnStackSet_StackInstancesProperty{
			DeploymentTargets:  targets(o.OrganizationalUnits, props.ExcludeAccounts),
			Regions:            jsii.Strings(props.Regions...),
			ParameterOverrides: parameters(o.Parameters),
		})
	}
	return &group
}

// targets renders organizational units and the accounts left out.
func targets(units, exclude []string) *awscloudformation.CfnStackSet_DeploymentTargetsProperty {
	t := &awscloudformation.CfnStackSet_DeploymentTargetsProperty{
		OrganizationalUnitIds: jsii.Strings(units...),
	}
	if len(exclude) > 0 {
		t.AccountFilterType = jsii.String("DIFFERENCE")
		t.Accounts = jsii.Strings(exclude...)
	}
	return t
}

// parameters renders parameter values, by name.
func parameters(values map[string]string) *[]*awscloudformation.CfnStackSet_ParameterProperty {
	var out []*awscloudformation.CfnStackSet_ParameterProperty
	for _, k := range check.SortedKeys(values) {
		out = append(out, &awscloudformation.CfnStackSet_ParameterProperty{ParameterKey: jsii.String(k), ParameterValue: jsii.String(values[k])})
	}
	return &out
}

// checkParameters records values of field that name no parameter of the
// baseline, which declares names.
func checkParameters(field string, values map[string]string, declared map[string]bool, names []string, p *validation.Collector) {
	for _, name := range check.SortedKeys(values) {
		if _, ok := declared[name]; !ok && name != "" {
			p.Add(field, name, fmt.Sprintf("is not a parameter of the baseline, which declares %q", names))
		}
	}
}

// extraRegions returns the Regions of the context key registry.ExtraRegionsContext
// as scope sees it, recording a value that isn't a list of Region names.
func extraRegions(scope constructs.Construct, p *validation.Collector) []string {
	v := scope.Node().TryGetContext(jsii.String(registry.ExtraRegionsContext))
	if v == nil {
		return nil
	}
	field := "context " + registry.ExtraRegionsContext
	list, ok := v.([]any)
	if !ok {
		p.Add(field, fmt.Sprint(v), `must be a list of Region names, such as ["eu-west-9"]`)
		return nil
	}
	var out []string
	for i, e := range list {
		s, ok := e.(string)
		if !ok || !check.WellFormedRegion(s) {
			p.Add(fmt.Sprintf("%s[%d]", field, i), fmt.Sprint(e), `must be a Region name such as "eu-west-9"`)
			continue
		}
		out = append(out, s)
	}
	return out
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
