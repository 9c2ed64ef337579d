package ecr

import (
	"fmt"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
)

// Limits of AWS::ECR::PublicRepository (its CloudFormation schema, and the
// ECR Public API reference where it is stricter; the name's, at most 205
// characters against the schema's 256, is check.MaxPublicNameLength).
const (
	maxPublicDescriptionLength = 1024
	maxPublicTextLength        = 10240 // AboutText and UsageText
	minRegistryAliasLength     = 2
	maxRegistryAliasLength     = 50
)

// publicRegion is the only commercial Region where CloudFormation can create
// ECR Public repositories.
const publicRegion = "us-east-1"

// registryAliasPattern is the ECR Public API's pattern for a registry alias.
var registryAliasPattern = regexp.MustCompile(`^[a-z][a-z0-9]+(?:[._-][a-z0-9]+)*$`)

// Validate checks the props the way NewPublicRepository does, without
// building anything, and returns every problem found as [validation.Errors]
// (nil when the props are valid). nil props are valid. NewPublicRepository
// also checks the scope, the id and the stack's Region.
func (props *PublicRepositoryProps) Validate() error {
	if props == nil {
		return nil
	}
	p := &validation.Collector{Package: "ecr", Path: "PublicRepositoryProps"}
	checkPublicProps(props, p)
	return p.Err()
}

// checkPublicProps records every problem with props.
func checkPublicProps(props *PublicRepositoryProps, p *validation.Collector) {
	if props.RepositoryName != nil {
		checkPublicRepositoryName(*props.RepositoryName, p)
	}
	if c := props.CatalogData; c != nil {
		checkText("CatalogData.Description", c.Description, maxPublicDescriptionLength, p)
		checkText("CatalogData.AboutText", c.AboutText, maxPublicTextLength, p)
		checkText("CatalogData.UsageText", c.UsageText, maxPublicTextLength, p)
		checkBadges("CatalogData.Architectures", c.Architectures, p)
		checkBadges("CatalogData.OperatingSystems", c.OperatingSystems, p)
	}
	check.Tags(props.Tags, check.PublicRepositoryTags, p)
	switch props.RemovalPolicy {
	case "", awscdk.RemovalPolicy_RETAIN, awscdk.RemovalPolicy_RETAIN_ON_UPDATE_OR_DELETE, awscdk.RemovalPolicy_DESTROY:
	default:
		p.Add("RemovalPolicy", string(props.RemovalPolicy), "must be RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY; ECR Public repositories have no snapshots")
	}
	if a := props.RegistryAlias; a != nil && !check.IsToken(*a) {
		switch n := len(*a); {
		case n < minRegistryAliasLength || n > maxRegistryAliasLength:
			p.Add("RegistryAlias", *a, fmt.Sprintf("must be %d to %d characters long, not %d", minRegistryAliasLength, maxRegistryAliasLength, n))
		case !registryAliasPattern.MatchString(*a):
			p.Add("RegistryAlias", *a, "must be a lowercase letter, then lowercase letters and digits in groups separated by one of . _ -, matching "+registryAliasPattern.String())
		}
	}
}

// checkPublicRepositoryName records a name ECR Public would refuse.
func checkPublicRepositoryName(name string, p *validation.Collector) {
	check.RepositoryName("RepositoryName", name, check.MaxPublicNameLength, p)
}

// checkText records a catalog text longer than max characters.
func checkText(field string, text *string, max int, p *validation.Collector) {
	if text == nil || check.IsToken(*text) {
		return
	}
	if n := utf8.RuneCountInString(*text); n > max {
		p.Add(field, fmt.Sprintf("(%d characters)", n), fmt.Sprintf("must be at most %d characters", max))
	}
}

// checkBadges records gallery badges that are unknown or repeated.
func checkBadges[T interface {
	~string
	Values() []T
}](field string, badges []T, p *validation.Collector) {
	var seen []T
	for i, b := range badges {
		name := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case !slices.Contains(b.Values(), b):
			p.Add(name, string(b), "must be "+validation.OneOfQuoted(b.Values())+", the gallery's badges")
		case slices.Contains(seen, b):
			p.Add(name, string(b), "is listed twice; each badge may appear once")
		}
		seen = append(seen, b)
	}
}

// checkPublicRegion records a stack whose Region is known and is not
// us-east-1, the only Region where CloudFormation creates ECR Public
// repositories. An environment-agnostic stack passes.
func checkPublicRegion(scope constructs.Construct, p *validation.Collector) {
	region := *awscdk.Stack_Of(scope).Region()
	if !check.IsToken(region) && region != publicRegion {
		p.Add("Region", region, "ECR Public repositories can only be created in "+publicRegion+"; put the repository in a stack whose env Region is "+publicRegion)
	}
}
