package registry

import (
	"errors"
	"fmt"
	"slices"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
)

// stackSet is the placement of a registry that is a stack set's baseline:
// every account of the stack set's organizational units gets it, in each
// of regions. The accounts and the Region of each stack instance are
// unknown until deployment.
type stackSet struct {
	regions []string
}

// errStackSet marks the problems the stack-set placement finds, which
// [Props.CheckStackSet] returns, among those of the ordinary check.
var errStackSet = errors.New("registry: not deployable through a stack set")

// add records a problem of the stack-set placement.
func (s *stackSet) add(p *validation.Collector, field string, value any, constraint string) {
	p.Append(&validation.Error{Package: p.Package, Path: p.Path, Field: field, Value: validation.Format(value), Constraint: constraint, Err: errStackSet})
}

// CheckStackSet returns what keeps the props from being the baseline of a
// stack set (package organization) deployed to every account of its
// organizational units in regions, as [validation.Errors] (nil when there is
// nothing), with the fields named as in Props:
//   - a replication destination in the registry's own account (no Account)
//     and in one of regions: the stack instance of that Region would
//     replicate to itself;
//   - an ARN bound to one account, or to a Region other than the only one
//     of regions (a KMS key, a role, a secret, a signing profile, an
//     excluded principal); a token (a parameter's value) passes;
//   - a CDK object given instead of an ARN (a secret, role, key or signing
//     profile): the baseline is synthesized in an app of its own.
//
// The messages name the fields of organization.BaselineStackSetProps
// (Regions, ExcludeAccounts, Baseline, Parameters, ParameterOverrides).
// The props' other problems are left to [Props.Validate] and New: an
// invalid value is not checked for its placement. nil props have none.
func (props *Props) CheckStackSet(regions []string) error {
	if props == nil {
		return nil
	}
	p := &validation.Collector{Package: "registry", Path: "Props"}
	props.check(place{stackSet: &stackSet{regions: regions}}, "", "", p)
	var out validation.Errors
	for _, e := range validation.List(p.Err()) {
		if errors.Is(e.Err, errStackSet) {
			bare := *e
			bare.Err = nil
			out = append(out, &bare)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// checkBound records an ARN (parsed as a) bound to one account, or to a
// Region that is not the stack set's only one; why says why the resource
// binds it.
func (s *stackSet) checkBound(field, arn string, a check.ARN, why string, p *validation.Collector) {
	regionBound := a.Region != "" && !(len(s.regions) == 1 && s.regions[0] == a.Region)
	if a.Account == "" && !regionBound {
		return
	}
	var bound string
	switch {
	case a.Account != "" && a.Region != "":
		bound = fmt.Sprintf("account %s and Region %s", a.Account, a.Region)
	case a.Account != "":
		bound = "account " + a.Account
	default:
		bound = "Region " + a.Region
	}
	in := "1 Region"
	if len(s.regions) != 1 {
		in = fmt.Sprintf("%d Regions", len(s.regions))
	}
	s.add(p, field, arn, fmt.Sprintf(
		"is bound to %s (%s), but the stack set deploys the baseline to every account of its organizational units in %s: build the registry in Baseline with a parameter in its place (awscdk.NewCfnParameter, its ValueAsString), valued by Parameters and ParameterOverrides, or use a token",
		bound, why, in))
}

// checkDestination records a destination in the registry's own account (no
// Account) and in one of the stack set's Regions: the stack instance of
// that Region would replicate to itself. field names its Region.
func (s *stackSet) checkDestination(field string, d ReplicationDestination, p *validation.Collector) {
	if d.Account != nil || check.IsToken(d.Region) || !slices.Contains(s.regions, d.Region) {
		return
	}
	s.add(p, field, d.Region, fmt.Sprintf(
		"is one of Regions and the destination has no Account (the registry's own), so the stack instance of %s would replicate to itself: give the destination an Account (a central account, left out with ExcludeAccounts), or deploy the stack set to Regions without %s",
		d.Region, d.Region))
}

// checkObject records a CDK object given in objField instead of an ARN in
// arnField.
func (s *stackSet) checkObject(objField, arnField string, p *validation.Collector) {
	s.add(p, objField, nil, "is a CDK object, which the baseline, synthesized in an app of its own, can't reference: give its ARN field ("+arnField+") a parameter (awscdk.NewCfnParameter in Baseline, valued by Parameters and ParameterOverrides)")
}
