package registry

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/internal/check"
)

// place is where a registry resource is created: its stack's account and
// Region, each "" when it is a token (an environment-agnostic stack), and
// the Regions of the app's explicit escape (see [ExtraRegionsContext]).
type place struct {
	account, region string
	extra           []string
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
func (pl place) checkRegion(field, region string, p *problems) {
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

// checkArnPlace records an ARN of another partition than the place's, and,
// when sameRegion or sameAccount, of another Region or account: what must
// be the resource's own (the KMS key a repository is encrypted with, the
// secret of a cache rule). what names the ARN's resource in messages.
func (pl place) checkArnPlace(field, arn, what string, sameRegion, sameAccount bool, p *problems) {
	a, ok := check.ParseARN(arn)
	if !ok || check.IsToken(arn) {
		return
	}
	if part := pl.partition(); part != "" && a.Partition != part {
		p.Add(field, arn, fmt.Sprintf("is in partition %s, but the stack's Region %s is in %s; %s must be in the same partition", a.Partition, pl.region, part, what))
		return
	}
	if sameRegion && pl.region != "" && a.Region != "" && a.Region != pl.region {
		p.Add(field, arn, fmt.Sprintf("is in Region %s, but the stack is in %s; ECR needs %s of the Region the repositories are created in", a.Region, pl.region, what))
	}
	if sameAccount && pl.account != "" && a.Account != "" && a.Account != pl.account {
		p.Add(field, arn, fmt.Sprintf("is in account %s, but the stack is in %s; ECR needs %s in the registry's own account", a.Account, pl.account, what))
	}
}
