package registry

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/nag"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/appcheck"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/construct"
)

// UpstreamRegistry is an upstream registry a pull-through cache rule can
// cache, as CloudFormation names it.
type UpstreamRegistry string

const (
	// UpstreamECRPublic is Amazon ECR Public, public.ecr.aws. No credentials.
	UpstreamECRPublic UpstreamRegistry = "ecr-public"
	// UpstreamKubernetes is the Kubernetes registry, registry.k8s.io. No
	// credentials.
	UpstreamKubernetes UpstreamRegistry = "k8s"
	// UpstreamQuay is Quay, quay.io. No credentials.
	UpstreamQuay UpstreamRegistry = "quay"
	// UpstreamDockerHub is Docker Hub, registry-1.docker.io. Needs
	// credentials. Official images live under "library/".
	UpstreamDockerHub UpstreamRegistry = "docker-hub"
	// UpstreamGitHub is GitHub Container Registry, ghcr.io. Needs
	// credentials.
	UpstreamGitHub UpstreamRegistry = "github-container-registry"
	// UpstreamGitLab is GitLab's container registry, registry.gitlab.com
	// (GitLab SaaS only). Needs credentials.
	UpstreamGitLab UpstreamRegistry = "gitlab-container-registry"
	// UpstreamAzure is an Azure Container Registry, <name>.azurecr.io, given
	// in UpstreamRegistryUrl. Needs credentials.
	UpstreamAzure UpstreamRegistry = "azure-container-registry"
	// UpstreamChainguard is Chainguard's registry, cgr.dev. Needs
	// credentials.
	UpstreamChainguard UpstreamRegistry = "chainguard"
	// UpstreamECR is another Amazon ECR private registry,
	// <account>.dkr.ecr.<region>.amazonaws.com, given in
	// UpstreamRegistryUrl (see ECRRegistryURL). ECR reaches it with an IAM
	// role, not a secret.
	UpstreamECR UpstreamRegistry = "ecr"
)

// Values returns every upstream registry.
func (UpstreamRegistry) Values() []UpstreamRegistry {
	return []UpstreamRegistry{UpstreamECRPublic, UpstreamKubernetes, UpstreamQuay, UpstreamDockerHub, UpstreamGitHub,
		UpstreamGitLab, UpstreamAzure, UpstreamChainguard, UpstreamECR}
}

// DefaultURL returns the upstream's registry URL, or "" for those whose URL
// depends on the registry (Azure, ECR).
func (u UpstreamRegistry) DefaultURL() string {
	return map[UpstreamRegistry]string{
		UpstreamECRPublic: "public.ecr.aws", UpstreamKubernetes: "registry.k8s.io", UpstreamQuay: "quay.io",
		UpstreamDockerHub: "registry-1.docker.io", UpstreamGitHub: "ghcr.io", UpstreamGitLab: "registry.gitlab.com",
		UpstreamChainguard: "cgr.dev",
	}[u]
}

// needsCredentials reports whether the upstream needs a Secrets Manager
// secret.
func (u UpstreamRegistry) needsCredentials() bool {
	switch u {
	case UpstreamDockerHub, UpstreamGitHub, UpstreamGitLab, UpstreamAzure, UpstreamChainguard:
		return true
	}
	return false
}

// ECRRegistryURL returns the registry URL of an Amazon ECR private registry,
// <account>.dkr.ecr.<region>.amazonaws.com, for an UpstreamECR rule.
func ECRRegistryURL(account, region string) string {
	return account + ".dkr.ecr." + region + ".amazonaws.com"
}

// PullThroughCacheRuleProps configures a [PullThroughCacheRule]. Every
// property of the CloudFormation resource is create-only: changing any of
// them replaces the rule, and as the replacement has the same prefix,
// CloudFormation's create can collide with the rule it replaces (delete the
// rule, deploy, then add it back changed). ECR allows 50 rules per registry.
// Pull-through cache is not available in the China and GovCloud partitions.
//
// # Tag mutability of cached repositories
//
// The creation template made for the rule keeps the library's default,
// IMMUTABLE tags (Security Hub ECR.2, Checkov CKV_AWS_51): a tag pulled
// through the cache stays on the image first pulled, so an upstream tag that
// is later moved, by a release or by an attacker who took over the upstream
// account, doesn't reach you; what you scanned is what you run. The price
// is that moving tags such as "latest" or "1" are frozen at their first pull
// (ECR would otherwise refresh them from upstream at most once every 24
// hours): pull versioned tags or digests. To follow moving tags, set
// CreationTemplate.TagMutability to MUTABLE, or to IMMUTABLE_WITH_EXCLUSION
// with TagMutabilityExclusions naming the moving tags; the compliance pack's
// ECR.2 control then flags the template, as it should.
type PullThroughCacheRuleProps struct {
	// EcrRepositoryPrefix is the prefix of the cache's repositories in this
	// registry: pulling <registry>/<prefix>/<image> caches <image> of the
	// upstream. 2 to 30 characters, lowercase letters and digits in groups
	// separated by . _ __ - or /, optionally ending in "/", or "ROOT".
	// Required.
	EcrRepositoryPrefix string

	// Upstream is the upstream registry. Required.
	Upstream UpstreamRegistry

	// UpstreamRegistryUrl is the upstream registry's URL: required for
	// UpstreamAzure (<name>.azurecr.io) and UpstreamECR
	// (<account>.dkr.ecr.<region>.amazonaws.com, see ECRRegistryURL); for
	// the others it must be their fixed URL if given.
	// Default: Upstream.DefaultURL().
	//lint:ignore ST1003 CloudFormation's property name, UpstreamRegistryUrl
	UpstreamRegistryUrl *string

	// UpstreamRepositoryPrefix limits the rule to the upstream repositories
	// under a prefix (same form as EcrRepositoryPrefix). Only with an
	// EcrRepositoryPrefix other than ROOT.
	// Default: ROOT, the whole upstream registry.
	UpstreamRepositoryPrefix *string

	// CredentialArn is the ARN of the AWS Secrets Manager secret holding the
	// upstream's user name and access token, in the rule's account and
	// Region. Its name must start with "ecr-pullthroughcache/" (checked when
	// the ARN is known at synthesis). Docker Hub, GitHub, GitLab, Azure and
	// Chainguard need the secret, as CredentialArn or Credential; the others
	// refuse it. The ARN is the field for stack-set baselines (package
	// organization), given as a parameter.
	// Default: none.
	CredentialArn *string

	// Credential is the same secret as a CDK object (a Secret of the stack,
	// or one imported with awssecretsmanager.Secret_FromSecretCompleteArn),
	// instead of CredentialArn: give one of them. A secret of another stack
	// of the app is a cross-stack reference (an export and an import), which
	// a stack-set baseline can't hold.
	// Default: none.
	Credential awssecretsmanager.ISecret

	// CustomRoleArn is the IAM role ECR assumes to pull from an UpstreamECR
	// registry; refused for other upstreams.
	// Default: for UpstreamECR, a role made by the construct (child "Role"),
	// trusted by pullthroughcache.ecr.amazonaws.com and allowed the actions
	// the ECR User Guide lists: ecr:GetDownloadUrlForLayer,
	// ecr:BatchGetImage, ecr:BatchImportUpstreamImage and
	// ecr:GetImageCopyStatus on the upstream's repositories,
	// ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload,
	// ecr:PutImage and ecr:BatchImportUpstreamImage on the cache's, and
	// ecr:GetAuthorizationToken. The upstream's owner must still allow the
	// role in its registry or repository policy. The ARN is the field for
	// stack-set baselines (package organization).
	CustomRoleArn *string

	// CustomRole is the same role as a CDK object, instead of CustomRoleArn:
	// give one of them. A role of another stack of the app is a cross-stack
	// reference, which a stack-set baseline can't hold.
	// Default: as for CustomRoleArn.
	CustomRole awsiam.IRole

	// CreationTemplate is the template for the cache's repositories; its
	// Prefix and AppliedFor are set by the rule (EcrRepositoryPrefix,
	// PULL_THROUGH_CACHE) and must be left nil.
	// Default: the secure defaults of [RepositoryCreationTemplateProps],
	// IMMUTABLE tags included (see the type's documentation). A rule whose
	// prefix is ROOT gets no template of its own: the ROOT template applies.
	CreationTemplate *RepositoryCreationTemplateProps

	// NoCreationTemplate makes no template for the rule, leaving its
	// repositories to a template you manage (or the ROOT template). Can't be
	// combined with CreationTemplate.
	// Default: false.
	NoCreationTemplate *bool
}

// PullThroughCacheRule is an AWS::ECR::PullThroughCacheRule with the
// creation template of its repositories.
type PullThroughCacheRule interface {
	constructs.Construct
	// EcrRepositoryPrefix returns the prefix of the cache's repositories.
	EcrRepositoryPrefix() string
	// UpstreamRegistryUrl returns the upstream's URL.
	UpstreamRegistryUrl() string
	// CreationTemplate returns the template made for the rule, or nil.
	CreationTemplate() RepositoryCreationTemplate
	// Role returns the role made for an ECR upstream, or nil.
	Role() awsiam.IRole
	// Resource returns the AWS::ECR::PullThroughCacheRule resource, the
	// escape hatch for what the props don't cover.
	Resource() awsecr.CfnPullThroughCacheRule
	// GrantPull lets a principal pull images through the cache: the pull
	// actions and ecr:BatchImportUpstreamImage and ecr:CreateRepository (the
	// first pull of an image creates its repository), plus ecr:TagResource
	// when the rule's template tags repositories or the rule has no template
	// of its own (another one, which may tag, applies), on the cache's
	// repositories, and ecr:GetAuthorizationToken. It returns CDK's Grant.
	GrantPull(grantee awsiam.IGrantable) awsiam.Grant
}

//lint:ignore ST1003 the jsiiProxy_ prefix makes jsii-runtime-go skip its interface discovery (see jsiiProxy_repository in package ecr; pinned by TestJsiiProxyNames)
type jsiiProxy_pullThroughCacheRule struct {
	constructs.Construct
	prefix, url string
	template    RepositoryCreationTemplate
	tagged      bool
	role        awsiam.IRole
	cfn         awsecr.CfnPullThroughCacheRule
}

var (
	// cachePrefixPattern is the schema's pattern for EcrRepositoryPrefix and
	// UpstreamRepositoryPrefix.
	cachePrefixPattern = regexp.MustCompile(`^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\/?|ROOT)$`)
	// credentialPattern is the schema's pattern for CredentialArn.
	credentialPattern = regexp.MustCompile(`^arn:aws:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr\-pullthroughcache\/[a-zA-Z0-9\/_+=.@-]+$`)
	azureURLPattern   = regexp.MustCompile(`^[a-z0-9]{5,50}\.azurecr\.io$`)
	ecrURLPattern     = regexp.MustCompile(`^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$`)
)

// Limits of AWS::ECR::PullThroughCacheRule.
const (
	minCachePrefixLength = 2
	maxCachePrefixLength = 30
	minCredentialLength  = 50
	maxCredentialLength  = 612
)

// NewPullThroughCacheRule creates a pull-through cache rule and, unless told
// otherwise, a creation template for its prefix with the library's secure
// defaults. Use [Registry.AddPullThroughCacheRule] in a stack with a
// Registry. It panics with [validation.Errors], before adding anything to the
// tree, for invalid props.
func NewPullThroughCacheRule(scope constructs.Construct, id *string, props *PullThroughCacheRuleProps) PullThroughCacheRule {
	p := construct.ChildProblems("registry", scope, id)
	var pl place
	if p.Len() == 0 {
		pl = placeOf(scope)
	}
	c := checkCacheRule(props, "", pl, p)
	p.PanicIfAny()
	appcheck.Attach(scope)
	return newCacheRule(scope, id, props, c)
}

// cacheChecked is what checkCacheRule derives from valid props.
type cacheChecked struct {
	prefix, url   string
	credentialArn *string // CredentialArn or Credential's
	roleArn       *string // CustomRoleArn or CustomRole's
	template      *templateChecked
	templateIn    *RepositoryCreationTemplateProps
}

// checkCacheRule records every problem with the props of a rule created
// at pl, its creation template's included; field prefixes the fields' names
// ("PullThroughCacheRules[0]."). It is the one validation of a cache rule,
// whichever way it is made (Props.PullThroughCacheRules,
// Registry.AddPullThroughCacheRule, NewPullThroughCacheRule).
func checkCacheRule(props *PullThroughCacheRuleProps, field string, pl place, p *validation.Collector) cacheChecked {
	if props == nil {
		props = &PullThroughCacheRuleProps{}
	}
	var c cacheChecked
	if part := pl.partition(); part != "" && !check.PartitionHasPullThroughCache(part) {
		p.Add(field+"EcrRepositoryPrefix", props.EcrRepositoryPrefix, fmt.Sprintf("pull-through cache is not available in partition %s (Region %s); the ECR User Guide lists it for the aws partition", part, pl.region))
	}
	prefixOK := false
	if props.EcrRepositoryPrefix == "" {
		p.Add(field+"EcrRepositoryPrefix", nil, "is required")
	} else {
		c.prefix = props.EcrRepositoryPrefix
		prefixOK = checkCachePrefix(field+"EcrRepositoryPrefix", c.prefix, p)
	}
	up := props.Upstream
	known := slices.Contains(up.Values(), up)
	if !known {
		p.Add(field+"Upstream", string(up), "must be "+validation.OneOfQuoted(up.Values()))
	}
	c.url = up.DefaultURL()
	if props.UpstreamRegistryUrl != nil {
		u := *props.UpstreamRegistryUrl
		switch {
		case check.IsToken(u):
			c.url = u
		case up == UpstreamAzure && !azureURLPattern.MatchString(u):
			p.Add(field+"UpstreamRegistryUrl", u, "must be an Azure Container Registry's host name, <name>.azurecr.io, without https://")
		case up == UpstreamECR && !ecrURLPattern.MatchString(u):
			p.Add(field+"UpstreamRegistryUrl", u, "must be an ECR registry's host name, <account>.dkr.ecr.<region>.amazonaws.com, without https://")
		case c.url != "" && u != c.url:
			p.Add(field+"UpstreamRegistryUrl", u, fmt.Sprintf("must be %s for upstream %s, or be left out", c.url, up))
		default:
			c.url = u
		}
	} else if known && c.url == "" {
		p.Add(field+"UpstreamRegistryUrl", nil, fmt.Sprintf("is required for upstream %s", up))
	}
	if props.UpstreamRepositoryPrefix != nil {
		u := *props.UpstreamRepositoryPrefix
		checkCachePrefix(field+"UpstreamRepositoryPrefix", u, p)
		if c.prefix == RootPrefix && u != RootPrefix {
			p.Add(field+"UpstreamRepositoryPrefix", u, "can only be set when EcrRepositoryPrefix is not ROOT")
		}
	}
	credential, credentialField := oneOf(field, "CredentialArn", props.CredentialArn, "Credential", props.Credential != nil, func() *string { return props.Credential.SecretArn() }, pl, p)
	switch {
	case credential == nil && known && up.needsCredentials():
		p.Add(field+"CredentialArn", nil, fmt.Sprintf("is required for upstream %s: a Secrets Manager secret named ecr-pullthroughcache/..., or give Credential", up))
	case credential != nil && known && !up.needsCredentials():
		p.Add(field+credentialField, *credential, fmt.Sprintf("upstream %s takes no credentials", up))
	case credential != nil:
		a := *credential
		switch {
		case check.IsToken(a):
		case len(a) < minCredentialLength || len(a) > maxCredentialLength:
			p.Add(field+credentialField, a, fmt.Sprintf("must be %d to %d characters long, not %d", minCredentialLength, maxCredentialLength, len(a)))
		case !credentialPattern.MatchString(a):
			p.Add(field+credentialField, a, `must be the ARN of a Secrets Manager secret whose name starts with "ecr-pullthroughcache/", matching `+credentialPattern.String())
		default:
			// ECR reads the secret in the rule's own account and Region
			// (the ECR User Guide, "Storing your upstream repository
			// credentials in an AWS Secrets Manager secret").
			pl.checkArnPlace(field+credentialField, a, arnSecret, p)
		}
	}
	role, roleField := oneOf(field, "CustomRoleArn", props.CustomRoleArn, "CustomRole", props.CustomRole != nil, func() *string { return props.CustomRole.RoleArn() }, pl, p)
	if role != nil {
		r := *role
		switch {
		case up != UpstreamECR:
			p.Add(field+roleField, r, "only applies to upstream ecr")
		case check.IsToken(r):
		default:
			if parsed, ok := check.ParseIAMPrincipal(r); !ok || parsed.Kind != check.IAMRole || parsed.HasPath() || len(r) > maxRoleArnLength {
				p.Add(field+roleField, r, "must be an IAM role ARN without a path, arn:<partition>:iam::<account>:role/<name>")
			} else {
				pl.checkArnPlace(field+roleField, r, arnRole, p)
			}
		}
	}
	c.credentialArn, c.roleArn = credential, role
	switch {
	case props.NoCreationTemplate != nil && *props.NoCreationTemplate && props.CreationTemplate != nil:
		p.Add(field+"NoCreationTemplate", true, "can't be combined with CreationTemplate")
	case c.prefix == RootPrefix && props.CreationTemplate != nil:
		p.Add(field+"CreationTemplate", nil, "doesn't apply to a ROOT rule: its repositories get the registry's ROOT template (Props.RootTemplate)")
	case props.NoCreationTemplate != nil && *props.NoCreationTemplate, c.prefix == RootPrefix, !prefixOK:
		// No template: none asked for, the ROOT template applies, or the
		// prefix is already reported.
	default:
		in := RepositoryCreationTemplateProps{}
		if props.CreationTemplate != nil {
			in = *props.CreationTemplate
			if in.Prefix != nil {
				p.Add(field+"CreationTemplate.Prefix", *in.Prefix, "must be nil: the rule's EcrRepositoryPrefix is the template's prefix")
			}
			if in.AppliedFor != nil {
				p.Add(field+"CreationTemplate.AppliedFor", fmt.Sprint(in.AppliedFor), "must be nil: the rule's template applies to PULL_THROUGH_CACHE")
			}
		}
		in.Prefix = jsii.String(strings.TrimSuffix(c.prefix, "/"))
		in.AppliedFor = []AppliedFor{AppliedForPullThroughCache}
		var t templateChecked
		p.Nested(field+"CreationTemplate.", func(q *validation.Collector) { t = checkTemplateProps(&in, pl, q) })
		c.template, c.templateIn = &t, &in
	}
	return c
}

// checkCachePrefix records a cache prefix the schema refuses, and reports
// whether it is valid.
func checkCachePrefix(field, prefix string, p *validation.Collector) bool {
	switch {
	case check.IsToken(prefix):
	case prefix == RootPrefix:
	case len(prefix) < minCachePrefixLength || len(prefix) > maxCachePrefixLength:
		p.Add(field, prefix, fmt.Sprintf("must be %d to %d characters long, not %d", minCachePrefixLength, maxCachePrefixLength, len(prefix)))
		return false
	case !cachePrefixPattern.MatchString(prefix):
		p.Add(field, prefix, "must be ROOT or lowercase letters and digits in groups separated by . _ __ - or /, matching "+cachePrefixPattern.String())
		return false
	}
	return true
}

// newCacheRule builds a rule from checked props.
func newCacheRule(scope constructs.Construct, id *string, props *PullThroughCacheRuleProps, c cacheChecked) *jsiiProxy_pullThroughCacheRule {
	r := &jsiiProxy_pullThroughCacheRule{prefix: c.prefix, url: c.url}
	constructs.NewConstruct_Override(r, scope, id)
	cfnProps := &awsecr.CfnPullThroughCacheRuleProps{
		EcrRepositoryPrefix:      jsii.String(props.EcrRepositoryPrefix),
		UpstreamRegistry:         jsii.String(string(props.Upstream)),
		UpstreamRegistryUrl:      jsii.String(c.url),
		UpstreamRepositoryPrefix: props.UpstreamRepositoryPrefix,
		CredentialArn:            c.credentialArn,
		CustomRoleArn:            c.roleArn,
	}
	if props.Upstream == UpstreamECR && c.roleArn == nil {
		r.role = cacheRole(r, c, props.UpstreamRepositoryPrefix)
		cfnProps.CustomRoleArn = r.role.RoleArn()
	}
	r.cfn = awsecr.NewCfnPullThroughCacheRule(r, jsii.String("Resource"), cfnProps)
	if c.template != nil {
		r.template = newTemplate(r, jsii.String("Template"), c.templateIn, *c.template)
		r.tagged = len(c.templateIn.Tags) > 0
	}
	return r
}

// cacheRole makes the role ECR assumes to pull from another ECR registry.
func cacheRole(scope constructs.Construct, c cacheChecked, upstreamPrefix *string) awsiam.Role {
	role := awsiam.NewRole(scope, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("pullthroughcache.ecr.amazonaws.com"), nil),
		Description: jsii.String("Lets the Amazon ECR pull-through cache " + c.prefix + " pull from " + c.url),
	})
	upstream := "*"
	if m := ecrURLPattern.FindStringSubmatch(c.url); m != nil {
		repos := "*"
		if upstreamPrefix != nil && *upstreamPrefix != RootPrefix {
			repos = strings.TrimSuffix(*upstreamPrefix, "/") + "/*"
		}
		upstream = repositoriesArn(m[2], m[1], repos)
	}
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "ecr:BatchImportUpstreamImage", "ecr:GetImageCopyStatus"),
		Resources: jsii.Strings(upstream),
	}))
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchImportUpstreamImage"),
		Resources: jsii.Strings(prefixRepositoriesArn(c.prefix)),
	}))
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("ecr:GetAuthorizationToken"),
		Resources: jsii.Strings("*"),
	}))
	nag.Suppress(role, nag.Suppression{ID: "AwsSolutions-IAM5",
		Reason: "The cache copies any image under its prefix " + c.prefix + " from the upstream registry, and ecr:GetAuthorizationToken has no resource to scope it to"})
	return role
}

// EcrRepositoryPrefix implements PullThroughCacheRule.
func (r *jsiiProxy_pullThroughCacheRule) EcrRepositoryPrefix() string { return r.prefix }

// UpstreamRegistryUrl implements PullThroughCacheRule.
//
//lint:ignore ST1003 named after the props' field, CloudFormation's UpstreamRegistryUrl
func (r *jsiiProxy_pullThroughCacheRule) UpstreamRegistryUrl() string { return r.url }

// CreationTemplate implements PullThroughCacheRule.
func (r *jsiiProxy_pullThroughCacheRule) CreationTemplate() RepositoryCreationTemplate {
	return r.template
}

// Role implements PullThroughCacheRule.
func (r *jsiiProxy_pullThroughCacheRule) Role() awsiam.IRole { return r.role }

// Resource implements PullThroughCacheRule.
func (r *jsiiProxy_pullThroughCacheRule) Resource() awsecr.CfnPullThroughCacheRule { return r.cfn }

// GrantPull implements PullThroughCacheRule.
func (r *jsiiProxy_pullThroughCacheRule) GrantPull(grantee awsiam.IGrantable) awsiam.Grant {
	p := &validation.Collector{Package: "registry", Path: *r.Node().Path()}
	if grantee == nil {
		p.Add("GrantPull", nil, "needs a grantee")
	}
	p.PanicIfAny()
	actions := slices.Concat(check.PullActions, []string{"ecr:BatchImportUpstreamImage", "ecr:CreateRepository"})
	if r.tagged || r.template == nil {
		// The rule's own template tags, or another template (ROOT, or
		// one by prefix) configures its repositories and may.
		actions = append(actions, "ecr:TagResource")
	}
	grant := awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings(actions...),
		ResourceArns: jsii.Strings(prefixRepositoriesArn(r.prefix)),
	})
	return grant.Combine(awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings("ecr:GetAuthorizationToken"),
		ResourceArns: jsii.Strings("*"),
	}))
}
