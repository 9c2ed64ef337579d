package ecr

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/nag"
	"github.com/secure-ecr/ecr-cdk-go/internal/construct"
)

// The repository-policy actions each kind of access needs, as ECR documents
// them (see ecr-facts.md, "IAM actions"). ecr:GetAuthorizationToken is
// account-wide and never goes into a repository policy: the principal's own
// identity policy grants it.
var (
	pullActions       = []string{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"}
	pushActions       = []string{"ecr:CompleteLayerUpload", "ecr:UploadLayerPart", "ecr:InitiateLayerUpload", "ecr:BatchCheckLayerAvailability", "ecr:PutImage"}
	lambdaPullActions = []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}
)

var (
	accountIDPattern    = regexp.MustCompile(`^\d{12}$`)
	principalARNPattern = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:iam::\d{12}:(root|(role|user)/[\w+=,.@/-]+)$`)
	organizationPattern = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	// orgPathPattern is an organizational unit's path as aws:PrincipalOrgPaths
	// holds it: organization ID, root ID, then one or more OU IDs, each
	// followed by "/".
	orgPathPattern = regexp.MustCompile(`^(o-[a-z0-9]{10,32})/r-[0-9a-z]{4,32}/(?:ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}/)+$`)
)

// GrantPullToAccounts implements Repository.
func (r *jsiiProxy_repository) GrantPullToAccounts(accounts ...string) awsiam.Grant {
	return r.grantToAccounts("GrantPullToAccounts", "PullFromAccounts", pullActions, accounts)
}

// GrantPushToAccounts implements Repository.
func (r *jsiiProxy_repository) GrantPushToAccounts(accounts ...string) awsiam.Grant {
	return r.grantToAccounts("GrantPushToAccounts", "PushFromAccounts", pushActions, accounts)
}

// grantToAccounts checks account IDs and principal ARNs and grants them the
// actions in one statement.
func (r *jsiiProxy_repository) grantToAccounts(method, sid string, actions, accounts []string) awsiam.Grant {
	p := newProblems(*r.Node().Path())
	if len(accounts) == 0 {
		p.Add(method, nil, "needs at least one account ID or IAM principal ARN")
	}
	for i, a := range accounts {
		if !construct.IsToken(a) && !accountIDPattern.MatchString(a) && !principalARNPattern.MatchString(a) {
			p.Add(method+"["+strconv.Itoa(i)+"]", a, "must be a 12-digit AWS account ID or an IAM principal ARN such as arn:aws:iam::123456789012:role/ci")
		}
	}
	p.PanicIfAny()
	var principals []awsiam.IPrincipal
	for _, a := range dedupe(accounts) {
		if principalARNPattern.MatchString(a) {
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
	if !construct.IsToken(organizationID) && !organizationPattern.MatchString(organizationID) {
		p.Add("GrantPullToOrganization", organizationID, "must be an AWS Organizations ID: o- followed by 10 to 32 lowercase letters or digits")
	}
	p.PanicIfAny()
	grant := r.grant("PullFromOrganization", []awsiam.IPrincipal{awsiam.NewAnyPrincipal()}, pullActions,
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
		m := orgPathPattern.FindStringSubmatch(path)
		if m == nil {
			p.Add("GrantPullToOrganizationalUnits["+strconv.Itoa(i)+"]", path,
				"must be an organizational unit's path o-<org>/r-<root>/ou-<ou>/, one ou- segment per level, ending in /, such as o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/")
			continue
		}
		orgs = append(orgs, m[1])
		patterns = append(patterns, path+"*")
	}
	p.PanicIfAny()
	orgs, patterns = dedupe(orgs), dedupe(patterns)
	// aws:PrincipalOrgID as well: it costs nothing, states the organization
	// outright, and is what CKV_AWS_32 looks for on a "*" principal.
	grant := r.grant("PullFromOrganizationalUnits", []awsiam.IPrincipal{awsiam.NewAnyPrincipal()}, pullActions, map[string]any{
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
		if !construct.IsToken(a) && !accountIDPattern.MatchString(a) {
			p.Add("GrantLambdaPull["+strconv.Itoa(i)+"]", a, "must be a 12-digit AWS account ID")
		}
	}
	p.PanicIfAny()
	stack := awscdk.Stack_Of(r)
	accounts := dedupe(accountIDs)
	var grants []awsiam.Grant
	if len(accounts) == 0 {
		accounts = []string{*stack.Account()}
	} else {
		principals := make([]awsiam.IPrincipal, len(accounts))
		for i, a := range accounts {
			principals[i] = awsiam.NewAccountPrincipal(jsii.String(a))
		}
		grants = append(grants, r.grant("LambdaPullFromAccounts", principals, lambdaPullActions, nil))
	}
	functionARNs := make([]string, len(accounts))
	for i, a := range accounts {
		functionARNs[i] = fmt.Sprintf("arn:%s:lambda:%s:%s:function:*", *stack.Partition(), *stack.Region(), a)
	}
	grants = append(grants, r.grant("LambdaServicePull",
		[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)}, lambdaPullActions,
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

// dedupe drops repeated entries, keeping the first of each.
func dedupe(list []string) []string {
	var out []string
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
