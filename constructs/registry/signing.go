package registry

import (
	"fmt"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssigner"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
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
	// The ARN is the field for stack-set baselines (package organization),
	// given as a parameter. Required, unless SigningProfile is given.
	SigningProfileArn *string
	// SigningProfile is the same profile as a CDK object (an
	// awssigner.SigningProfile of the stack, or one imported), instead of
	// SigningProfileArn: give one of them. A profile of another stack of the
	// app is a cross-stack reference (an export and an import), which a
	// stack-set baseline can't hold.
	SigningProfile awssigner.ISigningProfile
	// RepositoryFilters are wildcard filters on repository names ("*"
	// matches any run of characters): 1 to 100 filters of 1 to 256
	// characters.
	// Default: ["*"], every repository.
	RepositoryFilters []string
}

// isSigningProfile reports whether a is an AWS Signer profile ARN, as
// AWS::ECR::SigningConfiguration's SigningProfileArn pattern takes it.
func isSigningProfile(a string) bool {
	_, _, ok := check.ParseResourceARN(a, "signer", "/signing-profiles", check.SigningProfileName)
	return ok
}

// Limits of AWS::ECR::SigningConfiguration. The schema allows 50 rules; the
// ECR API documentation says 10, the stricter one is enforced.
const (
	maxSigningRules         = 10
	maxSigningProfileLength = 200
	maxSigningFilterLength  = 256
)

// checkSigning records every problem with signing rules numbered from first.
func checkSigning(field string, first, total int, rules []SigningRule, pl place, p *validation.Collector) {
	if total > maxSigningRules {
		p.Add(field, fmt.Sprintf("(%d rules)", total), fmt.Sprintf("a registry takes at most %d signing rules", maxSigningRules))
	}
	for i, r := range rules {
		rf := field + "[" + strconv.Itoa(first+i) + "]"
		arn, af := oneOf(rf+".", "SigningProfileArn", r.SigningProfileArn, "SigningProfile", r.SigningProfile != nil, r.profileArn, pl, p)
		switch a := arn; {
		case a == nil:
			p.Add(rf+".SigningProfileArn", nil, "is required, or give SigningProfile")
		case check.IsToken(*a):
		case len(*a) > maxSigningProfileLength || !isSigningProfile(*a):
			p.Add(rf+"."+af, *a, "must be an AWS Signer profile ARN, arn:<partition>:signer:<region>:<account>:/signing-profiles/<name>, at most 200 characters")
		default:
			pl.checkArnPlace(rf+"."+af, *a, arnProfile, p)
		}
		checkWildcardFilters(rf+".RepositoryFilters", r.RepositoryFilters, maxSigningFilterLength, p)
	}
}

// profileArn returns the rule's profile ARN: SigningProfileArn or
// SigningProfile's (nil when neither is given).
func (r SigningRule) profileArn() *string {
	if r.SigningProfile != nil {
		return r.SigningProfile.SigningProfileArn()
	}
	return r.SigningProfileArn
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
		out[i] = &awsecr.CfnSigningConfiguration_RuleProperty{SigningProfileArn: r.profileArn(), RepositoryFilters: list}
	}
	return &awsecr.CfnSigningConfigurationProps{Rules: out}
}
