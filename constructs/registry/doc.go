// Package registry is the registry-wide configuration of an account and
// Region: scanning, repository creation templates, pull-through cache rules,
// replication, the registry policy, managed signing and pull-time update
// exclusions ([New]), with the same secure defaults as package ecr's
// repositories. Scanning, replication, signing and the registry policy are
// singletons of an account and Region: the app is checked at synthesis, and
// a second one of them, a second template or cache rule for a prefix, or a
// second exclusion of a principal, in any stack of the app, fails it.
//
// # Props
//
// Optional scalars are pointers (*string, *bool), as in CDK's Go props, so
// nil means the documented default; required scalars and enum-like string
// types (ScanType, UpstreamRegistry, awsecr.TagMutability) are plain values,
// whose zero value means "not given": refused when required, the default for
// an enum. A resource that can be given as an ARN or as a CDK object (a
// secret, role, KMS key or signing profile) has two optional fields, the
// ARN a *string and the object a CDK interface: give one of them. The props
// are plain data, so one value can describe the baseline of many accounts
// (package organization); there the ARN fields, given a stack-set
// parameter, are the ones to use, since an object would be a reference
// across apps.
//
// Invalid props are refused in Go, before anything is added to the
// construct tree, with [Errors]: one line per problem naming the construct
// path, the field, the value and the rule. [Props.Validate] returns them
// instead.
package registry
