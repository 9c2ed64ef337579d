package registry

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/nag"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/appcheck"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/construct"
)

// PolicyAction is an action a registry policy can hold: ECR refuses
// any other at deployment ("Invalid registry policy provided").
type PolicyAction string

const (
	// PolicyActionReplicateImage lets a source registry replicate images in.
	PolicyActionReplicateImage PolicyAction = "ecr:ReplicateImage"
	// PolicyActionBatchImportUpstreamImage lets a pull-through cache import images
	// from this registry.
	PolicyActionBatchImportUpstreamImage PolicyAction = "ecr:BatchImportUpstreamImage"
	// PolicyActionCreateRepository lets replication or a pull-through cache create
	// the repositories it needs.
	PolicyActionCreateRepository PolicyAction = "ecr:CreateRepository"
)

// Values returns every action a registry policy can hold.
func (PolicyAction) Values() []PolicyAction {
	return []PolicyAction{PolicyActionReplicateImage, PolicyActionBatchImportUpstreamImage, PolicyActionCreateRepository}
}

// PolicyProps configures a [Policy].
type PolicyProps struct {
	// Statements of the policy, each allowing or denying only the actions
	// of [PolicyAction] (no wildcards, no NotAction).
	// Default: none; add them with AddStatements or AllowReplicationFrom (a
	// policy left without statements fails synthesis: CloudFormation refuses
	// an empty one).
	Statements []awsiam.PolicyStatement
}

// Policy is the AWS::ECR::RegistryPolicy of an account and Region:
// one per registry (a singleton), so one per stack here. CloudFormation's
// create fails when the registry already has a policy, and a second stack
// declaring one overwrites the first's: let one stack per account and
// Region own it.
type Policy interface {
	constructs.Construct
	// AddStatements adds statements, refusing any whose actions a registry
	// policy can't hold. It panics with [validation.Errors].
	AddStatements(statements ...awsiam.PolicyStatement)
	// AllowReplicationFrom lets source accounts replicate into this registry:
	// ecr:ReplicateImage and ecr:CreateRepository (so replication creates
	// the repositories, which the registry's REPLICATION creation template
	// then configures) on every repository, for each 12-digit account ID. It
	// panics with [validation.Errors] for an empty list or an invalid ID.
	AllowReplicationFrom(accounts ...string)
	// AllowReplicationFromOrganization lets every account of an AWS
	// Organization replicate into this registry (see
	// Props.ReplicationSourceOrganization). It panics with [validation.Errors]
	// for an invalid organization ID or prefix.
	AllowReplicationFromOrganization(source *OrganizationReplicationSource)
	// Document returns the policy document.
	Document() awsiam.PolicyDocument
	// Resource returns the AWS::ECR::RegistryPolicy resource, the escape
	// hatch for what the props don't cover.
	Resource() awsecr.CfnRegistryPolicy
}

//lint:ignore ST1003 the jsiiProxy_ prefix makes jsii-runtime-go skip its interface discovery (see jsiiProxy_repository in package ecr; pinned by TestJsiiProxyNames)
type jsiiProxy_registryPolicy struct {
	constructs.Construct
	doc  awsiam.PolicyDocument
	cfn  awsecr.CfnRegistryPolicy
	n    int            // statements added
	sids map[string]int // statement ids the policy made itself
}

// NewPolicy creates the registry policy. A [Registry] makes it itself for
// Props.ReplicationSourceAccounts (Registry.Policy). It panics with
// [validation.Errors], before adding anything to the tree, for invalid
// statements. A second registry policy in the account and Region, in any
// stack of the app, fails synthesis.
func NewPolicy(scope constructs.Construct, id *string, props *PolicyProps) Policy {
	if props == nil {
		props = &PolicyProps{}
	}
	p := construct.ChildProblems("registry", scope, id)
	checkRegistryStatements("Statements", 0, props.Statements, p)
	p.PanicIfAny()
	appcheck.Attach(scope)
	return newRegistryPolicy(scope, id, props.Statements)
}

func newRegistryPolicy(scope constructs.Construct, id *string, statements []awsiam.PolicyStatement) *jsiiProxy_registryPolicy {
	r := &jsiiProxy_registryPolicy{n: len(statements)}
	constructs.NewConstruct_Override(r, scope, id)
	r.doc = awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: &statements})
	r.cfn = awsecr.NewCfnRegistryPolicy(r, jsii.String("Resource"), &awsecr.CfnRegistryPolicyProps{PolicyText: r.doc})
	r.Node().AddValidation(&emptyPolicy{r})
	return r
}

// emptyPolicy fails synthesis, with one line, for a registry policy left
// without statements, which CloudFormation refuses.
type emptyPolicy struct{ policy *jsiiProxy_registryPolicy }

// Validate implements constructs.IValidation.
func (v *emptyPolicy) Validate() *[]*string {
	if v.policy.n > 0 {
		return &[]*string{}
	}
	return &[]*string{jsii.String("registry: " + *v.policy.Node().Path() + ": the registry policy has no statement; add one (AddStatements, AllowReplicationFrom) or don't create the policy")}
}

// sid returns base as a statement id, numbered from the second statement
// that uses it: statement ids must be unique within a policy.
func (r *jsiiProxy_registryPolicy) sid(base string) *string {
	if r.sids == nil {
		r.sids = map[string]int{}
	}
	r.sids[base]++
	if n := r.sids[base]; n > 1 {
		return jsii.String(base + strconv.Itoa(n))
	}
	return jsii.String(base)
}

// checkRegistryStatements records statements a registry policy can't hold.
func checkRegistryStatements(field string, first int, statements []awsiam.PolicyStatement, p *validation.Collector) {
	allowed := PolicyAction("").Values()
	for i, s := range statements {
		sf := field + "[" + strconv.Itoa(first+i) + "]"
		if s == nil {
			p.Add(sf, nil, "must not be nil")
			continue
		}
		json, _ := s.ToStatementJson().(map[string]any)
		if json["NotAction"] != nil {
			p.Add(sf+".NotAction", fmt.Sprint(json["NotAction"]), "a registry policy takes only Action, naming "+validation.OneOf(allowed))
		}
		actions := anyStrings(json["Action"])
		if len(actions) == 0 && json["NotAction"] == nil {
			p.Add(sf+".Action", nil, "must name at least one of "+validation.OneOf(allowed))
		}
		for _, a := range actions {
			if !slices.ContainsFunc(allowed, func(v PolicyAction) bool { return strings.EqualFold(string(v), a) }) {
				p.Add(sf+".Action", a, "a registry policy can only hold "+validation.OneOf(allowed)+"; ECR refuses anything else at deployment")
			}
		}
	}
}

// anyStrings reads a JSON string or list of strings.
func anyStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// AddStatements implements Policy.
func (r *jsiiProxy_registryPolicy) AddStatements(statements ...awsiam.PolicyStatement) {
	p := &validation.Collector{Package: "registry", Path: *r.Node().Path()}
	checkRegistryStatements("AddStatements", 0, statements, p)
	p.PanicIfAny()
	r.n += len(statements)
	r.doc.AddStatements(statements...)
}

// AllowReplicationFrom implements Policy.
func (r *jsiiProxy_registryPolicy) AllowReplicationFrom(accounts ...string) {
	p := &validation.Collector{Package: "registry", Path: *r.Node().Path()}
	checkSourceAccounts("AllowReplicationFrom", accounts, p)
	p.PanicIfAny()
	r.allowAccounts(accounts)
}

// allowAccounts adds the statement that lets checked accounts replicate
// into the registry.
func (r *jsiiProxy_registryPolicy) allowAccounts(accounts []string) {
	r.n++
	r.doc.AddStatements(replicationStatement(r.sid("ReplicationFromAccounts"), accounts))
}

// checkSourceAccounts records invalid replication source accounts.
func checkSourceAccounts(field string, accounts []string, p *validation.Collector) {
	if len(accounts) == 0 {
		p.Add(field, nil, "needs at least one account ID")
	}
	for i, a := range accounts {
		check.Account(field+"["+strconv.Itoa(i)+"]", a, p)
	}
}

// replicationStatement lets the accounts replicate into the registry.
func replicationStatement(sid *string, accounts []string) awsiam.PolicyStatement {
	principals := make([]awsiam.IPrincipal, 0, len(accounts))
	for _, a := range check.Unique(accounts) {
		principals = append(principals, awsiam.NewAccountPrincipal(jsii.String(a)))
	}
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        sid,
		Principals: &principals,
		Actions:    jsii.Strings(string(PolicyActionReplicateImage), string(PolicyActionCreateRepository)),
		Resources:  jsii.Strings(prefixRepositoriesArn(RootPrefix)),
	})
}

// OrganizationReplicationSource is an AWS Organization whose accounts may
// replicate into a registry.
type OrganizationReplicationSource struct {
	// OrganizationID is the organization, "o-" and 10 to 32 lowercase
	// letters or digits. Required.
	OrganizationID string
	// RepositoryPrefixes limits replication to repositories whose names
	// start with one of these prefixes (the source accounts' replication
	// rules' RepositoryPrefixes): the narrowest grant. Each is checked like
	// a replication rule's prefix.
	// Default: every repository.
	RepositoryPrefixes []string
}

// checkOrganizationSource records an invalid organization or prefix.
func checkOrganizationSource(field string, o *OrganizationReplicationSource, p *validation.Collector) {
	check.Organization(field+"OrganizationID", o.OrganizationID, p)
	checkReplicationPrefixes(field+"RepositoryPrefixes", o.RepositoryPrefixes, p)
}

// AllowReplicationFromOrganization implements Policy.
func (r *jsiiProxy_registryPolicy) AllowReplicationFromOrganization(source *OrganizationReplicationSource) {
	p := &validation.Collector{Package: "registry", Path: *r.Node().Path()}
	if source == nil {
		p.Add("AllowReplicationFromOrganization", nil, "needs the organization")
		p.PanicIfAny()
	}
	checkOrganizationSource("AllowReplicationFromOrganization.", source, p)
	p.PanicIfAny()
	r.allowOrganization(source)
}

// allowOrganization adds the statement that lets the accounts of a checked
// organization replicate into the registry.
func (r *jsiiProxy_registryPolicy) allowOrganization(source *OrganizationReplicationSource) {
	resources := []string{prefixRepositoriesArn(RootPrefix)}
	if len(source.RepositoryPrefixes) > 0 {
		resources = resources[:0]
		for _, prefix := range check.Unique(source.RepositoryPrefixes) {
			resources = append(resources, repositoriesArn("", "", prefix+"*"))
		}
	}
	r.n++
	r.doc.AddStatements(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        r.sid("ReplicationFromOrganization"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings(string(PolicyActionReplicateImage), string(PolicyActionCreateRepository)),
		Resources:  jsii.Strings(resources...),
		Conditions: &map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": source.OrganizationID}},
	}))
	// cdk-nag's AwsSolutions-ECR1 flags every "*" principal, whatever its
	// conditions, registry policies included.
	nag.Suppress(r, nag.Suppression{
		ID:     "AwsSolutions-ECR1",
		Reason: "Replication into this registry is limited to accounts of AWS Organization " + source.OrganizationID + " by an aws:PrincipalOrgID condition",
	})
}

// Document implements Policy.
func (r *jsiiProxy_registryPolicy) Document() awsiam.PolicyDocument { return r.doc }

// Resource implements Policy.
func (r *jsiiProxy_registryPolicy) Resource() awsecr.CfnRegistryPolicy { return r.cfn }
