package organization

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/check"
)

// The patterns of AWS::CloudFormation::StackSet's schema, and Region names of
// the aws, aws-cn and aws-us-gov partitions.
var (
	stackSetNamePattern = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]{0,127}$`)
	ouPattern           = regexp.MustCompile(`^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$`)
	accountPattern      = regexp.MustCompile(`^[0-9]{12}$`)
	regionPattern       = regexp.MustCompile(`^(af|ap|ca|cn|eu|il|me|mx|sa|us|us-gov)-(central|north|south|east|west|northeast|northwest|southeast|southwest)-[1-9][0-9]?$`)
)

// Limits of AWS::CloudFormation::StackSet.
const (
	maxDescriptionLength = 1024
	// MaxTemplateBodyBytes is the largest template a stack set takes inline,
	// as TemplateBody; a larger baseline goes as a file asset (TemplateURL).
	MaxTemplateBodyBytes = 51200
)

// checkProps records every problem with props that can be seen before the
// baseline is synthesized.
func checkProps(props *BaselineStackSetProps, p *validation.Collector) {
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
	checkList(p, "OrganizationalUnits", props.OrganizationalUnits, true, ouPattern,
		`must be an organizational unit ID such as "ou-ab12-11111111" or the root ID such as "r-ab12"`)
	checkList(p, "ExcludeAccounts", props.ExcludeAccounts, false, accountPattern, "must be a 12-digit AWS account ID")
	checkList(p, "Regions", props.Regions, true, regionPattern, `must be a Region name such as "eu-west-1"`)
	if c := props.CallAs; c != "" && !slices.Contains(c.Values(), c) {
		p.Add("CallAs", string(c), "must be "+validation.OneOf(c.Values()))
	}
	for _, k := range check.SortedKeys(props.Parameters) {
		if k == "" {
			p.Add("Parameters", k, "a parameter name must not be empty")
		}
	}
	if o := props.OperationPreferences; o != nil {
		checkPreferences(o, props.Regions, p)
	}
}

// checkList records a missing required list, repeated entries and entries
// that don't match pattern. Tokens are not checked.
func checkList(p *validation.Collector, field string, list []string, required bool, pattern *regexp.Regexp, constraint string) {
	if required && len(list) == 0 {
		p.Add(field, nil, "needs at least one entry")
	}
	seen := map[string]bool{}
	for i, v := range list {
		name := field + "[" + strconv.Itoa(i) + "]"
		switch {
		case check.IsToken(v):
		case !pattern.MatchString(v):
			p.Add(name, v, constraint)
		case seen[v]:
			p.Add(name, v, "is listed twice; entries must be unique")
		}
		seen[v] = true
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
