// Package registry holds the registry-wide configuration of an Amazon ECR
// registry: what an account's registry has once per Region, or once per
// prefix or principal, as opposed to the repositories in it (package
// github.com/secure-ecr/ecr-cdk-go/constructs/ecr).
//
// [New] builds the baseline of the stack's account and Region from [Props]:
// nil props give basic scan on push for every repository and a ROOT
// repository creation template with the defaults of ecr.NewRepository, so
// the repositories ECR creates itself (pull-through cache, replication,
// create-on-push) get them too. The props add more creation templates,
// pull-through cache rules (with upstream presets), replication, the
// registry policy, managed signing and pull-time update exclusions. The
// parts also exist on their own: [NewRepositoryCreationTemplate],
// [NewPullThroughCacheRule] and [NewPolicy], whose statements may only use
// the [PolicyAction] values ECR accepts.
//
// # One per account and Region
//
// Scanning, replication, the registry policy and signing are singletons of
// an account and Region: each is one Put API call that overwrites, so a
// second stack declaring one replaces the first's, and deleting either
// removes it for both (CloudFormation's create fails outright for a second
// replication configuration or registry policy). Creation templates and
// pull-through cache rules are one per prefix, exclusions one per principal.
// These mistakes take two resources, often in two stacks, so no constructor
// can see them: the constructors of this package and of package ecr attach
// one check to the app, which runs when the app is synthesized, walks every
// stack, and refuses a second singleton, a second template or cache rule
// for a prefix, a second exclusion of a principal and a second repository
// of one name, within a stack, and across stacks whose account and Region
// are both known and equal. It sees raw L1 resources (awsecr.Cfn…) and
// CDK's own awsecr.Repository too. Environment-agnostic stacks may deploy
// anywhere and are only compared with themselves.
//
// # Regions
//
// Region names (replication destinations) are checked against the Region
// table of the aws-cdk-go release the library is built with, since a
// mistyped Region only fails at deployment. A Region launched since is
// accepted when listed in the context key [ExtraRegionsContext]
// (@secure-ecr/ecr-cdk-go:extraRegions), in cdk.json or the app's context:
// the one, explicit escape. Keys, secrets, roles and principals of another
// partition than the stack's are refused, as are a creation template's key
// and a pull-through cache secret of another Region than the stack's.
//
// Invalid props are refused before anything is added to the tree: New and
// the other constructors panic with a [validation.Errors], one line per
// problem naming the construct path, the field, the value and the rule,
// each a [validation.Error] for errors.As. [Props.Validate] returns the same
// problems as an error, less what depends on the stack.
//
// # Who owns it
//
// The registry belongs to the account's platform team, not to application
// stacks: one stack per account and Region (the account baseline) declares
// a Registry, and application stacks add repositories. Across an AWS
// Organization, the same Props are rolled out to every account and Region
// of chosen organizational units by a CloudFormation stack set, with package
// github.com/secure-ecr/ecr-cdk-go/constructs/organization, which asks
// [Props.CheckStackSet] what in the props can't be deployed that way.
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
package registry
