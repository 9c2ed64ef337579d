package ecr

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/nag"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
)

// granteeKind is a kind of principal the grants of this file take; an
// accessGrant takes a set of them.
type granteeKind int

const (
	// kindAccount is an awsiam.AccountPrincipal (AccountRootPrincipal too).
	kindAccount granteeKind = 1 << iota
	// kindIAMARN is an awsiam.ArnPrincipal of an IAM role, user or account
	// root.
	kindIAMARN
	// kindOrganization is an awsiam.OrganizationPrincipal.
	kindOrganization
	// kindOrganizationalUnit is a principal made by
	// [OrganizationalUnitPrincipal].
	kindOrganizationalUnit
)

// accessGrant is one of the repository's grants beyond CDK's: what it takes
// and the statement it writes.
type accessGrant struct {
	method  string // the method, the field of its messages
	single  bool   // takes one principal, whose field has no index
	sid     string
	actions []string
	takes   granteeKind
	// takesText says what it takes, for the refusal of other principals.
	takesText string
	// none is the constraint broken by no principal at all; "" when none is
	// allowed.
	none string
}

// takesAccounts says what GrantPullToAccounts and GrantPushToAccounts take.
const takesAccounts = "it takes account principals (awsiam.NewAccountPrincipal, NewAccountRootPrincipal) and IAM role, user or " +
	"account-root ARNs (awsiam.NewArnPrincipal; for a role of another stack, NewArnPrincipal(role.RoleArn()))"

// GrantPullToAccounts implements Repository.
func (r *jsiiProxy_repository) GrantPullToAccounts(principals ...awsiam.IPrincipal) awsiam.Grant {
	grant, _ := r.grantTo(accessGrant{method: "GrantPullToAccounts", sid: "PullFromAccounts", actions: check.PullActions,
		takes: kindAccount | kindIAMARN, takesText: takesAccounts, none: "needs at least one account principal or IAM principal ARN"}, principals)
	return grant
}

// GrantPushToAccounts implements Repository.
func (r *jsiiProxy_repository) GrantPushToAccounts(principals ...awsiam.IPrincipal) awsiam.Grant {
	grant, _ := r.grantTo(accessGrant{method: "GrantPushToAccounts", sid: "PushFromAccounts", actions: check.PushActions,
		takes: kindAccount | kindIAMARN, takesText: takesAccounts, none: "needs at least one account principal or IAM principal ARN"}, principals)
	return grant
}

// GrantPullToOrganization implements Repository.
func (r *jsiiProxy_repository) GrantPullToOrganization(organization awsiam.IPrincipal) awsiam.Grant {
	grant, _ := r.grantTo(accessGrant{method: "GrantPullToOrganization", single: true, sid: "PullFromOrganization", actions: check.PullActions,
		takes: kindOrganization, takesText: "it takes an organization principal, awsiam.NewOrganizationPrincipal"},
		[]awsiam.IPrincipal{organization})
	return grant
}

// GrantPullToOrganizationalUnits implements Repository.
func (r *jsiiProxy_repository) GrantPullToOrganizationalUnits(units ...awsiam.IPrincipal) awsiam.Grant {
	grant, _ := r.grantTo(accessGrant{method: "GrantPullToOrganizationalUnits", sid: "PullFromOrganizationalUnits", actions: check.PullActions,
		takes: kindOrganizationalUnit, takesText: "it takes organizational unit principals, ecr.OrganizationalUnitPrincipal",
		none: "needs at least one organizational unit principal"}, units)
	return grant
}

// GrantLambdaPull implements Repository.
func (r *jsiiProxy_repository) GrantLambdaPull(accounts ...awsiam.IPrincipal) awsiam.Grant {
	grant, ids := r.grantTo(accessGrant{method: "GrantLambdaPull", sid: "LambdaPullFromAccounts", actions: check.LambdaPullActions,
		takes: kindAccount, takesText: "it takes account principals, awsiam.NewAccountPrincipal"}, accounts)
	stack := awscdk.Stack_Of(r)
	if len(ids) == 0 {
		ids = []string{*stack.Account()}
	}
	functionARNs := make([]string, len(ids))
	for i, a := range ids {
		functionARNs[i] = fmt.Sprintf("arn:%s:lambda:%s:%s:function:*", *stack.Partition(), *stack.Region(), a)
	}
	service := r.grant("LambdaServicePull",
		[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)}, check.LambdaPullActions,
		map[string]any{"StringLike": map[string]any{"aws:sourceARN": oneOrList(functionARNs)}})
	if grant == nil {
		return service
	}
	return grant.Combine(service)
}

// OrganizationalUnitPrincipal returns the principals of the accounts in an
// organizational unit and in the OUs below it, for
// Repository.GrantPullToOrganizationalUnits. path is the OU's path as the
// aws:PrincipalOrgPaths condition key holds it,
// "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/": organization ID, root ID, then one
// ou- segment per level, each ending in "/". The principal is CDK's
// PrincipalWithConditions: the "*" principal with a StringEquals
// aws:PrincipalOrgID condition on the path's organization and a
// ForAnyValue:StringLike aws:PrincipalOrgPaths condition on the path followed
// by "*". The path is checked by the grant that takes it, which panics with
// [validation.Errors] naming the grant and the path; this function never
// panics. See
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths
func OrganizationalUnitPrincipal(path string) awsiam.PrincipalWithConditions {
	org, _, _ := strings.Cut(path, "/")
	return awsiam.NewPrincipalWithConditions(awsiam.NewAnyPrincipal(), &map[string]any{
		"StringEquals":           map[string]any{"aws:PrincipalOrgID": org},
		"ForAnyValue:StringLike": map[string]any{"aws:PrincipalOrgPaths": path + "*"},
	})
}

// grantee is a principal a grant read and checked.
type grantee struct {
	kind      granteeKind
	id        string // account ID, ARN, organization ID or OU path
	org       string // an OU's organization
	principal awsiam.IPrincipal
}

// grantTo checks the principals for the grant g and, when there are any,
// grants them g's actions in one repository policy statement: the principals
// themselves, or for organizations and OUs the "*" principal with their
// conditions, recording why for cdk-nag. It returns the statement's Grant
// (nil for no principals) and the principals' IDs, repeated ones once, in
// order. It panics with [validation.Errors], before anything is added, for
// every principal g doesn't take or whose ID is invalid.
func (r *jsiiProxy_repository) grantTo(g accessGrant, principals []awsiam.IPrincipal) (awsiam.Grant, []string) {
	p := &validation.Collector{Package: "ecr", Path: *r.Node().Path()}
	if len(principals) == 0 && g.none != "" {
		p.Add(g.method, nil, g.none)
	}
	var read []grantee
	for i, principal := range principals {
		field := g.method
		if !g.single {
			field += "[" + strconv.Itoa(i) + "]"
		}
		if e, ok := r.readGrantee(g, field, principal, p); ok {
			read = append(read, e)
		}
	}
	p.PanicIfAny()

	seen := map[string]bool{}
	var ids, orgs, patterns []string
	var statementPrincipals []awsiam.IPrincipal
	for _, e := range read {
		key := fmt.Sprint(e.kind, " ", e.id)
		if seen[key] {
			continue
		}
		seen[key] = true
		ids = append(ids, e.id)
		switch e.kind {
		case kindAccount, kindIAMARN:
			statementPrincipals = append(statementPrincipals, e.principal)
		case kindOrganization:
			orgs = append(orgs, e.id)
		case kindOrganizationalUnit:
			orgs = append(orgs, e.org)
			patterns = append(patterns, e.id+"*")
		}
	}
	orgs = check.Unique(orgs)
	switch {
	case len(ids) == 0:
		return nil, nil
	case len(patterns) > 0:
		// aws:PrincipalOrgID as well: it costs nothing, states the
		// organization outright, and is what CKV_AWS_32 looks for on a "*"
		// principal.
		grant := r.grant(g.sid, []awsiam.IPrincipal{awsiam.NewAnyPrincipal()}, g.actions, map[string]any{
			"StringEquals":           map[string]any{"aws:PrincipalOrgID": oneOrList(orgs)},
			"ForAnyValue:StringLike": map[string]any{"aws:PrincipalOrgPaths": oneOrList(patterns)},
		})
		r.suppressStarPrincipal("Pull access is limited to principals of the organizational units " + strings.Join(ids, ", ") +
			" by aws:PrincipalOrgID and aws:PrincipalOrgPaths conditions")
		return grant, ids
	case len(orgs) > 0:
		grant := r.grant(g.sid, []awsiam.IPrincipal{awsiam.NewAnyPrincipal()}, g.actions,
			map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": oneOrList(orgs)}})
		r.suppressStarPrincipal("Pull access is limited to principals of AWS Organization " + strings.Join(orgs, ", ") + " by an aws:PrincipalOrgID condition")
		return grant, ids
	default:
		return r.grant(g.sid, statementPrincipals, g.actions, nil), ids
	}
}

// readGrantee reads and checks one principal given to the grant g, recording
// its problems under field. Go type assertions tell the kinds apart before
// jsii sees the principal: AccountPrincipal before ArnPrincipal, which it
// extends.
func (r *jsiiProxy_repository) readGrantee(g accessGrant, field string, principal awsiam.IPrincipal, p *validation.Collector) (grantee, bool) {
	refuse := func() (grantee, bool) {
		p.Add(field, principalKind(principal), "is a principal "+g.method+" can't take; "+g.takesText)
		return grantee{}, false
	}
	switch v := principal.(type) {
	case nil:
		p.Add(field, nil, "is nil; "+g.takesText)
		return grantee{}, false
	case awsiam.AccountPrincipal:
		if g.takes&kindAccount == 0 {
			return refuse()
		}
		id := accountID(v)
		check.Account(field, id, p)
		return grantee{kind: kindAccount, id: id, principal: v}, true
	case awsiam.ArnPrincipal:
		arn := *v.Arn()
		if g.takes&kindIAMARN == 0 || arn == "*" { // "*": AnyPrincipal
			return refuse()
		}
		if !check.IsToken(arn) {
			iam, ok := check.ParseIAMPrincipal(arn)
			if !ok {
				p.Add(field, arn, "must be an IAM role, user or account-root ARN such as arn:aws:iam::123456789012:role/ci")
				return grantee{}, false
			}
			checkPrincipalPartition(r, field, iam, p)
		}
		return grantee{kind: kindIAMARN, id: arn, principal: v}, true
	case awsiam.OrganizationPrincipal:
		if g.takes&kindOrganization == 0 {
			return refuse()
		}
		id := *v.OrganizationId()
		check.Organization(field, id, p)
		return grantee{kind: kindOrganization, id: id, principal: v}, true
	case awsiam.PrincipalWithConditions:
		if g.takes&kindOrganizationalUnit == 0 {
			return refuse()
		}
		path, org, ok := readOrganizationalUnit(v)
		if !ok {
			p.Add(field, principalKind(principal), "has a principal or conditions other than an organizational unit's; "+g.takesText)
			return grantee{}, false
		}
		m := check.OrganizationPathPattern.FindStringSubmatch(path)
		switch {
		case m == nil:
			p.Add(field, path, "must be an organizational unit's path o-<org>/r-<root>/ou-<ou>/, one ou- segment per level, ending in /, such as o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/")
			return grantee{}, false
		case org != "" && org != m[1]:
			p.Add(field, path, "is in organization "+m[1]+", but the principal's aws:PrincipalOrgID condition is "+org)
			return grantee{}, false
		}
		return grantee{kind: kindOrganizationalUnit, id: path, org: m[1], principal: v}, true
	default:
		return refuse()
	}
}

// accountID returns an account principal's account ID, a string or a token
// (CDK refuses other types when the principal is made).
func accountID(a awsiam.AccountPrincipal) string {
	switch id := a.AccountId().(type) {
	case string:
		return id
	case *string:
		if id != nil {
			return *id
		}
	}
	return fmt.Sprint(a.AccountId())
}

// principalKind names a principal's CDK class for a message
// ("awsiam.ServicePrincipal"), from the Go type of its jsii proxy, or the
// Go type of a principal implemented in Go.
func principalKind(principal awsiam.IPrincipal) string {
	return strings.Replace(strings.TrimPrefix(fmt.Sprintf("%T", principal), "*"), "jsiiProxy_", "", 1)
}

// readOrganizationalUnit reads the OU path and organization ID from a
// principal made by [OrganizationalUnitPrincipal] (or written the same way:
// the "*" principal, a ForAnyValue:StringLike aws:PrincipalOrgPaths
// condition on one path followed by "*" and, optionally, a StringEquals
// aws:PrincipalOrgID condition), from the policy fragment CDK renders for
// it. It reports false for any other principal or condition.
func readOrganizationalUnit(principal awsiam.PrincipalWithConditions) (path, org string, ok bool) {
	fragment := principal.PolicyFragment()
	var who map[string][]string
	var conditions map[string]map[string]any
	if !roundTrip(fragment.PrincipalJson(), &who) || !roundTrip(fragment.Conditions(), &conditions) {
		return "", "", false
	}
	if len(who) != 1 || len(who["AWS"]) != 1 || who["AWS"][0] != "*" {
		return "", "", false
	}
	found := false
	for operator, keys := range conditions {
		paths, isPaths := keys["aws:PrincipalOrgPaths"].(string)
		id, isID := keys["aws:PrincipalOrgID"].(string)
		switch {
		case len(keys) != 1:
			return "", "", false
		case operator == "ForAnyValue:StringLike" && isPaths && strings.HasSuffix(paths, "*"):
			path, found = strings.TrimSuffix(paths, "*"), true
		case operator == "StringEquals" && isID:
			org = id
		default:
			return "", "", false
		}
	}
	return path, org, found
}

// roundTrip decodes what jsii returned into out through JSON, reporting
// whether it has that shape.
func roundTrip(in, out any) bool {
	b, err := json.Marshal(in)
	return err == nil && json.Unmarshal(b, out) == nil
}

// grant adds an Allow statement for the principals to the repository policy,
// with a Sid made unique within the policy, through CDK's
// Grant.addStatementToResourcePolicy, and returns CDK's Grant for it.
func (r *jsiiProxy_repository) grant(sid string, principals []awsiam.IPrincipal, actions []string, conditions map[string]any) awsiam.Grant {
	r.sids[sid]++
	if n := r.sids[sid]; n > 1 {
		sid += strconv.Itoa(n)
	}
	props := &awsiam.PolicyStatementProps{
		Sid:        jsii.String(sid),
		Effect:     awsiam.Effect_ALLOW,
		Principals: &principals,
		Actions:    jsii.Strings(actions...),
	}
	if conditions != nil {
		props.Conditions = &conditions
	}
	grantee := principals[0]
	if len(principals) > 1 {
		grantee = awsiam.NewCompositePrincipal(principals...)
	}
	return awsiam.Grant_AddStatementToResourcePolicy(&awsiam.GrantPolicyWithResourceOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings(actions...),
		ResourceArns: jsii.Strings(*r.RepositoryArn()),
		Resource:     r,
		Statement:    awsiam.NewPolicyStatement(props),
	})
}

// suppressStarPrincipal records why a "*" principal is acceptable: cdk-nag's
// AwsSolutions-ECR1 flags every "*" principal, whatever its conditions.
// Each grant's reason is kept (package nag joins them).
func (r *jsiiProxy_repository) suppressStarPrincipal(reason string) {
	nag.Suppress(r.cfn, nag.Suppression{ID: "AwsSolutions-ECR1", Reason: reason})
}

// oneOrList renders one value as itself and several as a list, the forms
// AWS documents for condition values.
func oneOrList(values []string) any {
	if len(values) == 1 {
		return values[0]
	}
	return values
}

// checkPrincipalPartition records a principal of another partition than the
// repository's (arn:aws-us-gov:iam::… on a repository in an aws Region):
// IAM principals are valid within their partition only, and ECR refuses the
// policy at deployment.
func checkPrincipalPartition(r *jsiiProxy_repository, field string, principal check.IAMPrincipal, p *validation.Collector) {
	region := *awscdk.Stack_Of(r).Region()
	if !check.Known(region) {
		return
	}
	if part := check.PartitionOf(region); principal.Partition != part {
		p.Add(field, principal.ARN.String(), fmt.Sprintf("is in partition %s, but the repository's Region %s is in %s; a repository policy takes principals of its own partition", principal.Partition, region, part))
	}
}
