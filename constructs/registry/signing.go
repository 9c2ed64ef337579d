package registry

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/internal/check"
)

// SigningRule makes ECR sign the images pushed to some repositories with an
// AWS Signer profile (managed signing). ECR signs on push with the pusher's
// identity, which needs signer:SignPayload on the profile besides ECR's push
// actions: [Registry.GrantSignOnPush]. Signatures count against the
// images-per-repository quota, and lifecycle policies treat them as
// referrers of their image. Managed signing is not offered in every Region.
type SigningRule struct {
	// SigningProfileArn is an AWS Signer profile of platform
	// Notation-OCI-SHA384-ECDSA (awssigner.Platform_NOTATION_OCI_SHA384_ECDSA()),
	// arn:<partition>:signer:<region>:<account>:/signing-profiles/<name>.
	// Required.
	SigningProfileArn string
	// RepositoryFilters are wildcard filters on repository names ("*"
	// matches any run of characters): 1 to 100 filters of 1 to 256
	// characters.
	// Default: ["*"], every repository.
	RepositoryFilters []string
}

// signerProfilePattern is the schema's pattern for SigningProfileArn.
var signerProfilePattern = regexp.MustCompile(`^arn:aws(-[a-z]+)*:signer:[a-z0-9-]+:[0-9]{12}:\/signing-profiles\/[a-zA-Z0-9_]{2,}$`)

// Limits of AWS::ECR::SigningConfiguration. The schema allows 50 rules; the
// ECR API documentation says 10, the stricter one is enforced.
const (
	maxSigningRules         = 10
	maxSigningProfileLength = 200
	maxSigningFilterLength  = 256
)

// checkSigning records every problem with signing rules numbered from first.
func checkSigning(field string, first, total int, rules []SigningRule, p *problems) {
	if total > maxSigningRules {
		p.Add(field, fmt.Sprintf("(%d rules)", total), fmt.Sprintf("a registry takes at most %d signing rules", maxSigningRules))
	}
	for i, r := range rules {
		rf := field + "[" + strconv.Itoa(first+i) + "]"
		a := r.SigningProfileArn
		switch {
		case check.IsToken(a):
		case a == "":
			p.Add(rf+".SigningProfileArn", nil, "is required")
		case len(a) > maxSigningProfileLength || !signerProfilePattern.MatchString(a):
			p.Add(rf+".SigningProfileArn", a, "must be an AWS Signer profile ARN, arn:<partition>:signer:<region>:<account>:/signing-profiles/<name>, at most 200 characters")
		}
		checkWildcardFilters(rf+".RepositoryFilters", r.RepositoryFilters, maxSigningFilterLength, p)
	}
}

// signingProps renders the rules.
func signingProps(rules []SigningRule) *awsecr.CfnSigningConfigurationProps {
	out := make([]any, len(rules))
	for i, r := range rules {
		filters := r.RepositoryFilters
		if len(filters) == 0 {
			filters = []string{"*"}
		}
		list := make([]any, len(filters))
		for j, f := range filters {
			list[j] = &awsecr.CfnSigningConfiguration_RepositoryFilterProperty{Filter: jsii.String(f), FilterType: jsii.String("WILDCARD_MATCH")}
		}
		out[i] = &awsecr.CfnSigningConfiguration_RuleProperty{SigningProfileArn: jsii.String(r.SigningProfileArn), RepositoryFilters: list}
	}
	return &awsecr.CfnSigningConfigurationProps{Rules: out}
}
