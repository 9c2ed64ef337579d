package registry

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/nag"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/appcheck"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/construct"
)

// AppliedFor is a way ECR creates repositories by itself, which a
// repository creation template can apply to.
type AppliedFor string

const (
	// AppliedForReplication: repositories replication creates in a
	// destination registry.
	AppliedForReplication AppliedFor = "REPLICATION"
	// AppliedForPullThroughCache: repositories a pull-through cache rule
	// creates on the first pull of an upstream image.
	AppliedForPullThroughCache AppliedFor = "PULL_THROUGH_CACHE"
	// AppliedForCreateOnPush: repositories created by a push to a name that
	// doesn't exist yet.
	AppliedForCreateOnPush AppliedFor = "CREATE_ON_PUSH"
)

// Values returns every kind of repository creation a template can apply to.
func (AppliedFor) Values() []AppliedFor {
	return []AppliedFor{AppliedForReplication, AppliedForPullThroughCache, AppliedForCreateOnPush}
}

// RootPrefix is the prefix of the template that applies to every repository
// no more specific template matches.
const RootPrefix = "ROOT"

// RepositoryCreationTemplateProps configures a [RepositoryCreationTemplate]:
// the settings ECR gives the repositories it creates itself, for
// replication, pull-through cache and create-on-push. Without a template
// those get mutable tags, AES-256 encryption, no lifecycle policy and no
// repository policy, and no scanning unless the registry's scanning
// configuration covers them. The settings are the same as [RepositoryProps]' and are
// checked and defaulted by the same code, so a template and a repository
// built from zero props are configured alike (scanning is registry-wide:
// see [ScanningProps]). Every field is plain data, so the props can describe
// an account baseline rolled out elsewhere.
//
// A template applies only to repositories created after it exists; the
// repositories of a prefix get the most specific template's settings.
type RepositoryCreationTemplateProps struct {
	// Prefix selects the repositories the template applies to: those whose
	// name starts with Prefix + "/" (ECR implies the trailing "/"), or
	// "ROOT" ([RootPrefix]) for every repository no other template matches.
	// 1 to 256 characters, a repository name with an optional trailing "/",
	// or ROOT. Changing it replaces the template.
	// Default: "ROOT".
	Prefix *string

	// AppliedFor are the kinds of repository creation the template applies
	// to, each at most once.
	// Default: all three, REPLICATION, PULL_THROUGH_CACHE and
	// CREATE_ON_PUSH.
	AppliedFor []AppliedFor

	// Description describes the template: at most 256 characters.
	// Default: one naming the prefix and the library.
	Description *string

	// TagMutability of the repositories created.
	// Default: awsecr.TagMutability_IMMUTABLE (Security Hub ECR.2).
	TagMutability awsecr.TagMutability

	// TagMutabilityExclusions as in RepositoryProps: 1 to 5 wildcard
	// filters, only with a *_WITH_EXCLUSION mutability.
	// Default: none.
	TagMutabilityExclusions []string

	// Encryption of the repositories created: KMS, KMS_DSSE or AES256.
	// Default: awsecr.RepositoryEncryption_KMS(), with the AWS-managed key
	// unless EncryptionKeyArn is given.
	Encryption awsecr.RepositoryEncryption

	// EncryptionKeyArn is a customer-managed KMS key (Security Hub ECR.5),
	// by ARN, in the registry's Region. With a key, ECR needs a custom role
	// (see CustomRoleArn). The ARN is the field for stack-set baselines
	// (package organization), given as a parameter.
	//
	// A key of another account is allowed (its Region is still checked),
	// but that account's key policy must let the template's role use it:
	// kms:CreateGrant, kms:RetireGrant and kms:DescribeKey for the role
	// (the ECR User Guide, "Create an IAM role for repository creation
	// templates"), and, through the grant ECR makes, kms:Decrypt and
	// kms:GenerateDataKey for ECR in the repositories' account ("Encryption
	// at rest", key policy for a key in another account). The role this
	// library makes asks for those actions; only the key's owner can allow
	// them.
	// Default: none, the AWS-managed key.
	EncryptionKeyArn *string

	// EncryptionKey is the same key as a CDK object, instead of
	// EncryptionKeyArn: give one of them. A key of another stack of the app
	// is a cross-stack reference (an export and an import), which a
	// stack-set baseline can't hold.
	// Default: none.
	EncryptionKey awskms.IKey

	// LifecycleRules of the repositories created, built with package
	// lifecycle.
	// Default: lifecycle.DefaultRules(), untagged images expire 14 days
	// after push (Security Hub ECR.3). Set NoLifecyclePolicy for none.
	LifecycleRules []lifecycle.Rule

	// NoLifecyclePolicy leaves the repositories created without a lifecycle
	// policy. Can't be combined with LifecycleRules.
	// Default: false.
	NoLifecyclePolicy *bool

	// Tags for the repositories created: at most 50, keys of 1 to 128
	// characters not starting with "aws:", values of at most 256. With
	// tags, ECR needs a custom role (see CustomRoleArn).
	// Default: none.
	Tags map[string]string

	// CustomRoleArn is the IAM role ECR assumes to create repositories with
	// a customer-managed key or tags: an ARN
	// arn:<partition>:iam::<account>:role/<name> (no path, as the
	// CloudFormation schema requires).
	// Default: when EncryptionKeyArn or Tags is given, a role made by the
	// construct (child "Role"), trusted by ecr.amazonaws.com and allowed
	// ecr:CreateRepository, ecr:ReplicateImage and ecr:TagResource on the
	// prefix's repositories (all repositories for ROOT) and kms:CreateGrant,
	// kms:RetireGrant and kms:DescribeKey on the key; otherwise none, as
	// none is needed. The ARN is the field for stack-set baselines.
	CustomRoleArn *string

	// CustomRole is the same role as a CDK object, instead of CustomRoleArn:
	// give one of them. A role of another stack of the app is a cross-stack
	// reference, which a stack-set baseline can't hold.
	// Default: as for CustomRoleArn.
	CustomRole awsiam.IRole
}

// RepositoryCreationTemplate is an AWS::ECR::RepositoryCreationTemplate with
// the library's secure defaults, and the role it needs.
type RepositoryCreationTemplate interface {
	constructs.Construct
	// Prefix returns the template's prefix, "ROOT" or a repository prefix.
	Prefix() string
	// AppliedFor returns what the template applies to.
	AppliedFor() []AppliedFor
	// LifecyclePolicy returns the lifecycle policy the repositories get, or
	// nil when they get none.
	LifecyclePolicy() *lifecycle.Policy
	// Role returns the role the construct made for ECR, or nil when it made
	// none (no key and no tags, or CustomRoleArn given).
	Role() awsiam.IRole
	// Resource returns the AWS::ECR::RepositoryCreationTemplate resource,
	// the escape hatch for what the props don't cover.
	Resource() awsecr.CfnRepositoryCreationTemplate
}

// jsiiProxy_repositoryCreationTemplate implements RepositoryCreationTemplate
// as a construct of its own; see jsiiProxy_repository for the name.
//
//lint:ignore ST1003 the jsiiProxy_ prefix makes jsii-runtime-go skip its interface discovery (see jsiiProxy_repository in package ecr; pinned by TestJsiiProxyNames)
type jsiiProxy_repositoryCreationTemplate struct {
	constructs.Construct
	prefix     string
	appliedFor []AppliedFor
	policy     *lifecycle.Policy
	role       awsiam.IRole
	cfn        awsecr.CfnRepositoryCreationTemplate
}

// Limits of AWS::ECR::RepositoryCreationTemplate.
const (
	maxDescriptionLength = 256
	maxRoleArnLength     = 2048
)

// NewRepositoryCreationTemplate creates a repository creation template with
// the same secure defaults as ecr.NewRepository (immutable tags, KMS, the
// default lifecycle policy) for the repositories ECR creates under a prefix.
// nil props give the ROOT template for all three kinds of creation. A
// [Registry] makes its ROOT template and those of its pull-through cache
// rules itself.
//
// It panics with [validation.Errors], before adding anything to the tree, for
// invalid props.
func NewRepositoryCreationTemplate(scope constructs.Construct, id *string, props *RepositoryCreationTemplateProps) RepositoryCreationTemplate {
	p := construct.ChildProblems("registry", scope, id)
	var pl place
	if p.Len() == 0 {
		pl = placeOf(scope)
	}
	s := checkTemplateProps(props, pl, p)
	p.PanicIfAny()
	appcheck.Attach(scope)
	return newTemplate(scope, id, props, s)
}

// templateChecked is what checkTemplateProps derives from valid props.
type templateChecked struct {
	check.Settings
	prefix     string
	appliedFor []AppliedFor
	keyArn     *string // EncryptionKeyArn or EncryptionKey's
	roleArn    *string // CustomRoleArn or CustomRole's
	needsRole  bool
}

// checkTemplateProps records every problem with the props of a template
// created at pl. It is the one validation of a creation template, whichever
// way it is made (Props.RootTemplate and CreationTemplates, a cache rule's
// CreationTemplate, Registry.AddRepositoryCreationTemplate,
// NewRepositoryCreationTemplate).
func checkTemplateProps(props *RepositoryCreationTemplateProps, pl place, p *validation.Collector) templateChecked {
	if props == nil {
		props = &RepositoryCreationTemplateProps{}
	}
	t := templateChecked{prefix: RootPrefix, appliedFor: props.AppliedFor}
	if props.Prefix != nil {
		t.prefix = *props.Prefix
		check.TemplatePrefix("Prefix", t.prefix, p)
	}
	if len(t.appliedFor) == 0 {
		t.appliedFor = AppliedFor("").Values()
	}
	for i, a := range props.AppliedFor {
		field := "AppliedFor[" + strconv.Itoa(i) + "]"
		switch {
		case !slices.Contains(a.Values(), a):
			p.Add(field, string(a), "must be "+validation.OneOf(a.Values()))
		case slices.Index(props.AppliedFor, a) < i:
			p.Add(field, string(a), "is listed twice; each kind of creation at most once")
		}
	}
	if props.Description != nil && len(*props.Description) > maxDescriptionLength {
		p.Add("Description", *props.Description, fmt.Sprintf("must be at most %d characters, not %d", maxDescriptionLength, len(*props.Description)))
	}
	in := check.SettingsInput{
		TagMutability:           string(props.TagMutability),
		TagMutabilityExclusions: props.TagMutabilityExclusions,
		LifecycleRules:          props.LifecycleRules,
		NoLifecyclePolicy:       props.NoLifecyclePolicy,
		Tags:                    props.Tags,
	}
	if props.Encryption != nil {
		in.Encryption = *props.Encryption.Value()
	}
	key, keyField := oneOf("", "EncryptionKeyArn", props.EncryptionKeyArn, "EncryptionKey", props.EncryptionKey != nil, func() *string { return props.EncryptionKey.KeyArn() }, pl, p)
	if key != nil {
		in.KeyField = keyField
		if k := *key; !check.IsToken(k) {
			if _, _, ok := check.ParseResourceARN(k, "kms", "key", check.KMSKeyName); !ok {
				p.Add(keyField, k, "must be a KMS key ARN, arn:<partition>:kms:<region>:<account>:key/<key id>")
			} else {
				// A key of another account is allowed: its key policy must
				// let the template's role use it (see EncryptionKeyArn).
				pl.checkArnPlace(keyField, k, arnKey, p)
			}
		}
	}
	t.Settings = check.CheckSettings(in, p)
	if t.Encryption == "KMS_DSSE" && pl.region != "" && pl.partition() != check.PartitionGovCloud {
		// "Dual-layer server-side encryption with AWS KMS (DSSE-KMS) is only
		// available in the AWS GovCloud (US) Regions" (Amazon ECR User
		// Guide, Encryption at rest), as for a repository (ecr.NewRepository).
		p.Add("Encryption", "KMS_DSSE", fmt.Sprintf("dual-layer encryption is only available in the AWS GovCloud (US) Regions (partition %s), but the stack is in %s (partition %s); use KMS", check.PartitionGovCloud, pl.region, pl.partition()))
	}
	role, roleField := oneOf("", "CustomRoleArn", props.CustomRoleArn, "CustomRole", props.CustomRole != nil, func() *string { return props.CustomRole.RoleArn() }, pl, p)
	if role != nil {
		if r := *role; !check.IsToken(r) {
			if parsed, ok := check.ParseIAMPrincipal(r); !ok || parsed.Kind != check.IAMRole || parsed.HasPath() || len(r) > maxRoleArnLength {
				p.Add(roleField, r, "must be an IAM role ARN without a path, arn:<partition>:iam::<account>:role/<name>, as CloudFormation's schema requires")
			} else {
				pl.checkArnPlace(roleField, r, arnRole, p)
			}
		}
	}
	t.keyArn, t.roleArn = key, role
	t.needsRole = role == nil && (key != nil || len(props.Tags) > 0)
	return t
}

// newTemplate builds a template from checked props.
func newTemplate(scope constructs.Construct, id *string, props *RepositoryCreationTemplateProps, t templateChecked) *jsiiProxy_repositoryCreationTemplate {
	if props == nil {
		props = &RepositoryCreationTemplateProps{}
	}
	r := &jsiiProxy_repositoryCreationTemplate{prefix: t.prefix, appliedFor: t.appliedFor, policy: t.Policy}
	constructs.NewConstruct_Override(r, scope, id)
	if t.Policy != nil && len(t.Policy.Findings()) > 0 {
		construct.WarnLifecycle(r, "LifecycleRules", t.Policy, nil)
	}

	cfnProps := templateProps(t.Settings, t.keyArn, props.Tags)
	cfnProps.Prefix = jsii.String(t.prefix)
	applied := make([]*string, len(t.appliedFor))
	for i, a := range t.appliedFor {
		applied[i] = jsii.String(string(a))
	}
	cfnProps.AppliedFor = &applied
	cfnProps.Description = props.Description
	if cfnProps.Description == nil {
		cfnProps.Description = jsii.String(templateDescription(t.prefix))
	}
	cfnProps.CustomRoleArn = t.roleArn
	if t.needsRole {
		r.role = templateRole(r, t.prefix, t.keyArn)
		cfnProps.CustomRoleArn = r.role.RoleArn()
	}
	r.cfn = awsecr.NewCfnRepositoryCreationTemplate(r, jsii.String("Resource"), cfnProps)
	if r.role != nil {
		r.cfn.Node().AddDependency(r.role)
	}
	return r
}

// templateDescription is a template's default description.
func templateDescription(prefix string) string {
	if prefix == RootPrefix {
		return "Secure defaults (ecr-cdk-go) for every repository ECR creates that no other template matches"
	}
	return "Secure defaults (ecr-cdk-go) for repositories ECR creates under " + prefix
}

// templateRole makes the role ECR assumes to apply a template with a key or
// tags, with exactly the trust and permissions the ECR User Guide documents
// on its pages "Create a custom policy for repository creation templates"
// and "Create an IAM role for repository creation templates"
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates-custom.html),
// the role CustomRoleArn of AWS::ECR::RepositoryCreationTemplate names.
func templateRole(scope constructs.Construct, prefix string, keyArn *string) awsiam.Role {
	role := awsiam.NewRole(scope, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("ecr.amazonaws.com"), nil),
		Description: jsii.String("Lets Amazon ECR create repositories with the creation template for " + prefix),
	})
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"),
		Resources: jsii.Strings(prefixRepositoriesArn(prefix)),
	}))
	if keyArn != nil {
		role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings("kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"),
			Resources: jsii.Strings(*keyArn),
		}))
	}
	nag.Suppress(role, nag.Suppression{ID: "AwsSolutions-IAM5",
		Reason: "ECR creates repositories of any name under the template's prefix " + prefix + ", so the role's ECR actions name the prefix's repositories with a wildcard"})
	return role
}

// prefixRepositoriesArn is the ARN pattern of the repositories under a
// prefix of the stack's registry: every repository for ROOT.
func prefixRepositoriesArn(prefix string) string {
	pattern := "*"
	if prefix != RootPrefix {
		pattern = strings.TrimSuffix(prefix, "/") + "/*"
	}
	return repositoriesArn("", "", pattern)
}

// repositoriesArn returns the ARN of the repositories whose names match
// pattern, in a Region and account ("" for the stack's): a Fn::Sub while
// pattern is literal, and the pseudo parameters joined when it holds a token
// (a CloudFormation parameter of a stack-set baseline, say), since Fn::Sub
// takes only a literal string.
func repositoriesArn(region, account, pattern string) string {
	if check.IsToken(pattern) {
		if region == "" {
			region = *awscdk.Aws_REGION()
		}
		if account == "" {
			account = *awscdk.Aws_ACCOUNT_ID()
		}
		return "arn:" + *awscdk.Aws_PARTITION() + ":ecr:" + region + ":" + account + ":repository/" + pattern
	}
	if region == "" {
		region = "${AWS::Region}"
	}
	if account == "" {
		account = "${AWS::AccountId}"
	}
	return *awscdk.Fn_Sub(jsii.String("arn:${AWS::Partition}:ecr:"+region+":"+account+":repository/"+pattern), nil)
}

// Prefix implements RepositoryCreationTemplate.
func (r *jsiiProxy_repositoryCreationTemplate) Prefix() string { return r.prefix }

// AppliedFor implements RepositoryCreationTemplate.
func (r *jsiiProxy_repositoryCreationTemplate) AppliedFor() []AppliedFor {
	return slices.Clone(r.appliedFor)
}

// LifecyclePolicy implements RepositoryCreationTemplate.
func (r *jsiiProxy_repositoryCreationTemplate) LifecyclePolicy() *lifecycle.Policy { return r.policy }

// Role implements RepositoryCreationTemplate.
func (r *jsiiProxy_repositoryCreationTemplate) Role() awsiam.IRole { return r.role }

// Resource implements RepositoryCreationTemplate.
func (r *jsiiProxy_repositoryCreationTemplate) Resource() awsecr.CfnRepositoryCreationTemplate {
	return r.cfn
}

// templateProps renders the settings as the properties of an
// AWS::ECR::RepositoryCreationTemplate, with the key ARN (nil for the
// AWS-managed key) and the tags whose keys are s.TagKeys.
func templateProps(s check.Settings, keyArn *string, tags map[string]string) *awsecr.CfnRepositoryCreationTemplateProps {
	props := &awsecr.CfnRepositoryCreationTemplateProps{
		ImageTagMutability: jsii.String(s.Mutability),
		EncryptionConfiguration: &awsecr.CfnRepositoryCreationTemplate_EncryptionConfigurationProperty{
			EncryptionType: jsii.String(s.Encryption),
			KmsKey:         keyArn,
		},
	}
	if len(s.Exclusions) > 0 {
		filters := make([]any, len(s.Exclusions))
		for i, f := range s.Exclusions {
			filters[i] = &awsecr.CfnRepositoryCreationTemplate_ImageTagMutabilityExclusionFilterProperty{
				ImageTagMutabilityExclusionFilterType:  jsii.String("WILDCARD"),
				ImageTagMutabilityExclusionFilterValue: jsii.String(f),
			}
		}
		props.ImageTagMutabilityExclusionFilters = filters
	}
	if s.Policy != nil {
		props.LifecyclePolicy = jsii.String(s.Policy.JSON())
	}
	if len(s.TagKeys) > 0 {
		list := make([]any, len(s.TagKeys))
		for i, k := range s.TagKeys {
			list[i] = &awscdk.CfnTag{Key: jsii.String(k), Value: jsii.String(tags[k])}
		}
		props.ResourceTags = list
	}
	return props
}
