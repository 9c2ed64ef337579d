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
// tree: constructors and methods panic with [Errors], a one-line error naming
// the construct path, the field, the value and the constraint. CDK's own
// constructs panic on invalid input too. [RepositoryProps.Validate] returns
// the same problems as an error instead; exit.OnError (package helpers/exit), deferred in main,
// prints a refusal as one line and exits. [ValidationError] is the error type
// of the whole library (package helpers/validation), so errors.As finds the
// refusals of packages lifecycle, compliance and nag with it too. Unresolved
// tokens are accepted and not checked.
//
// Props follow one rule for scalars: optional ones are pointers (*string,
// *bool), as in CDK's Go props, so nil means the documented default;
// required ones and enum-like values (awsecr.TagMutability, Severity,
// awscdk.RemovalPolicy) are plain values whose zero value means "not given".
//
// Grants beyond CDK's (GrantPullToAccounts, GrantPushToAccounts,
// GrantPullToOrganization, GrantPullToOrganizationalUnits, GrantLambdaPull)
// return CDK's awsiam.Grant; imports ([FromRepositoryName],
// [FromRepositoryArn], [FromRepositoryAttributes]) refuse the grants that
// need the imported repository's policy instead of dropping them.
//
// Lifecycle rules are built with package
// github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle, which renders the
// policy, so archive rules that CDK's awsecr.LifecycleRule can't express
// reach CloudFormation.
package ecr
