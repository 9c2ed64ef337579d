package organization

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
)

// stackSetNamePattern is the StackSetName pattern of
// AWS::CloudFormation::StackSet's schema.
var stackSetNamePattern = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]{0,127}$`)

// Limits of AWS::CloudFormation::StackSet.
const (
	maxDescriptionLength = 1024
	// MaxTemplateBodyBytes is the largest template a stack set takes inline,
	// as TemplateBody; a larger baseline goes as a file asset (TemplateURL).
	MaxTemplateBodyBytes = 51200
)

// Validate checks the props the way NewBaselineStackSet does before it
// builds anything, and returns every problem found as validation.Errors
// (nil when the props are valid), for programs that prefer an error to a
// panic. nil props are invalid, as NewBaselineStackSet finds them (no
// baseline, no targets).
//
// What needs the synthesized baseline or the scope is left to
// NewBaselineStackSet: the registry props' own checks (registry.New's, run
// while the baseline is built), the baseline's parameters (every value a
// parameter, every parameter without a default a value), what a stack set
// can't deploy (assets, references to other stacks, a template too large
// for a stack without an asset bucket), the scope and the id. Validate has
// no scope, so it accepts only the Regions of CDK's Region table;
// NewBaselineStackSet also accepts those listed in the context key
// [registry.ExtraRegionsContext].
func (props *BaselineStackSetProps) Validate() error {
	if props == nil {
		props = &BaselineStackSetProps{}
	}
	p := &validation.Collector{Package: "organization", Path: "BaselineStackSetProps"}
	checkProps(props, regionNames{}, p)
	return p.Err()
}

// regionNames are the Regions accepted besides CDK's table, from the
// context key registry.ExtraRegionsContext; scoped is false for Validate, which
// has no context to read.
type regionNames struct {
	extra  []string
	scoped bool
}

// checkProps records every problem with props that can be seen before the
// baseline is synthesized: the one check of NewBaselineStackSet and
// Validate.
func checkProps(props *BaselineStackSetProps, regions regionNames, p *validation.Collector) {
	if props.StackSetName != nil && !check.IsToken(*props.StackSetName) && !stackSetNamePattern.MatchString(*props.StackSetName) {
		p.Add("StackSetName", *props.StackSetName, "must be a letter followed by up to 127 letters, digits and hyphens")
	}
	if d := props.Description; d != nil && !check.IsToken(*d) && (len(*d) < 1 || len(*d) > maxDescriptionLength) {
		p.Add("Description", fmt.Sprintf("(%d characters)", len(*d)), fmt.Sprintf("must be 1 to %d characters", maxDescriptionLength))
	}
	switch {
	case props.Baseline == nil && props.Registry == nil:
		p.Add("Registry", nil, "is required: the registry baseline every account and Region gets (or a Baseline function)")
	case props.Baseline != nil && props.Registry != nil:
		p.Add("Baseline", nil, "can't be combined with Registry: give the registry's props or a function that builds the stack")
	}
	checkList(p, "OrganizationalUnits", props.OrganizationalUnits, true, func(v string) bool {
		return check.OrganizationalUnitPattern.MatchString(v)
	}, check.OrganizationalUnitConstraint)
	checkList(p, "ExcludeAccounts", props.ExcludeAccounts, false, check.IsAccount, check.AccountConstraint)
	checkRegions(props.Regions, regions, p)
	if c := props.CallAs; c != "" && !slices.Contains(c.Values(), c) {
		p.Add("CallAs", string(c), "must be "+validation.OneOf(c.Values()))
	}
	for _, k := range check.SortedKeys(props.Parameters) {
		if k == "" {
			p.Add("Parameters", k, "a parameter name must not be empty")
		}
	}
	checkOverrides(props, p)
	if o := props.OperationPreferences; o != nil {
		checkPreferences(o, props.Regions, p)
	}
	if props.Registry != nil {
		checkRegistry(props.Registry, props.Regions, p)
	}
}

// checkRegistry records what keeps the registry baseline from being
// deployed by the stack set to every account of its organizational units
// in regions: the registry's own stack-set check
// ([registry.Props.CheckStackSet]), its fields under "Registry.".
func checkRegistry(r *registry.Props, regions []string, p *validation.Collector) {
	for _, e := range validation.List(r.CheckStackSet(regions)) {
		p.Append(&validation.Error{Package: p.Package, Path: p.Path, Field: "Registry." + e.Field, Value: e.Value, Constraint: e.Constraint})
	}
}

// checkList records a missing required list, repeated entries and entries
// that valid refuses. Tokens are not checked.
func checkList(p *validation.Collector, field string, list []string, required bool, valid func(string) bool, constraint string) {
	if required && len(list) == 0 {
		p.Add(field, nil, "needs at least one entry")
	}
	seen := map[string]bool{}
	for i, v := range list {
		name := field + "[" + strconv.Itoa(i) + "]"
		switch {
		case check.IsToken(v):
		case !valid(v):
			p.Add(name, v, constraint)
		case seen[v]:
			p.Add(name, v, "is listed twice; entries must be unique")
		}
		seen[v] = true
	}
}

// checkRegions records a missing list, names that aren't Regions, Regions
// CDK's table doesn't know (unless listed in the context), repeated
// Regions, and Regions of another partition than the first.
func checkRegions(list []string, regions regionNames, p *validation.Collector) {
	if len(list) == 0 {
		p.Add("Regions", nil, "needs at least one entry")
	}
	unknown := fmt.Sprintf("is not a Region CDK %s knows (its Region table); Validate accepts only those, while NewBaselineStackSet also accepts the Regions listed in the context key %q",
		strings.TrimPrefix(check.RegionTableCDKVersion, "v"), registry.ExtraRegionsContext)
	if regions.scoped {
		unknown = fmt.Sprintf("is not a Region CDK %s knows (its Region table): check the name, or, for a Region launched since, list it in the context key %q (cdk.json or the app's context)",
			strings.TrimPrefix(check.RegionTableCDKVersion, "v"), registry.ExtraRegionsContext)
	}
	seen := map[string]bool{}
	first := -1
	for i, r := range list {
		name := "Regions[" + strconv.Itoa(i) + "]"
		_, known := check.RegionPartition(r)
		switch {
		case check.IsToken(r):
			continue
		case !check.WellFormedRegion(r):
			p.Add(name, r, `must be a Region name such as "eu-west-1"`)
			continue
		case !known && !slices.Contains(regions.extra, r):
			p.Add(name, r, unknown)
			continue
		case seen[r]:
			p.Add(name, r, "is listed twice; entries must be unique")
			continue
		}
		seen[r] = true
		if first < 0 {
			first = i
			continue
		}
		if got, want := check.PartitionOf(r), check.PartitionOf(list[first]); got != want {
			p.Add(name, r, fmt.Sprintf("is in partition %s, but Regions[%d] %q is in %s: a stack set deploys within its own partition; make one stack set per partition, each in a stack of that partition",
				got, first, list[first], want))
		}
	}
}

// checkOverrides records overrides of organizational units the stack set
// doesn't target, OUs in two overrides (CloudFormation associates an OU with
// one set of values) and overrides without values. Whether each value names
// a parameter of the baseline is checked once the baseline is synthesized.
func checkOverrides(props *BaselineStackSetProps, p *validation.Collector) {
	owner := map[string]int{}
	for i, o := range props.ParameterOverrides {
		field := "ParameterOverrides[" + strconv.Itoa(i) + "]."
		if len(o.OrganizationalUnits) == 0 {
			p.Add(field+"OrganizationalUnits", nil, "needs at least one entry: the organizational units that get these values")
		}
		for j, ou := range o.OrganizationalUnits {
			name := field + "OrganizationalUnits[" + strconv.Itoa(j) + "]"
			if check.IsToken(ou) {
				continue
			}
			if prev, ok := owner[ou]; ok {
				if prev == i {
					p.Add(name, ou, "is listed twice; entries must be unique")
				} else {
					p.Add(name, ou, fmt.Sprintf("is in ParameterOverrides[%d] too: CloudFormation associates an organizational unit with one set of parameter values; merge the two", prev))
				}
				continue
			}
			owner[ou] = i
			if !slices.Contains(props.OrganizationalUnits, ou) {
				p.Add(name, ou, "must be one of OrganizationalUnits: an override applies to whole organizational units the stack set targets")
			}
		}
		if len(o.Parameters) == 0 {
			p.Add(field+"Parameters", nil, "needs at least one value")
		}
		for _, k := range check.SortedKeys(o.Parameters) {
			if k == "" {
				p.Add(field+"Parameters", k, "a parameter name must not be empty")
			}
		}
	}
}

// checkPreferences records operation preferences CloudFormation refuses.
func checkPreferences(o *OperationPreferences, regions []string, p *validation.Collector) {
	field := func(name string) string { return "OperationPreferences." + name }
	if r := o.RegionConcurrency; r != "" && !slices.Contains(r.Values(), r) {
		p.Add(field("RegionConcurrency"), string(r), "must be "+validation.OneOf(r.Values()))
	}
	if m := o.ConcurrencyMode; m != "" && !slices.Contains(m.Values(), m) {
		p.Add(field("ConcurrencyMode"), string(m), "must be "+validation.OneOf(m.Values()))
	}
	for i, r := range o.RegionOrder {
		if !check.IsToken(r) && !slices.Contains(regions, r) {
			p.Add(field("RegionOrder["+strconv.Itoa(i)+"]"), r, "must be one of Regions")
		}
	}
	if o.MaxConcurrentCount != nil && o.MaxConcurrentPercentage != nil {
		p.Add(field("MaxConcurrentCount"), *o.MaxConcurrentCount, "can't be combined with MaxConcurrentPercentage: give a count or a percentage")
	}
	if o.FailureToleranceCount != nil && o.FailureTolerancePercentage != nil {
		p.Add(field("FailureToleranceCount"), *o.FailureToleranceCount, "can't be combined with FailureTolerancePercentage: give a count or a percentage")
	}
	if n := o.MaxConcurrentCount; n != nil && *n < 1 {
		p.Add(field("MaxConcurrentCount"), *n, "must be at least 1")
	}
	if n := o.MaxConcurrentPercentage; n != nil && (*n < 1 || *n > 100) {
		p.Add(field("MaxConcurrentPercentage"), *n, "must be 1 to 100")
	}
	if n := o.FailureToleranceCount; n != nil && *n < 0 {
		p.Add(field("FailureToleranceCount"), *n, "must be 0 or more")
	}
	if n := o.FailureTolerancePercentage; n != nil && (*n < 0 || *n > 100) {
		p.Add(field("FailureTolerancePercentage"), *n, "must be 0 to 100")
	}
	if o.ConcurrencyMode == ConcurrencyModeStrict && o.MaxConcurrentCount != nil && o.FailureToleranceCount != nil &&
		*o.MaxConcurrentCount > *o.FailureToleranceCount+1 {
		p.Add(field("MaxConcurrentCount"), *o.MaxConcurrentCount, fmt.Sprintf("may be at most FailureToleranceCount + 1 (%d) with ConcurrencyModeStrict", *o.FailureToleranceCount+1))
	}
}
