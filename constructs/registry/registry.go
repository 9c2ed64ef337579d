package registry

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/internal/check"
)

// Props describes the baseline of an account's registry in one
// Region. nil props, or the zero value, give the secure baseline: basic scan
// on push for every repository, and a ROOT repository creation template
// with the defaults of [NewRepository] for the repositories ECR creates
// itself. The props are plain data (no constructs), so the same value can
// describe the baseline of many accounts.
//
// Scanning, replication, the registry policy and signing are singletons of
// an account and Region: declare them in one stack per account and Region.
type Props struct {
	// Scanning configures the registry's scanning, which overrides every
	// repository's own scan-on-push setting. See [ScanningProps] for the
	// cost of enhanced scanning and what deleting it does.
	// Default: BASIC, scan on push, for every repository ("*"): free, and
	// Security Hub ECR.1 for repositories no stack declares.
	Scanning *ScanningProps

	// NoScanning leaves the registry's scanning configuration alone (to
	// another stack or the console). Can't be combined with Scanning.
	// Default: false.
	NoScanning *bool

	// RootTemplate is the ROOT repository creation template, applied to the
	// repositories replication, pull-through cache and create-on-push make
	// that no more specific template matches. Its Prefix must be nil or
	// "ROOT".
	// Default: the defaults of [RepositoryCreationTemplateProps] (those of
	// NewRepository): immutable tags, KMS, lifecycle.DefaultRules(), for
	// REPLICATION, PULL_THROUGH_CACHE and CREATE_ON_PUSH.
	RootTemplate *RepositoryCreationTemplateProps

	// NoRootTemplate makes no ROOT template. Can't be combined with
	// RootTemplate.
	// Default: false.
	NoRootTemplate *bool

	// CreationTemplates are more templates, by prefix, each with the same
	// settings and defaults as RootTemplate (a Prefix is required).
	// Default: none.
	CreationTemplates []RepositoryCreationTemplateProps

	// PullThroughCacheRules are the registry's pull-through cache rules (at
	// most 50 per registry); each gets a creation template for its prefix
	// unless it says otherwise. See [PullThroughCacheRuleProps] for the
	// tag mutability of cached repositories.
	// Default: none.
	PullThroughCacheRules []PullThroughCacheRuleProps

	// ReplicationRules replicate images to other Regions and accounts: at
	// most 10 rules and 25 unique destinations. Replication is a singleton:
	// CloudFormation's create fails when the registry already has rules.
	// Default: no replication configuration.
	ReplicationRules []ReplicationRule

	// ReplicationSourceAccounts are the accounts allowed to replicate into
	// this registry, through the registry policy (ecr:ReplicateImage and
	// ecr:CreateRepository).
	// Default: none, no registry policy.
	ReplicationSourceAccounts []string

	// ReplicationSourceOrganization lets every account of an AWS
	// Organization replicate into this registry, for a central account that
	// receives the images of all the organization's accounts (see package
	// organization): a registry policy statement with the "*" principal, a
	// StringEquals aws:PrincipalOrgID condition, and ecr:ReplicateImage and
	// ecr:CreateRepository on the repositories of its RepositoryPrefixes.
	// AWS documents registry policies for replication with account
	// principals only; aws:PrincipalOrgID is IAM's global condition key for
	// the organization of the calling principal, which AWS doesn't document
	// for replication: verify it in a test account, or list the accounts in
	// ReplicationSourceAccounts, which AWS documents.
	// Default: none.
	ReplicationSourceOrganization *OrganizationReplicationSource

	// SigningRules sign the images pushed to some repositories with AWS
	// Signer profiles (managed signing): at most 10 rules.
	// Default: no signing configuration.
	SigningRules []SigningRule

	// PullTimeUpdateExclusions are IAM role or user ARNs whose pulls don't
	// update an image's last recorded pull time, so a scanner's pulls don't
	// keep images alive for lifecycle rules counting sinceImagePulled
	// (lifecycle.ArchiveNotPulledForDays). Amazon Inspector's pulls never
	// do. At most 100 per account.
	// Default: none.
	PullTimeUpdateExclusions []string
}

// Registry is the registry-wide configuration of an account and Region:
// scanning, creation templates, pull-through cache, replication, the
// registry policy, signing and pull-time update exclusions. One per stack.
type Registry interface {
	constructs.IConstruct
	// ScanningConfiguration returns the scanning resource, or nil with
	// NoScanning.
	ScanningConfiguration() awsecr.CfnRegistryScanningConfiguration
	// RootTemplate returns the ROOT creation template, or nil with
	// NoRootTemplate.
	RootTemplate() RepositoryCreationTemplate
	// Policy returns the registry policy, made on first use.
	Policy() Policy
	// AddRepositoryCreationTemplate adds a creation template (Prefix
	// required). It panics with [Errors] for invalid props.
	AddRepositoryCreationTemplate(id *string, props *RepositoryCreationTemplateProps) RepositoryCreationTemplate
	// AddPullThroughCacheRule adds a pull-through cache rule (with its
	// creation template). It panics with [Errors] for invalid props, a
	// prefix already cached, or a 51st rule.
	AddPullThroughCacheRule(id *string, props *PullThroughCacheRuleProps) PullThroughCacheRule
	// AddReplicationRules adds replication rules, checked against ECR's
	// limits with those already there. It panics with [Errors].
	AddReplicationRules(rules ...ReplicationRule)
	// AllowReplicationFrom lets accounts replicate into this registry,
	// through the registry policy. It panics with [Errors] for an empty
	// list or an invalid account ID.
	AllowReplicationFrom(accounts ...string)
	// AddSigningRules adds managed signing rules. It panics with [Errors].
	AddSigningRules(rules ...SigningRule)
	// GrantSignOnPush lets a principal that pushes images (granted ECR push
	// elsewhere, e.g. Repository.GrantPush) have them signed on push:
	// signer:SignPayload on the signing rules' profiles. It panics with
	// [Errors] when the registry has no signing rules.
	GrantSignOnPush(grantee awsiam.IGrantable) awsiam.Grant
	// AddPullTimeUpdateExclusion excludes an IAM role or user's pulls from
	// the last recorded pull time. It panics with [Errors] for an invalid
	// ARN or one already excluded.
	AddPullTimeUpdateExclusion(principalArn string) awsecr.CfnPullTimeUpdateExclusion
}

type jsiiProxy_registry struct {
	constructs.Construct
	stack       awscdk.Stack
	account     string
	region      string
	scanning    awsecr.CfnRegistryScanningConfiguration
	root        RepositoryCreationTemplate
	policy      *jsiiProxy_registryPolicy
	replication []ReplicationRule
	repl        awsecr.CfnReplicationConfiguration
	signing     []SigningRule
	sign        awsecr.CfnSigningConfiguration
	cachePrefix []string
	prefixes    []string // prefixes with a creation template
	excluded    []string
	ids         map[string]int // ids the registry derived from prefixes and ARNs
}

// Limits of pull-through cache rules and pull-time update exclusions.
const (
	maxCacheRules = 50
	maxExclusions = 100
	maxPrincipal  = 200
)

// exclusionPrincipalPattern is an IAM role or user ARN.
var exclusionPrincipalPattern = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:iam::\d{12}:(role|user)/[\w+=,.@/-]+$`)

// New creates the registry baseline of the stack's account and
// Region; nil props give the secure baseline (see [Props]). A stack
// holds at most one Registry, since its parts are singletons of the
// account and Region.
//
// Invalid props, and a second Registry in the stack, are refused before
// anything is added to the tree: New panics with [Errors], one line
// per problem naming the construct path, the field, the value and the rule.
func New(scope constructs.Construct, id *string, props *Props) Registry {
	if props == nil {
		props = &Props{}
	}
	p := childProblems(scope, id)
	var stack awscdk.Stack
	account, region := "", ""
	secondRegistry := false           // the prefixes of a second registry are moot
	if scope != nil && p.Len() == 0 { // a scope outside a stack is already reported
		stack = awscdk.Stack_Of(scope)
		account, region = *stack.Account(), *stack.Region()
		before := p.Len()
		checkSingleton(stack, "Registry", p)
		secondRegistry = p.Len() > before
		if len(props.ReplicationSourceAccounts) > 0 || props.ReplicationSourceOrganization != nil {
			checkSingleton(stack, "AWS::ECR::RegistryPolicy", p)
		}
	}

	var scan scanning
	if props.NoScanning != nil && *props.NoScanning {
		if props.Scanning != nil {
			p.Add("NoScanning", true, "can't be combined with Scanning")
		}
	} else {
		scan = checkScanning(props.Scanning, "Scanning", p)
	}

	var root *templateChecked
	switch {
	case props.NoRootTemplate != nil && *props.NoRootTemplate:
		if props.RootTemplate != nil {
			p.Add("NoRootTemplate", true, "can't be combined with RootTemplate")
		}
	default:
		if props.RootTemplate != nil && props.RootTemplate.Prefix != nil && *props.RootTemplate.Prefix != RootPrefix {
			p.Add("RootTemplate.Prefix", *props.RootTemplate.Prefix, "must be nil or ROOT; add templates for other prefixes to CreationTemplates")
		}
		var t templateChecked
		nested(p, "RootTemplate.", func(q *problems) { t = checkTemplateProps(props.RootTemplate, q) })
		root = &t
	}

	prefixes := []string{}
	if root != nil {
		prefixes = append(prefixes, RootPrefix)
	}
	templates := make([]templateChecked, len(props.CreationTemplates))
	for i := range props.CreationTemplates {
		tp := &props.CreationTemplates[i]
		field := "CreationTemplates[" + strconv.Itoa(i) + "]"
		if tp.Prefix == nil {
			p.Add(field+".Prefix", nil, "is required: the ROOT template is RootTemplate")
		}
		nested(p, field+".", func(q *problems) { templates[i] = checkTemplateProps(tp, q) })
		if tp.Prefix != nil && slices.Contains(prefixes, templates[i].prefix) {
			p.Add(field+".Prefix", templates[i].prefix, "already has a creation template; one template per prefix")
		}
		prefixes = append(prefixes, templates[i].prefix)
	}

	caches := make([]cacheChecked, len(props.PullThroughCacheRules))
	var cachePrefixes []string
	if n := len(props.PullThroughCacheRules); n > maxCacheRules {
		p.Add("PullThroughCacheRules", fmt.Sprintf("(%d rules)", n), fmt.Sprintf("a registry takes at most %d pull-through cache rules", maxCacheRules))
	}
	for i := range props.PullThroughCacheRules {
		field := "PullThroughCacheRules[" + strconv.Itoa(i) + "]."
		caches[i] = checkCacheRule(&props.PullThroughCacheRules[i], field, p)
		duplicate := slices.Contains(cachePrefixes, trimSlash(caches[i].prefix)) // "quay/" is "quay"
		if duplicate {
			p.Add(field+"EcrRepositoryPrefix", caches[i].prefix, "is already the prefix of another rule")
		}
		cachePrefixes = append(cachePrefixes, trimSlash(caches[i].prefix))
		if caches[i].template != nil {
			if !duplicate && slices.Contains(prefixes, caches[i].template.prefix) {
				p.Add(field+"EcrRepositoryPrefix", caches[i].prefix, "already has a creation template in CreationTemplates; set NoCreationTemplate on the rule")
			}
			prefixes = append(prefixes, caches[i].template.prefix)
		}
	}

	if props.RootTemplate != nil {
		checkKeyArnRegion("RootTemplate.EncryptionKeyArn", props.RootTemplate.EncryptionKeyArn, region, p)
	}
	for i := range props.CreationTemplates {
		checkKeyArnRegion("CreationTemplates["+strconv.Itoa(i)+"].EncryptionKeyArn", props.CreationTemplates[i].EncryptionKeyArn, region, p)
	}
	for i, c := range props.PullThroughCacheRules {
		if c.CreationTemplate != nil {
			checkKeyArnRegion("PullThroughCacheRules["+strconv.Itoa(i)+"].CreationTemplate.EncryptionKeyArn", c.CreationTemplate.EncryptionKeyArn, region, p)
		}
	}
	if root == nil && slices.Contains(cachePrefixes, RootPrefix) {
		p.Add("NoRootTemplate", true, "leaves the ROOT pull-through cache rule's repositories with ECR's defaults (mutable tags, AES256, no lifecycle policy); keep the ROOT template")
	}
	checkReplication("ReplicationRules", 0, props.ReplicationRules, props.ReplicationRules, account, region, p)
	if props.ReplicationSourceAccounts != nil {
		checkSourceAccounts("ReplicationSourceAccounts", props.ReplicationSourceAccounts, p)
	}
	if o := props.ReplicationSourceOrganization; o != nil {
		checkOrganizationSource("ReplicationSourceOrganization.", o, p)
	}
	checkSigning("SigningRules", 0, len(props.SigningRules), props.SigningRules, p)
	checkExclusions("PullTimeUpdateExclusions", nil, props.PullTimeUpdateExclusions, p)
	if !secondRegistry {
		for _, prefix := range prefixes {
			checkPrefix(stack, templateKind, "CreationTemplates", prefix, p)
		}
		for _, prefix := range cachePrefixes {
			checkPrefix(stack, cacheKind, "PullThroughCacheRules", prefix, p)
		}
	}
	p.PanicIfAny()

	claimSingleton(stack, "Registry", p.Path)
	for _, prefix := range prefixes {
		claimPrefix(stack, templateKind, prefix, p.Path)
	}
	for _, prefix := range cachePrefixes {
		claimPrefix(stack, cacheKind, prefix, p.Path)
	}
	r := &jsiiProxy_registry{stack: stack, account: account, region: region}
	constructs.NewConstruct_Override(r, scope, id)
	if props.NoScanning == nil || !*props.NoScanning {
		r.scanning = awsecr.NewCfnRegistryScanningConfiguration(r, jsii.String("Scanning"), scan.cfnProps())
	}
	if root != nil {
		r.root = newTemplate(r, jsii.String("RootTemplate"), props.RootTemplate, *root)
	}
	for i := range props.CreationTemplates {
		newTemplate(r, r.childID("Template-"+idPart(templates[i].prefix)), &props.CreationTemplates[i], templates[i])
	}
	for i := range props.PullThroughCacheRules {
		newCacheRule(r, r.childID("PullThroughCache-"+idPart(caches[i].prefix)), &props.PullThroughCacheRules[i], caches[i])
	}
	r.cachePrefix, r.prefixes = cachePrefixes, prefixes
	if len(props.ReplicationRules) > 0 {
		r.AddReplicationRules(props.ReplicationRules...)
	}
	if len(props.ReplicationSourceAccounts) > 0 {
		r.AllowReplicationFrom(props.ReplicationSourceAccounts...)
	}
	if o := props.ReplicationSourceOrganization; o != nil {
		r.Policy().AllowReplicationFromOrganization(o)
	}
	if len(props.SigningRules) > 0 {
		r.AddSigningRules(props.SigningRules...)
	}
	for _, a := range props.PullTimeUpdateExclusions {
		r.AddPullTimeUpdateExclusion(a)
	}
	return r
}

// idPart turns a prefix or ARN into a construct id part: letters, digits
// and "-".
func idPart(s string) string {
	if check.IsToken(s) {
		return "Token"
	}
	return nonIDChars.ReplaceAllString(s, "-")
}

var nonIDChars = regexp.MustCompile(`[^A-Za-z0-9-]+`)

// childID returns base as the id of a child the registry names after a
// prefix or an ARN, or base with a number when another prefix or ARN already
// gave the same id ("a.b" and "a-b", two tokens).
func (r *jsiiProxy_registry) childID(base string) *string {
	if r.ids == nil {
		r.ids = map[string]int{}
	}
	r.ids[base]++
	if n := r.ids[base]; n > 1 {
		return jsii.String(base + "-" + strconv.Itoa(n))
	}
	return jsii.String(base)
}

// ScanningConfiguration implements Registry.
func (r *jsiiProxy_registry) ScanningConfiguration() awsecr.CfnRegistryScanningConfiguration {
	return r.scanning
}

// RootTemplate implements Registry.
func (r *jsiiProxy_registry) RootTemplate() RepositoryCreationTemplate { return r.root }

// Policy implements Registry.
func (r *jsiiProxy_registry) Policy() Policy {
	if r.policy == nil {
		p := newProblems(*r.Node().Path())
		checkSingleton(r.stack, "AWS::ECR::RegistryPolicy", p)
		p.PanicIfAny()
		r.policy = newRegistryPolicy(r, jsii.String("Policy"), nil)
		claimSingleton(r.stack, "AWS::ECR::RegistryPolicy", *r.policy.Node().Path())
	}
	return r.policy
}

// AddRepositoryCreationTemplate implements Registry.
func (r *jsiiProxy_registry) AddRepositoryCreationTemplate(id *string, props *RepositoryCreationTemplateProps) RepositoryCreationTemplate {
	p := childProblems(r, id)
	if props == nil || props.Prefix == nil {
		p.Add("Prefix", nil, "is required: the ROOT template is Props.RootTemplate")
	}
	t := checkTemplateProps(props, p)
	if slices.Contains(r.prefixes, t.prefix) {
		p.Add("Prefix", t.prefix, "already has a creation template in the registry")
	} else {
		checkPrefix(r.stack, templateKind, "Prefix", t.prefix, p)
	}
	p.PanicIfAny()
	r.prefixes = append(r.prefixes, t.prefix)
	claimPrefix(r.stack, templateKind, t.prefix, p.Path)
	return newTemplate(r, id, props, t)
}

// AddPullThroughCacheRule implements Registry.
func (r *jsiiProxy_registry) AddPullThroughCacheRule(id *string, props *PullThroughCacheRuleProps) PullThroughCacheRule {
	p := childProblems(r, id)
	c := checkCacheRule(props, "", p)
	duplicate := slices.Contains(r.cachePrefix, trimSlash(c.prefix))
	if duplicate {
		p.Add("EcrRepositoryPrefix", c.prefix, "is already the prefix of another rule")
	}
	if len(r.cachePrefix) >= maxCacheRules {
		p.Add("AddPullThroughCacheRule", nil, fmt.Sprintf("a registry takes at most %d pull-through cache rules", maxCacheRules))
	}
	if !duplicate && c.template != nil && slices.Contains(r.prefixes, c.template.prefix) {
		p.Add("EcrRepositoryPrefix", c.prefix, "already has a creation template; set NoCreationTemplate on the rule")
	}
	if !duplicate {
		checkPrefix(r.stack, cacheKind, "EcrRepositoryPrefix", c.prefix, p)
	}
	p.PanicIfAny()
	r.cachePrefix = append(r.cachePrefix, trimSlash(c.prefix))
	claimPrefix(r.stack, cacheKind, c.prefix, p.Path)
	if c.template != nil {
		r.prefixes = append(r.prefixes, c.template.prefix)
		claimPrefix(r.stack, templateKind, c.template.prefix, p.Path)
	}
	return newCacheRule(r, id, props, c)
}

// AddReplicationRules implements Registry.
func (r *jsiiProxy_registry) AddReplicationRules(rules ...ReplicationRule) {
	p := newProblems(*r.Node().Path())
	all := slices.Concat(r.replication, rules)
	checkReplication("ReplicationRules", len(r.replication), all, rules, r.account, r.region, p)
	p.PanicIfAny()
	r.replication = all
	props := replicationProps(all, r.account)
	if r.repl == nil {
		r.repl = awsecr.NewCfnReplicationConfiguration(r, jsii.String("Replication"), props)
		return
	}
	r.repl.SetReplicationConfiguration(props.ReplicationConfiguration)
}

// AllowReplicationFrom implements Registry.
func (r *jsiiProxy_registry) AllowReplicationFrom(accounts ...string) {
	p := newProblems(*r.Node().Path())
	checkSourceAccounts("AllowReplicationFrom", accounts, p)
	p.PanicIfAny()
	r.Policy().AllowReplicationFrom(accounts...)
}

// AddSigningRules implements Registry.
func (r *jsiiProxy_registry) AddSigningRules(rules ...SigningRule) {
	p := newProblems(*r.Node().Path())
	checkSigning("SigningRules", len(r.signing), len(r.signing)+len(rules), rules, p)
	p.PanicIfAny()
	r.signing = slices.Concat(r.signing, rules)
	props := signingProps(r.signing)
	if r.sign == nil {
		r.sign = awsecr.NewCfnSigningConfiguration(r, jsii.String("Signing"), props)
		return
	}
	r.sign.SetRules(props.Rules)
}

// GrantSignOnPush implements Registry.
func (r *jsiiProxy_registry) GrantSignOnPush(grantee awsiam.IGrantable) awsiam.Grant {
	p := newProblems(*r.Node().Path())
	if len(r.signing) == 0 {
		p.Add("GrantSignOnPush", nil, "the registry has no signing rules; add them with SigningRules or AddSigningRules first")
	}
	if grantee == nil {
		p.Add("GrantSignOnPush", nil, "needs a grantee")
	}
	p.PanicIfAny()
	var profiles []string
	for _, s := range r.signing {
		profiles = append(profiles, s.SigningProfileArn)
	}
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings("signer:SignPayload"),
		ResourceArns: jsii.Strings(check.Unique(profiles)...),
	})
}

// AddPullTimeUpdateExclusion implements Registry.
func (r *jsiiProxy_registry) AddPullTimeUpdateExclusion(principalArn string) awsecr.CfnPullTimeUpdateExclusion {
	p := newProblems(*r.Node().Path())
	checkExclusions("AddPullTimeUpdateExclusion", r.excluded, []string{principalArn}, p)
	p.PanicIfAny()
	r.excluded = append(r.excluded, principalArn)
	base := "PullTimeUpdateExclusion-" + idPart(principalArn)
	if check.IsToken(principalArn) {
		base = "PullTimeUpdateExclusion" + strconv.Itoa(len(r.excluded))
	}
	id := r.childID(base)
	return awsecr.NewCfnPullTimeUpdateExclusion(r, id, &awsecr.CfnPullTimeUpdateExclusionProps{PrincipalArn: jsii.String(principalArn)})
}

// checkExclusions records invalid or repeated principals.
func checkExclusions(field string, existing, principals []string, p *problems) {
	if n := len(existing) + len(principals); n > maxExclusions {
		p.Add(field, fmt.Sprintf("(%d principals)", n), fmt.Sprintf("an account takes at most %d pull-time update exclusions", maxExclusions))
	}
	for i, a := range principals {
		f := field
		if existing == nil {
			f += "[" + strconv.Itoa(i) + "]"
		}
		switch {
		case check.IsToken(a):
		case len(a) > maxPrincipal || !exclusionPrincipalPattern.MatchString(a):
			p.Add(f, a, "must be an IAM role or user ARN, arn:<partition>:iam::<account>:role/<name>, at most 200 characters")
		case slices.Contains(existing, a) || slices.Index(principals, a) < i:
			p.Add(f, a, "is already excluded")
		}
	}
}
