// Package organization rolls a registry baseline out to every account and
// Region of an AWS Organization with CloudFormation StackSets.
//
// [NewBaselineStackSet] synthesizes the baseline — the registry.Props of
// registry.New, or any stack contents built with this library's constructs —
// into a template in the same program, and wraps it in an
// AWS::CloudFormation::StackSet with service-managed permissions: deployed
// from the management account or a delegated administrator to every account
// of the chosen organizational units and Regions, and automatically to
// accounts that join them later. The baseline has one source of truth: the
// same constructs that build a single registry.
//
// The template travels inline (TemplateBody) while it fits CloudFormation's
// 51,200 bytes, and otherwise as a file asset referenced by TemplateURL. A
// baseline that needs assets of its own or references another stack can't be
// deployed by a stack set and is refused, with the reason, before anything
// is added to the construct tree, as are ARNs of one account or Region in a
// baseline every account and Region gets: CloudFormation parameters take
// their place, with values per organizational unit in ParameterOverrides.
// [BaselineStackSetProps.Validate] checks the props without building
// anything.
//
// Props follow the rule of package registry: optional scalars are pointers
// (*string, *bool, *int), nil meaning the documented default; required
// scalars and enum-like values (CallAs, RegionConcurrency) are plain values.
// A Registry baseline takes ARN fields (a stack-set parameter's value), not
// CDK objects, which the baseline, synthesized in an app of its own, can't
// reference.
package organization
