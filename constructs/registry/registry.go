package registry

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/appcheck"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/construct"
)

// Props describes the baseline of an account's registry in one
// Region. nil props, or the zero value, give the secure baseline: basic scan
// on push for every repository, and a ROOT repository creation template
// with the defaults of ecr.NewRepository for the repositories ECR creates
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
//
// A Registry holds several CloudFormation resources, none of them its main
// one, so it has no Resource(): each singleton has an accessor named after
// its resource type, returning the L1 (the escape hatch) or nil when the
// registry has none yet ([Registry.ScanningConfiguration],
// [Registry.ReplicationConfiguration], [Registry.SigningConfiguration]);
// the children that are constructs of their own have Resource()
// ([Policy], [RepositoryCreationTemplate], [PullThroughCacheRule]).
type Registry interface {
	constructs.Construct
	// ScanningConfiguration returns the AWS::ECR::RegistryScanningConfiguration
	// resource, or nil with NoScanning.
	ScanningConfiguration() awsecr.CfnRegistryScanningConfiguration
	// ReplicationConfiguration returns the AWS::ECR::ReplicationConfiguration
	// resource, or nil while the registry has no replication rules.
	ReplicationConfiguration() awsecr.CfnReplicationConfiguration
	// SigningConfiguration returns the AWS::ECR::SigningConfiguration
	// resource, or nil while the registry has no signing rules.
	SigningConfiguration() awsecr.CfnSigningConfiguration
	// RootTemplate returns the ROOT creation template, or nil with
	// NoRootTemplate.
	RootTemplate() RepositoryCreationTemplate
	// Policy returns the registry policy, made on first use.
	Policy() Policy
	// AddRepositoryCreationTemplate adds a creation template (Prefix
	// required). It panics with [validation.Errors] for invalid props.
	AddRepositoryCreationTemplate(id *string, props *RepositoryCreationTemplateProps) RepositoryCreationTemplate
	// AddPullThroughCacheRule adds a pull-through cache rule (with its
	// creation template). It panics with [validation.Errors] for invalid
	// props, a prefix already cached, or a 51st rule.
	AddPullThroughCacheRule(id *string, props *PullThroughCacheRuleProps) PullThroughCacheRule
	// AddReplicationRules adds replication rules, checked against ECR's
	// limits with those already there. It panics with [validation.Errors].
	AddReplicationRules(rules ...ReplicationRule)
	// AllowReplicationFrom lets accounts replicate into this registry,
	// through the registry policy. It panics with [validation.Errors] for an
	// empty list or an invalid account ID.
	AllowReplicationFrom(accounts ...string)
	// AddSigningRules adds managed signing rules. It panics with
	// [validation.Errors].
	AddSigningRules(rules ...SigningRule)
	// GrantSignOnPush lets a principal that pushes images (granted ECR push
	// elsewhere, e.g. Repository.GrantPush) have them signed on push:
	// signer:SignPayload on the signing rules' profiles. It panics with
	// [validation.Errors] when the registry has no signing rules.
	GrantSignOnPush(grantee awsiam.IGrantable) awsiam.Grant
	// AddPullTimeUpdateExclusion excludes an IAM role or user's pulls from
	// the last recorded pull time. It panics with [validation.Errors] for an
	// invalid ARN or one already excluded.
	AddPullTimeUpdateExclusion(principalArn string) awsecr.CfnPullTimeUpdateExclusion
}

//lint:ignore ST1003 the jsiiProxy_ prefix makes jsii-runtime-go skip its interface discovery (see jsiiProxy_repository in package ecr; pinned by TestJsiiProxyNames)
type jsiiProxy_registry struct {
	constructs.Construct
	account  string // the stack's, maybe a token
	region   string // the stack's, maybe a token
	place    place
	scanning awsecr.CfnRegistryScanningConfiguration
	root     RepositoryCreationTemplate
	policy   *jsiiProxy_registryPolicy
	repl     awsecr.CfnReplicationConfiguration
	sign     awsecr.CfnSigningConfiguration
	ledger   ledger
	tokens   map[string]int // token children numbered, by kind
}

// Limits of pull-through cache rules and pull-time update exclusions.
const (
	maxCacheRules = 50
	maxExclusions = 100
	maxPrincipal  = 200
)

// New creates the registry baseline of the stack's account and
// Region; nil props give the secure baseline (see [Props]). A stack
// holds at most one Registry, since its parts are singletons of the
// account and Region.
//
// Invalid props are refused before anything is added to the tree: New panics
// with [validation.Errors], one line per problem naming the construct path,
// the field, the value and the rule. A second Registry in the stack, or in a
// stack of the same known account and Region, is refused when the app is
// synthesized (see the package doc).
func New(scope constructs.Construct, id *string, props *Props) Registry {
	if props == nil {
		props = &Props{}
	}
	p := construct.ChildProblems("registry", scope, id)
	var pl place
	account, region := "", ""
	if p.Len() == 0 { // a scope outside a stack is already reported
		stack := awscdk.Stack_Of(scope)
		account, region = *stack.Account(), *stack.Region()
		pl = placeOf(scope)
	}
	c := props.check(pl, account, region, p)
	p.PanicIfAny()

	appcheck.Attach(scope)
	r := &jsiiProxy_registry{account: account, region: region, place: pl, ledger: c.ledger}
	constructs.NewConstruct_Override(r, scope, id)
	if props.NoScanning == nil || !*props.NoScanning {
		r.scanning = awsecr.NewCfnRegistryScanningConfiguration(r, jsii.String("Scanning"), c.scan.cfnProps())
	}
	if c.root != nil {
		r.root = newTemplate(r, jsii.String("RootTemplate"), props.RootTemplate, *c.root)
	}
	for i := range props.CreationTemplates {
		newTemplate(r, r.childID(templateKind, c.templates[i].prefix), &props.CreationTemplates[i], c.templates[i])
	}
	for i := range props.PullThroughCacheRules {
		newCacheRule(r, r.childID(cacheKind, c.caches[i].prefix), &props.PullThroughCacheRules[i], c.caches[i])
	}
	if len(props.ReplicationRules) > 0 {
		r.setReplication(c.ledger.replication)
	}
	if len(props.ReplicationSourceAccounts) > 0 {
		r.registryPolicy().allowAccounts(props.ReplicationSourceAccounts)
	}
	if o := props.ReplicationSourceOrganization; o != nil {
		r.registryPolicy().allowOrganization(o)
	}
	if len(props.SigningRules) > 0 {
		r.setSigning(c.ledger.signing)
	}
	for _, a := range props.PullTimeUpdateExclusions {
		r.newExclusion(a)
	}
	return r
}

// Validate checks the props the way New does, without building anything, and
// returns every problem found as [validation.Errors] (nil when the props are
// valid), for programs that prefer an error to a panic. nil props are valid.
// New also checks what depends on where the registry goes: the scope, the id,
// keys, secrets and roles of another Region, account or partition than the
// stack's, and Regions added by [ExtraRegionsContext]; and, at synthesis,
// what the app declares twice (see package doc).
func (props *Props) Validate() error {
	if props == nil {
		return nil
	}
	p := &validation.Collector{Package: "registry", Path: "Props"}
	props.check(place{}, "", "", p)
	return p.Err()
}

// checked is what check derives from valid props.
type checked struct {
	scan      scanning
	root      *templateChecked
	templates []templateChecked
	caches    []cacheChecked
	ledger    ledger
}

// check records every problem with the props of a registry created at pl
// in the stack of account and region (tokens or "" when unknown). It is
// the one check of the props: each part goes through the ledger as the
// Add… methods would add it to an empty registry.
func (props *Props) check(pl place, account, region string, p *validation.Collector) checked {
	var c checked
	if props.NoScanning != nil && *props.NoScanning {
		if props.Scanning != nil {
			p.Add("NoScanning", true, "can't be combined with Scanning")
		}
	} else {
		c.scan = checkScanning(props.Scanning, "Scanning", p)
	}

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
		p.Nested("RootTemplate.", func(q *validation.Collector) { t = checkTemplateProps(props.RootTemplate, pl, q) })
		c.root = &t
		c.ledger.templates = append(c.ledger.templates, RootPrefix)
	}

	c.templates = make([]templateChecked, len(props.CreationTemplates))
	for i := range props.CreationTemplates {
		c.templates[i] = c.ledger.addTemplate("CreationTemplates["+strconv.Itoa(i)+"].", &props.CreationTemplates[i], pl, p)
	}

	c.caches = make([]cacheChecked, len(props.PullThroughCacheRules))
	checkCacheCount("PullThroughCacheRules", len(props.PullThroughCacheRules), p)
	for i := range props.PullThroughCacheRules {
		c.caches[i] = c.ledger.addCache("PullThroughCacheRules["+strconv.Itoa(i)+"].", &props.PullThroughCacheRules[i], pl, p)
	}
	if c.root == nil && slices.Contains(c.ledger.caches, RootPrefix) {
		p.Add("NoRootTemplate", true, "leaves the ROOT pull-through cache rule's repositories with ECR's defaults (mutable tags, AES256, no lifecycle policy); keep the ROOT template")
	}

	c.ledger.addReplication("ReplicationRules", props.ReplicationRules, account, region, pl, p)
	if props.ReplicationSourceAccounts != nil {
		checkSourceAccounts("ReplicationSourceAccounts", props.ReplicationSourceAccounts, p)
	}
	if o := props.ReplicationSourceOrganization; o != nil {
		checkOrganizationSource("ReplicationSourceOrganization.", o, p)
	}
	c.ledger.addSigning("SigningRules", props.SigningRules, pl, p)
	c.ledger.exclude("PullTimeUpdateExclusions", true, props.PullTimeUpdateExclusions, pl, p)
	return c
}

// ledger is what a registry holds that the next part is checked against:
// the prefixes with a creation template, the pull-through cache rules'
// prefixes, the replication and signing rules, the excluded principals. It
// is the registry's one bookkeeping: check fills it from the props, and
// each Add… method checks its part against a copy of the registry's (see
// [jsiiProxy_registry.record]). Its methods check a part, record it and
// return what building it needs; they make no construct.
type ledger struct {
	templates   []string // prefixes with a creation template
	caches      []string // cache rules' prefixes, without a trailing "/" ("quay/" is "quay")
	replication []ReplicationRule
	signing     []SigningRule
	excluded    []string
}

// clone returns a copy that appending to leaves l as it is.
func (l ledger) clone() ledger {
	return ledger{
		templates:   slices.Clone(l.templates),
		caches:      slices.Clone(l.caches),
		replication: slices.Clone(l.replication),
		signing:     slices.Clone(l.signing),
		excluded:    slices.Clone(l.excluded),
	}
}

// addTemplate checks a creation template other than the ROOT one, whose
// fields field prefixes ("CreationTemplates[0]." or ""), and records its
// prefix.
func (l *ledger) addTemplate(field string, props *RepositoryCreationTemplateProps, pl place, p *validation.Collector) templateChecked {
	given := props != nil && props.Prefix != nil
	if !given {
		p.Add(field+"Prefix", nil, "is required: the ROOT template is Props.RootTemplate")
	}
	var t templateChecked
	p.Nested(field, func(q *validation.Collector) { t = checkTemplateProps(props, pl, q) })
	if given && slices.Contains(l.templates, t.prefix) {
		p.Add(field+"Prefix", t.prefix, "already has a creation template; one template per prefix")
	}
	l.templates = append(l.templates, t.prefix)
	return t
}

// checkCacheCount records more pull-through cache rules (n) than a
// registry takes.
func checkCacheCount(field string, n int, p *validation.Collector) {
	if n > maxCacheRules {
		p.Add(field, fmt.Sprintf("(%d rules)", n), fmt.Sprintf("a registry takes at most %d pull-through cache rules", maxCacheRules))
	}
}

// addCache checks a pull-through cache rule, whose fields field prefixes
// ("PullThroughCacheRules[0]." or ""), and records its prefix and its
// template's.
func (l *ledger) addCache(field string, props *PullThroughCacheRuleProps, pl place, p *validation.Collector) cacheChecked {
	c := checkCacheRule(props, field, pl, p)
	prefix := strings.TrimSuffix(c.prefix, "/")
	duplicate := slices.Contains(l.caches, prefix)
	if duplicate {
		p.Add(field+"EcrRepositoryPrefix", c.prefix, "is already the prefix of another rule")
	}
	l.caches = append(l.caches, prefix)
	if c.template != nil {
		if !duplicate && slices.Contains(l.templates, c.template.prefix) {
			p.Add(field+"EcrRepositoryPrefix", c.prefix, "already has a creation template; set NoCreationTemplate on the rule")
		}
		l.templates = append(l.templates, c.template.prefix)
	}
	return c
}

// addReplication checks replication rules added to those of the ledger and
// records them; account and region are the stack's, possibly tokens.
func (l *ledger) addReplication(field string, rules []ReplicationRule, account, region string, pl place, p *validation.Collector) {
	all := slices.Concat(l.replication, rules)
	checkReplication(field, len(l.replication), all, rules, account, region, pl, p)
	l.replication = all
}

// addSigning checks signing rules added to those of the ledger and records
// them.
func (l *ledger) addSigning(field string, rules []SigningRule, pl place, p *validation.Collector) {
	checkSigning(field, len(l.signing), len(l.signing)+len(rules), rules, pl, p)
	l.signing = slices.Concat(l.signing, rules)
}

// exclude checks principals excluded from pull-time updates and records
// them. The problems of each are under field, numbered when indexed
// ("PullTimeUpdateExclusions[0]"), as it is otherwise (the one principal
// of AddPullTimeUpdateExclusion).
func (l *ledger) exclude(field string, indexed bool, principals []string, pl place, p *validation.Collector) {
	if n := len(l.excluded) + len(principals); n > maxExclusions {
		p.Add(field, fmt.Sprintf("(%d principals)", n), fmt.Sprintf("an account takes at most %d pull-time update exclusions", maxExclusions))
	}
	for i, a := range principals {
		f := field
		if indexed {
			f += "[" + strconv.Itoa(i) + "]"
		}
		principal, ok := check.ParseIAMPrincipal(a)
		switch {
		case check.IsToken(a):
		case len(a) > maxPrincipal || !ok || principal.Kind == check.IAMRoot:
			p.Add(f, a, "must be an IAM role or user ARN, arn:<partition>:iam::<account>:role/<name>, at most 200 characters")
		case slices.Contains(l.excluded, a):
			p.Add(f, a, "is already excluded")
		default:
			pl.checkArnPlace(f, a, arnPrincipal, p)
		}
		l.excluded = append(l.excluded, a)
	}
}

// The ids of the children a registry names after their identity. A
// child's logical id, which CloudFormation keys the resource by, must
// depend on nothing but the child's own identity: never on its position in
// a list or on its siblings. Every property of a pull-through cache rule is
// create-only, and so is a creation template's prefix and an exclusion's
// principal, so a changed id is a replacement, and a replacement with the
// same prefix collides with the resource it replaces.
//
// The construct id is the kind and the identity itself, with "/" (which
// construct ids can't hold) written "|", which neither prefixes nor IAM
// ARNs hold: so two identities never share an id. CDK's logical id keeps
// the letters and digits of the path and adds a hash of the whole path, so
// "a.b" and "a-b" get different logical ids too. A prefix of letters,
// digits and "-" ("docker-hub") keeps the id earlier releases gave it.

// Kinds of the children a registry names.
const (
	templateKind  = "Template"
	cacheKind     = "PullThroughCache"
	exclusionKind = "PullTimeUpdateExclusion"
)

// childID returns the id of the registry's child of kind whose identity is
// a prefix ("/" trimmed) or a principal ARN. An identity that is a token
// has no value to name it by at synthesis: it is numbered among the
// registry's token children of its kind, in the order they are added.
func (r *jsiiProxy_registry) childID(kind, identity string) *string {
	if check.IsToken(identity) {
		if r.tokens == nil {
			r.tokens = map[string]int{}
		}
		r.tokens[kind]++
		return jsii.String(kind + "-Token" + strconv.Itoa(r.tokens[kind]))
	}
	if kind != exclusionKind {
		identity = strings.TrimSuffix(identity, "/")
	}
	return identityID(kind, identity)
}

// identityID returns the construct id kind-identity.
func identityID(kind, identity string) *string {
	return jsii.String(kind + "-" + strings.ReplaceAll(identity, "/", "|"))
}

// ScanningConfiguration implements Registry.
func (r *jsiiProxy_registry) ScanningConfiguration() awsecr.CfnRegistryScanningConfiguration {
	return r.scanning
}

// ReplicationConfiguration implements Registry.
func (r *jsiiProxy_registry) ReplicationConfiguration() awsecr.CfnReplicationConfiguration {
	return r.repl
}

// SigningConfiguration implements Registry.
func (r *jsiiProxy_registry) SigningConfiguration() awsecr.CfnSigningConfiguration {
	return r.sign
}

// RootTemplate implements Registry.
func (r *jsiiProxy_registry) RootTemplate() RepositoryCreationTemplate { return r.root }

// Policy implements Registry.
func (r *jsiiProxy_registry) Policy() Policy { return r.registryPolicy() }

// registryPolicy returns the registry policy, made on first use.
func (r *jsiiProxy_registry) registryPolicy() *jsiiProxy_registryPolicy {
	if r.policy == nil {
		r.policy = newRegistryPolicy(r, jsii.String("Policy"), nil)
	}
	return r.policy
}

// record runs check against a copy of the registry's ledger, panics with
// what it finds, and otherwise keeps the copy: an Add… method's check,
// before it builds.
func (r *jsiiProxy_registry) record(p *validation.Collector, check func(l *ledger)) {
	l := r.ledger.clone()
	check(&l)
	p.PanicIfAny()
	r.ledger = l
}

// AddRepositoryCreationTemplate implements Registry.
func (r *jsiiProxy_registry) AddRepositoryCreationTemplate(id *string, props *RepositoryCreationTemplateProps) RepositoryCreationTemplate {
	p := construct.ChildProblems("registry", r, id)
	var t templateChecked
	r.record(p, func(l *ledger) { t = l.addTemplate("", props, r.place, p) })
	return newTemplate(r, id, props, t)
}

// AddPullThroughCacheRule implements Registry.
func (r *jsiiProxy_registry) AddPullThroughCacheRule(id *string, props *PullThroughCacheRuleProps) PullThroughCacheRule {
	p := construct.ChildProblems("registry", r, id)
	var c cacheChecked
	r.record(p, func(l *ledger) {
		checkCacheCount("AddPullThroughCacheRule", len(l.caches)+1, p)
		c = l.addCache("", props, r.place, p)
	})
	return newCacheRule(r, id, props, c)
}

// AddReplicationRules implements Registry.
func (r *jsiiProxy_registry) AddReplicationRules(rules ...ReplicationRule) {
	p := &validation.Collector{Package: "registry", Path: *r.Node().Path()}
	r.record(p, func(l *ledger) { l.addReplication("ReplicationRules", rules, r.account, r.region, r.place, p) })
	r.setReplication(r.ledger.replication)
}

// setReplication makes the replication configuration hold the checked
// rules, all of the registry's.
func (r *jsiiProxy_registry) setReplication(all []ReplicationRule) {
	props := replicationProps(all, r.account)
	if r.repl == nil {
		r.repl = awsecr.NewCfnReplicationConfiguration(r, jsii.String("Replication"), props)
	} else {
		r.repl.SetReplicationConfiguration(props.ReplicationConfiguration)
	}
	if slices.ContainsFunc(all, func(rule ReplicationRule) bool { return rule.DeleteReplication }) {
		setDeleteReplication(r.repl, all)
	}
}

// AllowReplicationFrom implements Registry.
func (r *jsiiProxy_registry) AllowReplicationFrom(accounts ...string) {
	p := &validation.Collector{Package: "registry", Path: *r.Node().Path()}
	checkSourceAccounts("AllowReplicationFrom", accounts, p)
	p.PanicIfAny()
	r.registryPolicy().allowAccounts(accounts)
}

// AddSigningRules implements Registry.
func (r *jsiiProxy_registry) AddSigningRules(rules ...SigningRule) {
	p := &validation.Collector{Package: "registry", Path: *r.Node().Path()}
	r.record(p, func(l *ledger) { l.addSigning("SigningRules", rules, r.place, p) })
	r.setSigning(r.ledger.signing)
}

// setSigning makes the signing configuration hold the checked rules, all
// of the registry's.
func (r *jsiiProxy_registry) setSigning(all []SigningRule) {
	props := signingProps(all)
	if r.sign == nil {
		r.sign = awsecr.NewCfnSigningConfiguration(r, jsii.String("Signing"), props)
		return
	}
	r.sign.SetRules(props.Rules)
}

// GrantSignOnPush implements Registry.
func (r *jsiiProxy_registry) GrantSignOnPush(grantee awsiam.IGrantable) awsiam.Grant {
	p := &validation.Collector{Package: "registry", Path: *r.Node().Path()}
	if len(r.ledger.signing) == 0 {
		p.Add("GrantSignOnPush", nil, "the registry has no signing rules; add them with SigningRules or AddSigningRules first")
	}
	if grantee == nil {
		p.Add("GrantSignOnPush", nil, "needs a grantee")
	}
	p.PanicIfAny()
	var profiles []string
	for _, s := range r.ledger.signing {
		profiles = append(profiles, *s.profileArn())
	}
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings("signer:SignPayload"),
		ResourceArns: jsii.Strings(check.Unique(profiles)...),
	})
}

// AddPullTimeUpdateExclusion implements Registry.
func (r *jsiiProxy_registry) AddPullTimeUpdateExclusion(principalArn string) awsecr.CfnPullTimeUpdateExclusion {
	p := &validation.Collector{Package: "registry", Path: *r.Node().Path()}
	r.record(p, func(l *ledger) { l.exclude("AddPullTimeUpdateExclusion", false, []string{principalArn}, r.place, p) })
	return r.newExclusion(principalArn)
}

// newExclusion makes the exclusion of a checked principal.
func (r *jsiiProxy_registry) newExclusion(principalArn string) awsecr.CfnPullTimeUpdateExclusion {
	id := r.childID(exclusionKind, principalArn)
	return awsecr.NewCfnPullTimeUpdateExclusion(r, id, &awsecr.CfnPullTimeUpdateExclusionProps{PrincipalArn: jsii.String(principalArn)})
}
