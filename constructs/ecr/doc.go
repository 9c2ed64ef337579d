// Package ecr provides Repository, an Amazon ECR repository construct for the
// AWS CDK in Go with secure defaults:
//
//	| setting           | default                                                        |
//	|-------------------|----------------------------------------------------------------|
//	| scan on push      | on                                                             |
//	| tag mutability    | IMMUTABLE (exclusion filters supported)                        |
//	| encryption        | KMS with the AWS-managed key; a customer key when given/asked  |
//	| removal           | RETAIN on delete and replacement; empty-on-delete off          |
//	| lifecycle         | expire untagged images 14 days after push                      |
//	| resource policy   | none unless a grant needs one                                  |
//
// A Repository is a real awsecr.Repository (built with
// awsecr.NewRepository_Override), so it can be passed anywhere CDK takes an
// awsecr.IRepository and keeps CDK's grants and event rules.
//
// [NewPublicRepository] makes an Amazon ECR Public repository (us-east-1
// only), with catalog data for the gallery, tags for Security Hub ECR.4 and
// a push grant.
//
// Invalid input is refused in Go, before anything is added to the construct
// tree: constructors and methods panic with a [validation.Errors], one line
// naming the construct path, the field, the value and the constraint. CDK's
// own constructs panic on invalid input too. [RepositoryProps.Validate]
// returns the same problems as an error instead; exit.OnError (package
// helpers/exit), deferred in main, prints a refusal as one line and exits.
// [validation.Error] is the one error type of the whole library, so
// errors.As with a *validation.Error finds the refusals of this package and
// of packages registry, organization, lifecycle, compliance and nag alike.
// Unresolved tokens are accepted and not checked. Two repositories of one
// name in a stack, or in stacks of one known account and Region, are
// refused when the app is synthesized (see package registry's doc), raw
// CfnRepository and CDK's awsecr.Repository included.
//
// Props follow one rule for scalars: optional ones are pointers (*string,
// *bool), as in CDK's Go props, so nil means the documented default;
// required ones and enum-like values (awsecr.TagMutability, Severity,
// awscdk.RemovalPolicy) are plain values whose zero value means "not given".
//
// Grants beyond CDK's (GrantPullToAccounts, GrantPushToAccounts,
// GrantPullToOrganization, GrantPullToOrganizationalUnits, GrantLambdaPull)
// take CDK's principals (awsiam.NewAccountPrincipal, NewArnPrincipal,
// NewOrganizationPrincipal, and [OrganizationalUnitPrincipal] for an OU) and
// return CDK's awsiam.Grant; imports ([FromRepositoryName],
// [FromRepositoryArn], [FromRepositoryAttributes]) refuse the grants that
// need the imported repository's policy instead of dropping them.
//
// Alerts return CDK's awsevents.Rule: on a repository (its methods, or
// [OnScanFindings], [OnImagePushed] and [OnImageDeleted] for any
// awsecr.IRepository, imports included) and on the whole registry of the
// stack's account and Region, in one rule ([OnRegistryScanFindings],
// [OnRegistryImagePushed], [OnRegistryImageDeleted]).
//
// Lifecycle rules are built with package
// github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle, which renders the
// policy, so archive rules that CDK's awsecr.LifecycleRule can't express
// reach CloudFormation.
//
// The registry-wide alerts stay in this package, beside the repository's,
// though the registry's owner usually adds them: they are the same
// EventBridge rules with a pattern over many repositories, built by the
// same code and options (ScanFindingsOptions, ImageActionOptions), and
// they need no registry construct — an application team watches the
// repositories of its prefix without owning the account's registry.
//
// This package holds repositories only. The registry-wide constructs —
// registry.New and registry.Props (scanning, repository creation templates,
// pull-through cache, replication, signing, pull-time update exclusions),
// registry.NewPolicy — are in package
// github.com/secure-ecr/ecr-cdk-go/constructs/registry, and their rollout
// across an organization in package
// github.com/secure-ecr/ecr-cdk-go/constructs/organization. The compliance
// pack is package github.com/secure-ecr/ecr-cdk-go/helpers/compliance.
package ecr
