package ecr

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/nag"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
)

// GrantPullToAccounts implements Repository.
func (r *jsiiProxy_repository) GrantPullToAccounts(accounts ...string) awsiam.Grant {
	return r.grantToAccounts("GrantPullToAccounts", "PullFromAccounts", check.PullActions, accounts)
}

// GrantPushToAccounts implements Repository.
func (r *jsiiProxy_repository) GrantPushToAccounts(accounts ...string) awsiam.Grant {
	return r.grantToAccounts("GrantPushToAccounts", "PushFromAccounts", check.PushActions, accounts)
}

// grantToAccounts checks account IDs and principal ARNs and grants them the
// actions in one statement.
func (r *jsiiProxy_repository) grantToAccounts(method, sid string, actions, accounts []string) awsiam.Grant {
	p := newProblems(*r.Node().Path())
	if len(accounts) == 0 {
		p.Add(method, nil, "needs at least one account ID or IAM principal ARN")
	}
	for i, a := range accounts {
		principal, isPrincipal := check.ParseIAMPrincipal(a)
		switch {
		case check.IsToken(a), check.IsAccount(a):
		case !isPrincipal:
			p.Add(method+"["+strconv.Itoa(i)+"]", a, "must be a 12-digit AWS account ID or an IAM principal ARN such as arn:aws:iam::123456789012:role/ci")
		default:
			checkPrincipalPartition(r, method+"["+strconv.Itoa(i)+"]", principal, p)
		}
	}
	p.PanicIfAny()
	var principals []awsiam.IPrincipal
	for _, a := range check.Unique(accounts) {
		if _, isPrincipal := check.ParseIAMPrincipal(a); isPrincipal {
			principals = append(principals, awsiam.NewArnPrincipal(jsii.String(a)))
		} else {
			principals = append(principals, awsiam.NewAccountPrincipal(jsii.String(a)))
		}
	}
	return r.grant(sid, principals, actions, nil)
}

// GrantPullToOrganization implements Repository.
func (r *jsiiProxy_repository) GrantPullToOrganization(organizationID string) awsiam.Grant {
	p := newProblems(*r.Node().Path())
	check.Organization("GrantPullToOrganization", organizationID, p)
	p.PanicIfAny()
	grant := r.grant("PullFromOrganization", []awsiam.IPrincipal{awsiam.NewAnyPrincipal()}, check.PullActions,
		map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": organizationID}})
	r.suppressStarPrincipal("Pull access is limited to principals of AWS Organization " + organizationID + " by an aws:PrincipalOrgID condition")
	return grant
}

// GrantPullToOrganizationalUnits implements Repository.
func (r *jsiiProxy_repository) GrantPullToOrganizationalUnits(paths ...string) awsiam.Grant {
	p := newProblems(*r.Node().Path())
	if len(paths) == 0 {
		p.Add("GrantPullToOrganizationalUnits", nil, "needs at least one organizational unit path")
	}
	var orgs, patterns []string
	for i, path := range paths {
		m := check.OrganizationPathPattern.FindStringSubmatch(path)
		if m == nil {
			p.Add("GrantPullToOrganizationalUnits["+strconv.Itoa(i)+"]", path,
				"must be an organizational unit's path o-<org>/r-<root>/ou-<ou>/, one ou- segment per level, ending in /, such as o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/")
			continue
		}
		orgs = append(orgs, m[1])
		patterns = append(patterns, path+"*")
	}
	p.PanicIfAny()
	orgs, patterns = check.Unique(orgs), check.Unique(patterns)
	// aws:PrincipalOrgID as well: it costs nothing, states the organization
	// outright, and is what CKV_AWS_32 looks for on a "*" principal.
	grant := r.grant("PullFromOrganizationalUnits", []awsiam.IPrincipal{awsiam.NewAnyPrincipal()}, check.PullActions, map[string]any{
		"StringEquals":           map[string]any{"aws:PrincipalOrgID": oneOrList(orgs)},
		"ForAnyValue:StringLike": map[string]any{"aws:PrincipalOrgPaths": oneOrList(patterns)},
	})
	r.suppressStarPrincipal("Pull access is limited to principals of the organizational units " + strings.Join(paths, ", ") +
		" by aws:PrincipalOrgID and aws:PrincipalOrgPaths conditions")
	return grant
}

// GrantLambdaPull implements Repository.
func (r *jsiiProxy_repository) GrantLambdaPull(accountIDs ...string) awsiam.Grant {
	p := newProblems(*r.Node().Path())
	for i, a := range accountIDs {
		check.Account("GrantLambdaPull["+strconv.Itoa(i)+"]", a, p)
	}
	p.PanicIfAny()
	stack := awscdk.Stack_Of(r)
	accounts := check.Unique(accountIDs)
	var grants []awsiam.Grant
	if len(accounts) == 0 {
		accounts = []string{*stack.Account()}
	} else {
		principals := make([]awsiam.IPrincipal, len(accounts))
		for i, a := range accounts {
			principals[i] = awsiam.NewAccountPrincipal(jsii.String(a))
		}
		grants = append(grants, r.grant("LambdaPullFromAccounts", principals, check.LambdaPullActions, nil))
	}
	functionARNs := make([]string, len(accounts))
	for i, a := range accounts {
		functionARNs[i] = fmt.Sprintf("arn:%s:lambda:%s:%s:function:*", *stack.Partition(), *stack.Region(), a)
	}
	grants = append(grants, r.grant("LambdaServicePull",
		[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)}, check.LambdaPullActions,
		map[string]any{"StringLike": map[string]any{"aws:sourceARN": oneOrList(functionARNs)}}))
	grant := grants[0]
	for _, g := range grants[1:] {
		grant = grant.Combine(g)
	}
	return grant
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
func checkPrincipalPartition(r *jsiiProxy_repository, field string, principal check.IAMPrincipal, p *problems) {
	region := *awscdk.Stack_Of(r).Region()
	if !check.Known(region) {
		return
	}
	if part := check.PartitionOf(region); principal.Partition != part {
		p.Add(field, principal.ARN.String(), fmt.Sprintf("is in partition %s, but the repository's Region %s is in %s; a repository policy takes principals of its own partition", principal.Partition, region, part))
	}
}
