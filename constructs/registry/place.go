package registry

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
)

// place is where a registry resource is created: its stack's account and
// Region, each "" when it is a token (an environment-agnostic stack), and
// the Regions of the app's explicit escape (see [ExtraRegionsContext]).
type place struct {
	account, region string
	extra           []string
	// stackSet is set when the registry is a stack set's baseline, deployed
	// to many accounts and Regions (see [Props.CheckStackSet]).
	stackSet *stackSet
}

// ExtraRegionsContext is the context key (in cdk.json, or the app's
// context) that lists Regions newer than the Region list of the aws-cdk-go
// release the library was built with, so that they are accepted: a list of
// Region names, such as ["xx-newregion-1"]. Every other Region name that
// CDK's list doesn't know is refused, since a mistyped Region ("eu-west-9",
// "eu-frankfurt-1") only fails at deployment.
const ExtraRegionsContext = "@secure-ecr/ecr-cdk-go:extraRegions"

// placeOf returns where resources created in scope go.
func placeOf(scope constructs.Construct) place {
	stack := awscdk.Stack_Of(scope)
	pl := place{account: *stack.Account(), region: *stack.Region()}
	if check.IsToken(pl.account) {
		pl.account = ""
	}
	if check.IsToken(pl.region) {
		pl.region = ""
	}
	if v, ok := scope.Node().TryGetContext(jsii.String(ExtraRegionsContext)).([]any); ok {
		for _, r := range v {
			if s, ok := r.(string); ok {
				pl.extra = append(pl.extra, s)
			}
		}
	}
	return pl
}

// partition is the partition of the place's Region, "" when unknown.
func (pl place) partition() string {
	if pl.region == "" {
		return ""
	}
	return check.PartitionOf(pl.region)
}

// checkRegion records a Region name that CDK's Region list doesn't know and
// the app's ExtraRegionsContext doesn't add. Tokens pass.
func (pl place) checkRegion(field, region string, p *validation.Collector) {
	if check.IsToken(region) {
		return
	}
	if _, known := check.RegionPartition(region); known {
		return
	}
	for _, r := range pl.extra {
		if r == region {
			return
		}
	}
	p.Add(field, region, fmt.Sprintf("is not a Region that aws-cdk-go %s knows; if it is newer, list it in the context key %s", check.RegionTableCDKVersion, ExtraRegionsContext))
}

// arnUse is what an ARN in a registry's props names: which resource, and
// so where it must be.
type arnUse int

// The ARNs of a registry's props.
const (
	arnKey       arnUse = iota // a creation template's KMS key
	arnRole                    // a creation template's or an ECR upstream's role
	arnSecret                  // a pull-through cache rule's secret
	arnProfile                 // a signing rule's AWS Signer profile
	arnPrincipal               // a principal excluded from pull-time updates
)

// arnRule is where an ARN of some use must be: what names its resource in
// messages, whether it must be of the registry's own Region and account,
// and why it binds a stack-set baseline to one account or Region.
type arnRule struct {
	what                    string
	sameRegion, sameAccount bool
	bound                   string
}

// rule returns where an ARN of use u must be.
func (u arnUse) rule() arnRule {
	switch u {
	case arnKey:
		return arnRule{"a key", true, false, "a KMS key belongs to one account and Region"}
	case arnRole:
		return arnRule{"the role", false, false, "ECR assumes the role in the registry's own account"}
	case arnSecret:
		return arnRule{"the secret", true, true, "ECR reads a pull-through cache rule's secret in the rule's own account and Region"}
	case arnProfile:
		return arnRule{"the signing profile", false, false, "an AWS Signer profile belongs to one account and Region, and each registry signs with a profile of its own"}
	default:
		return arnRule{"the principal", false, false, "an IAM principal belongs to one account"}
	}
}

// checkArnPlace records an ARN of another partition than the place's, and,
// for what must be the resource's own (the KMS key a repository is
// encrypted with, the secret of a cache rule), of another Region or
// account. For a stack set, it records instead an ARN bound to one account,
// or to a Region other than the stack set's only one (see
// [Props.CheckStackSet]).
func (pl place) checkArnPlace(field, arn string, use arnUse, p *validation.Collector) {
	a, ok := check.ParseARN(arn)
	if !ok || check.IsToken(arn) {
		return
	}
	r := use.rule()
	if pl.stackSet != nil {
		pl.stackSet.checkBound(field, arn, a, r.bound, p)
		return
	}
	if part := pl.partition(); part != "" && a.Partition != part {
		p.Add(field, arn, fmt.Sprintf("is in partition %s, but the stack's Region %s is in %s; %s must be in the same partition", a.Partition, pl.region, part, r.what))
		return
	}
	if r.sameRegion && pl.region != "" && a.Region != "" && a.Region != pl.region {
		p.Add(field, arn, fmt.Sprintf("is in Region %s, but the stack is in %s; ECR needs %s of the Region the repositories are created in", a.Region, pl.region, r.what))
	}
	if r.sameAccount && pl.account != "" && a.Account != "" && a.Account != pl.account {
		p.Add(field, arn, fmt.Sprintf("is in account %s, but the stack is in %s; ECR needs %s in the registry's own account", a.Account, pl.account, r.what))
	}
}
