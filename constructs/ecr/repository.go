package ecr

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/appcheck"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/construct"
)

// Repository is an Amazon ECR repository with secure defaults. It is an
// awsecr.Repository, so it works wherever CDK takes an awsecr.IRepository
// (ECS ContainerImage_FromEcrRepository, Lambda DockerImageCode_FromEcr,
// CodeBuild, ...) and keeps CDK's grants and events: GrantPull, GrantPush,
// GrantPullPush, GrantRead, OnImageScanCompleted, RepositoryUriForTag.
type Repository interface {
	awsecr.Repository

	// AddLifecycleRules adds rules to the lifecycle policy, after the rules
	// already there. The first rules added replace the default rule. It
	// panics with [validation.Errors] if the resulting policy is invalid, or
	// if the repository was created with NoLifecyclePolicy.
	AddLifecycleRules(rules ...lifecycle.Rule)

	// LifecyclePolicy returns the repository's lifecycle policy as it will be
	// deployed, or nil when it has none.
	LifecyclePolicy() *lifecycle.Policy

	// EncryptionKey returns the customer-managed KMS key that encrypts the
	// images, or nil when the repository uses the AWS-managed key or AES256.
	EncryptionKey() awskms.IKey

	// Resource returns the AWS::ECR::Repository resource (the L2's
	// Node().DefaultChild()), the escape hatch for what the props don't
	// cover.
	Resource() awsecr.CfnRepository

	// GrantPullToAccounts lets principals of other AWS accounts pull images:
	// one repository policy statement (Sid "PullFromAccounts", then
	// "PullFromAccounts2", ...) with ECR's pull actions for the principals,
	// each an account principal (awsiam.NewAccountPrincipal of a 12-digit
	// account ID or NewAccountRootPrincipal: every principal the account
	// allows) or an awsiam.NewArnPrincipal of an IAM role, user or account
	// root ARN, in the repository's partition. A principal given twice is
	// granted once. Those principals still need an identity policy that
	// allows the pull actions and ecr:GetAuthorizationToken, which only their
	// account can grant. It returns CDK's Grant for the statement, and panics
	// with [validation.Errors] for no principal, an invalid account ID or
	// ARN, or another kind of principal (a service principal, a role: pass
	// NewArnPrincipal(role.RoleArn()) for a role of another stack).
	GrantPullToAccounts(principals ...awsiam.IPrincipal) awsiam.Grant

	// GrantPushToAccounts lets principals of other AWS accounts push images,
	// such as a CI role in a tools account: one statement (Sid
	// "PushFromAccounts", ...) with ECR's push actions, for principals
	// checked as in GrantPullToAccounts. The principals also need an identity
	// policy allowing the push actions and ecr:GetAuthorizationToken. Tags
	// stay immutable unless TagMutability says otherwise, so a push can't
	// move a release tag. It returns CDK's Grant and panics with
	// [validation.Errors] like GrantPullToAccounts.
	GrantPushToAccounts(principals ...awsiam.IPrincipal) awsiam.Grant

	// GrantPullToOrganization lets every principal of an AWS Organization
	// pull images, given as awsiam.NewOrganizationPrincipal (whose ID CDK
	// checks: "o-" and 10 to 32 characters): a statement (Sid
	// "PullFromOrganization") with the "*" principal and a StringEquals
	// aws:PrincipalOrgID condition. cdk-nag's AwsSolutions-ECR1 flags any "*"
	// principal regardless of conditions, so the repository carries a
	// cdk-nag suppression saying why, naming every organization granted
	// (plain metadata: no cdk-nag dependency). It returns CDK's Grant and
	// panics with [validation.Errors] for nil or another kind of principal.
	GrantPullToOrganization(organization awsiam.IPrincipal) awsiam.Grant

	// GrantPullToOrganizationalUnits lets the principals of accounts in
	// organizational units, and in the OUs below them, pull images. Each unit
	// is an [OrganizationalUnitPrincipal] of the OU's path as
	// aws:PrincipalOrgPaths holds it, "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"
	// (organization, root, then one ou- segment per level, ending in "/").
	// One statement (Sid "PullFromOrganizationalUnits") with the "*"
	// principal, a StringEquals aws:PrincipalOrgID condition on the paths'
	// organizations and a ForAnyValue:StringLike aws:PrincipalOrgPaths
	// condition on each path followed by "*". Like GrantPullToOrganization it
	// records the cdk-nag reason. It returns CDK's Grant and panics with
	// [validation.Errors] for no unit, an invalid path, or another kind of
	// principal.
	GrantPullToOrganizationalUnits(units ...awsiam.IPrincipal) awsiam.Grant

	// GrantLambdaPull lets Lambda functions use the repository's images, with
	// the statements AWS documents: one for the Lambda service (Sid
	// "LambdaServicePull"), limited by an aws:sourceARN condition to
	// functions of the given accounts in the repository's Region, and, for
	// other accounts, one for the accounts themselves (Sid
	// "LambdaPullFromAccounts"). The accounts are account principals
	// (awsiam.NewAccountPrincipal); with none, the functions of the
	// repository's own account. It returns the statements' Grants combined,
	// and panics with [validation.Errors] for an invalid account ID or
	// another kind of principal.
	GrantLambdaPull(accounts ...awsiam.IPrincipal) awsiam.Grant

	// OnScanFindings returns an EventBridge rule, a child of the repository,
	// that fires only when an image scan finds vulnerabilities at or above a
	// severity (default HIGH), for basic scanning or, with Enhanced, Amazon
	// Inspector's enhanced scanning; optionally only for some image tags.
	// Unlike CDK's OnImageScanCompleted it stays silent for clean scans. Add
	// targets with the options or Rule.AddTarget. It panics with
	// [validation.Errors] for invalid options.
	OnScanFindings(id *string, opts *ScanFindingsOptions) awsevents.Rule

	// OnImagePushed returns an EventBridge rule, a child of the repository,
	// that fires when an image push succeeds ("ECR Image Action" PUSH),
	// optionally only for some tags. It panics with [validation.Errors] for
	// invalid options.
	OnImagePushed(id *string, opts *ImageActionOptions) awsevents.Rule

	// OnImageDeleted returns an EventBridge rule, a child of the repository,
	// that fires when an image is deleted ("ECR Image Action" DELETE),
	// optionally only for some tags. It panics with [validation.Errors] for
	// invalid options.
	OnImageDeleted(id *string, opts *ImageActionOptions) awsevents.Rule
}

// jsiiProxy_repository is the jsii-backed implementation: it embeds the
// awsecr.Repository created by NewRepository_Override, so the jsii runtime
// knows it as the repository object itself, and its methods serve Go
// callers.
//
// The name's "jsiiProxy_" prefix is deliberate. It is how jsii-runtime-go
// (v1.142.0, runtime.Create) recognises a type that overrides nothing in
// JavaScript: for any other name it reflects over every type the jsii
// runtime has registered (thousands, for aws-cdk-lib) to discover which
// interfaces the Go type implements, on every object created, which made
// each repository cost about 2 ms more than CDK's own. No JavaScript code
// needs to call back into this type: CDK never calls the methods it adds,
// and its AddLifecycleRule is reached from Go, where it matters. With
// another name the construct would behave the same, only slower
// (BenchmarkSynth). Every construct type of the library is named so, and
// this comment and TestJsiiProxyNames (constructs/ecr/jsiiproxy_test.go),
// which fails when a construct is named otherwise or when jsii-runtime-go
// stops skipping the prefix, are the one place that relies on it;
// staticcheck's ST1003 is told to ignore each of those names.
//
//lint:ignore ST1003 the jsiiProxy_ prefix makes jsii-runtime-go skip its interface discovery (see above; pinned by TestJsiiProxyNames)
type jsiiProxy_repository struct {
	awsecr.Repository
	cfn    awsecr.CfnRepository
	key    awskms.IKey
	rules  []lifecycle.Rule  // rules given so far; nil while the default applies
	policy *lifecycle.Policy // nil: created with NoLifecyclePolicy
	sids   map[string]int    // statement ids used in the repository policy
	// noInUse turns off the protection of the tags the app deploys.
	noInUse bool
	warned  map[string]bool // the lifecycle analysis's warnings already on the repository
}

// NewRepository creates an ECR repository with secure defaults: scan on
// push, immutable tags, KMS encryption, RETAIN on delete and replacement, a
// lifecycle policy that expires untagged images after 14 days, and no
// repository policy. nil props means all defaults; see [RepositoryProps].
//
// Invalid props are refused before anything is added to the construct tree:
// NewRepository panics with [validation.Errors], whose one-line message names
// the construct path, the field, the value and the rule it broke.
func NewRepository(scope constructs.Construct, id *string, props *RepositoryProps) Repository {
	if props == nil {
		props = &RepositoryProps{}
	}
	p, at := construct.Child("ecr", scope, id)
	s := checkProps(props, p)
	dsseUnknown := false
	if at.Node != nil {
		dsseUnknown = checkPlace(scope, props.EncryptionKey, s.Encryption, p)
	}
	p.PanicIfAny()

	if at.Stack != nil {
		appcheck.AttachIn(at.Stack, at.Node)
	} else {
		appcheck.Attach(scope)
	}
	r := &jsiiProxy_repository{rules: s.Rules, policy: s.Policy, sids: map[string]int{}, key: props.EncryptionKey,
		noInUse: props.NoInUseProtection != nil && *props.NoInUseProtection}
	createKey := props.CreateEncryptionKey != nil && *props.CreateEncryptionKey
	l2 := repositoryProps(s)
	l2.RepositoryName = props.RepositoryName
	l2.ImageScanOnPush = construct.OrTrue(props.ImageScanOnPush)
	l2.RemovalPolicy = construct.OrDefault(props.RemovalPolicy, awscdk.RemovalPolicy_RETAIN)
	l2.EmptyOnDelete = props.EmptyOnDelete
	// Encryption renders exactly as CDK's own Repository renders the same
	// choice, so a stack can switch from awsecr.NewRepository in place
	// (EncryptionConfiguration is create-only: a difference replaces the
	// repository). KMS, with the AWS-managed key or one given, is what CDK's
	// L2 renders itself. AES256 is written by neither: CDK's L2 leaves it
	// implicit, CloudFormation's default, and an explicit AES256 on a
	// repository created without it is a replacement
	// (cloudformation-coverage-roadmap #2502). CDK can't render KMS_DSSE and
	// doesn't know a key created below: those are set on the resource
	// afterwards.
	byL2 := s.Encryption == "KMS" && !createKey
	if byL2 {
		l2.Encryption = awsecr.RepositoryEncryption_KMS()
		l2.EncryptionKey = props.EncryptionKey
	}
	awsecr.NewRepository_Override(r, scope, id, l2)
	r.cfn = r.Node().DefaultChild().(awsecr.CfnRepository)

	if createKey {
		r.key = awskms.NewKey(r, jsii.String("Key"), &awskms.KeyProps{
			Description:       jsii.String("Encrypts the images of the ECR repository " + p.Path),
			EnableKeyRotation: jsii.Bool(true),
			RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
		})
		r.key.AddToResourcePolicy(DenyKeyGrantsUnlessForAWSResource(), nil)
	}
	if !byL2 && s.Encryption != "AES256" {
		var keyArn *string
		if r.key != nil {
			keyArn = r.key.KeyArn()
		}
		r.cfn.SetEncryptionConfiguration(&awsecr.CfnRepository_EncryptionConfigurationProperty{
			EncryptionType: jsii.String(s.Encryption),
			KmsKey:         keyArn,
		})
	}

	r.applyPolicy()
	r.warn(props, dsseUnknown)
	if len(props.Acknowledgments) > 0 {
		awscdk.Validations_Of(r).Acknowledge(props.Acknowledgments...)
	}
	// On the repository resource alone, as RepositoryProps.Tags says:
	// awscdk.Tags_Of(r) would also tag the key and every alert rule below.
	for _, k := range check.SortedKeys(props.Tags) {
		awscdk.Tags_Of(r.cfn).Add(jsii.String(k), jsii.String(props.Tags[k]), nil)
	}
	return r
}

// Warnings NewRepository adds to a repository, as CDK warnings
// (awscdk.Annotations), for what may be meant but will likely fail later.
// Acknowledge one with awscdk.Annotations_Of(repository).AcknowledgeWarning.
const (
	// DestroyWithoutEmptyWarning: RemovalPolicy DESTROY without
	// EmptyOnDelete. "If false, the repository must be empty before
	// attempting to delete it" (AWS::ECR::Repository, EmptyOnDelete): once
	// the repository holds images, deleting it (with its stack, on
	// replacement, or when removed from the stack) fails.
	DestroyWithoutEmptyWarning = "@secure-ecr/ecr-cdk-go:destroyWithoutEmpty"

	// DualLayerRegionUnknownWarning: Encryption KMS_DSSE in a stack whose
	// Region is known only at deployment. Dual-layer encryption is only
	// available in the AWS GovCloud (US) Regions; in a stack of a known
	// Region elsewhere NewRepository refuses it.
	DualLayerRegionUnknownWarning = "@secure-ecr/ecr-cdk-go:dualLayerRegionUnknown"
)

// warn adds the warnings of DestroyWithoutEmptyWarning and
// DualLayerRegionUnknownWarning where they apply.
func (r *jsiiProxy_repository) warn(props *RepositoryProps, dsseUnknown bool) {
	if props.RemovalPolicy == awscdk.RemovalPolicy_DESTROY && (props.EmptyOnDelete == nil || !*props.EmptyOnDelete) {
		awscdk.Annotations_Of(r).AddWarningV2(jsii.String(DestroyWithoutEmptyWarning), jsii.String(
			"RemovalPolicy DESTROY without EmptyOnDelete: once the repository holds images, deleting it (with its stack, on replacement, or when it is removed from the stack) fails, as ECR deletes only an empty repository; set EmptyOnDelete to delete the images with it, or keep RETAIN"), nil)
	}
	if dsseUnknown {
		awscdk.Annotations_Of(r).AddWarningV2(jsii.String(DualLayerRegionUnknownWarning), jsii.String(
			"Encryption KMS_DSSE: dual-layer encryption is only available in the AWS GovCloud (US) Regions, and this stack's Region is known only at deployment; elsewhere ECR refuses to create the repository: give the stack a Region (env), or use KMS"), nil)
	}
}

// LifecyclePolicy implements Repository.
func (r *jsiiProxy_repository) LifecyclePolicy() *lifecycle.Policy { return r.policy }

// EncryptionKey implements Repository.
func (r *jsiiProxy_repository) EncryptionKey() awskms.IKey { return r.key }

// Resource implements Repository.
func (r *jsiiProxy_repository) Resource() awsecr.CfnRepository { return r.cfn }

// applyPolicy writes the lifecycle policy onto the CloudFormation resource.
// The policy is rendered by package lifecycle, not by CDK's L2, because CDK's
// LifecycleRule can't express archive rules.
func (r *jsiiProxy_repository) applyPolicy() {
	if r.policy == nil {
		return
	}
	r.cfn.SetLifecyclePolicy(&awsecr.CfnRepository_LifecyclePolicyProperty{
		LifecyclePolicyText: jsii.String(r.policy.JSON()),
	})
	if len(r.policy.Findings()) > 0 {
		if r.warned == nil {
			r.warned = map[string]bool{}
		}
		construct.WarnLifecycle(r, "LifecycleRules", r.policy, r.warned)
	}
}

// exclusionFilters converts wildcard filters for CDK's L2.
func exclusionFilters(filters []string) *[]awsecr.ImageTagMutabilityExclusionFilter {
	if len(filters) == 0 {
		return nil
	}
	out := make([]awsecr.ImageTagMutabilityExclusionFilter, len(filters))
	for i, f := range filters {
		out[i] = awsecr.ImageTagMutabilityExclusionFilter_Wildcard(jsii.String(f))
	}
	return &out
}
