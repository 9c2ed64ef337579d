package ecr

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/nag"
)

// The repository-policy actions each kind of access needs, as ECR documents
// them. ecr:GetAuthorizationToken is account-wide and never goes into a
// repository policy: the puller's own identity policy grants it.
var (
	pullActions       = []string{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"}
	lambdaPullActions = []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}
)

var (
	accountIDPattern    = regexp.MustCompile(`^\d{12}$`)
	principalARNPattern = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:iam::\d{12}:(root|(role|user)/[\w+=,.@/-]+)$`)
	organizationPattern = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
)

// GrantPullToAccounts implements Repository.
func (r *repository) GrantPullToAccounts(accounts ...string) awsiam.PolicyStatement {
	p := newProblems(*r.Node().Path())
	if len(accounts) == 0 {
		p.Add("GrantPullToAccounts", nil, "needs at least one account ID or IAM principal ARN")
	}
	for i, a := range accounts {
		if !isToken(a) && !accountIDPattern.MatchString(a) && !principalARNPattern.MatchString(a) {
			p.Add("GrantPullToAccounts["+strconv.Itoa(i)+"]", a, "must be a 12-digit AWS account ID or an IAM principal ARN such as arn:aws:iam::123456789012:role/puller")
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
	return r.addStatement("PullFromAccounts", &awsiam.PolicyStatementProps{
		Principals: &principals,
		Actions:    jsii.Strings(pullActions...),
	})
}

// GrantPullToOrganization implements Repository.
func (r *repository) GrantPullToOrganization(organizationID string) awsiam.PolicyStatement {
	p := newProblems(*r.Node().Path())
	if !isToken(organizationID) && !organizationPattern.MatchString(organizationID) {
		p.Add("GrantPullToOrganization", organizationID, "must be an AWS Organizations ID: o- followed by 10 to 32 lowercase letters or digits")
	}
	p.PanicIfAny()
	statement := r.addStatement("PullFromOrganization", &awsiam.PolicyStatementProps{
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings(pullActions...),
		Conditions: &map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": organizationID}},
	})
	// cdk-nag flags every "*" principal, whatever its conditions; this one is
	// limited to the organization's principals.
	nag.Suppress(r.cfn, nag.Suppression{
		ID:     "AwsSolutions-ECR1",
		Reason: "Pull access is limited to principals of AWS Organization " + organizationID + " by an aws:PrincipalOrgID condition",
	})
	return statement
}

// GrantLambdaPull implements Repository.
func (r *repository) GrantLambdaPull(accountIDs ...string) []awsiam.PolicyStatement {
	p := newProblems(*r.Node().Path())
	for i, a := range accountIDs {
		if !isToken(a) && !accountIDPattern.MatchString(a) {
			p.Add("GrantLambdaPull["+strconv.Itoa(i)+"]", a, "must be a 12-digit AWS account ID")
		}
	}
	p.PanicIfAny()
	stack := awscdk.Stack_Of(r)
	functionARNs := func(accounts []string) any {
		arns := make([]*string, len(accounts))
		for i, a := range accounts {
			arns[i] = jsii.String(fmt.Sprintf("arn:%s:lambda:%s:%s:function:*", *stack.Partition(), *stack.Region(), a))
		}
		if len(arns) == 1 {
			return arns[0] // the form AWS documents for one account
		}
		return arns
	}
	var statements []awsiam.PolicyStatement
	accounts := dedupe(accountIDs)
	if len(accounts) == 0 {
		accounts = []string{*stack.Account()}
	} else {
		principals := make([]awsiam.IPrincipal, len(accounts))
		for i, a := range accounts {
			principals[i] = awsiam.NewAccountPrincipal(jsii.String(a))
		}
		statements = append(statements, r.addStatement("LambdaPullFromAccounts", &awsiam.PolicyStatementProps{
			Principals: &principals,
			Actions:    jsii.Strings(lambdaPullActions...),
		}))
	}
	statements = append(statements, r.addStatement("LambdaServicePull", &awsiam.PolicyStatementProps{
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)},
		Actions:    jsii.Strings(lambdaPullActions...),
		Conditions: &map[string]any{"StringLike": map[string]any{"aws:sourceARN": functionARNs(accounts)}},
	}))
	return statements
}

// addStatement adds an Allow statement to the repository policy, with a Sid
// made unique within the policy.
func (r *repository) addStatement(sid string, props *awsiam.PolicyStatementProps) awsiam.PolicyStatement {
	r.sids[sid]++
	if n := r.sids[sid]; n > 1 {
		sid += strconv.Itoa(n)
	}
	props.Sid = jsii.String(sid)
	props.Effect = awsiam.Effect_ALLOW
	statement := awsiam.NewPolicyStatement(props)
	r.AddToResourcePolicy(statement)
	return statement
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
