package ecr

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/secure-ecr/ecr-cdk-go/internal/construct"
)

// repositoryNamePattern is the repository name pattern CDK 2.270's Repository
// enforces. ECR's newer schema also accepts "__" and runs of "-"
// separators; CDK refuses them (with a JavaScript error), so this
// construct accepts exactly the names both accept.
var repositoryNamePattern = regexp.MustCompile(`^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`)

// exclusionFilterPattern is ECR's pattern for a tag mutability exclusion
// filter.
var exclusionFilterPattern = regexp.MustCompile(`^[0-9a-zA-Z._*-]{1,128}$`)

// Limits ECR and CloudFormation put on a repository.
const (
	minNameLength       = 2
	maxNameLength       = 256
	maxExclusionFilters = 5
	maxTags             = 50
	maxTagKeyLength     = 128
	maxTagValueLength   = 256
)

// Validate checks the props the way NewRepository does, without building
// anything, and returns every problem found as [Errors] (nil when the props
// are valid), for programs that prefer an error to a panic. nil props are
// valid. NewRepository also checks what depends on where the repository
// goes: the scope, the id, and an EncryptionKey in another Region than the
// stack's.
func (props *RepositoryProps) Validate() error {
	if props == nil {
		return nil
	}
	p := newProblems("RepositoryProps")
	checkProps(props, p)
	return p.Err()
}

// checkProps records every problem with props and returns the settings they
// imply. The settings a repository shares with creation templates are
// checked by checkSettings; what follows is the repository's own.
func checkProps(props *RepositoryProps, p *problems) settings {
	if props.RepositoryName != nil {
		checkRepositoryName("RepositoryName", *props.RepositoryName, p)
	}
	createKey := props.CreateEncryptionKey != nil && *props.CreateEncryptionKey
	in := settingsInput{
		TagMutability:           props.TagMutability,
		TagMutabilityExclusions: props.TagMutabilityExclusions,
		Encryption:              props.Encryption,
		CreateKey:               createKey,
		LifecycleRules:          props.LifecycleRules,
		NoLifecyclePolicy:       props.NoLifecyclePolicy,
		Tags:                    props.Tags,
	}
	if props.EncryptionKey != nil {
		in.KeyField = "EncryptionKey"
	}
	in.Between = func() {
		if props.EncryptionKey != nil && createKey {
			p.Add("CreateEncryptionKey", true, "can't be combined with EncryptionKey: give a key or ask for one, not both")
		}

		removal := props.RemovalPolicy
		switch removal {
		case "", awscdk.RemovalPolicy_RETAIN, awscdk.RemovalPolicy_RETAIN_ON_UPDATE_OR_DELETE, awscdk.RemovalPolicy_DESTROY:
		default:
			p.Add("RemovalPolicy", string(removal), "must be RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY; ECR repositories have no snapshots")
		}
		if props.EmptyOnDelete != nil && *props.EmptyOnDelete && removal != awscdk.RemovalPolicy_DESTROY {
			if removal == "" {
				removal = awscdk.RemovalPolicy_RETAIN
			}
			p.Add("EmptyOnDelete", true, fmt.Sprintf("only applies with RemovalPolicy DESTROY, not %s", removal))
		}
	}
	for i, a := range props.Acknowledgments {
		field := fmt.Sprintf("Acknowledgments[%d]", i)
		switch {
		case a == nil:
			p.Add(field, nil, "must not be nil")
		case a.Id == nil || strings.TrimSpace(*a.Id) == "":
			p.Add(field+".Id", a.Id, "must name the rule, such as compliance.Acknowledgment builds")
		case a.Reason == nil || strings.TrimSpace(*a.Reason) == "":
			p.Add(field+".Reason", a.Reason, "must say why "+*a.Id+" is broken on purpose")
		}
	}
	return checkSettings(in, p)
}

// checkKeyRegion records a customer-managed key whose Region is known and
// differs from the stack's known Region: ECR only uses a key of the
// repository's own Region.
func checkKeyRegion(scope constructs.Construct, key awskms.IKey, p *problems) {
	if key == nil {
		return
	}
	keyRegion, stackRegion := *key.Env().Region, *awscdk.Stack_Of(scope).Region()
	if !construct.IsToken(keyRegion) && !construct.IsToken(stackRegion) && keyRegion != stackRegion {
		p.Add("EncryptionKey", *key.KeyArn(), fmt.Sprintf("is in Region %s, but the repository's stack is in %s; ECR needs a key of the repository's own Region", keyRegion, stackRegion))
	}
}

// checkRepositoryName records a repository name ECR or CDK would refuse.
func checkRepositoryName(field, name string, p *problems) {
	switch {
	case construct.IsToken(name):
	case len(name) < minNameLength || len(name) > maxNameLength:
		p.Add(field, name, fmt.Sprintf("must be %d to %d characters long, not %d", minNameLength, maxNameLength, len(name)))
	case !repositoryNamePattern.MatchString(name):
		p.Add(field, name, "must be lowercase letters and digits in groups separated by one of . _ - or /, matching "+repositoryNamePattern.String())
	}
}

// checkScopeAndID records a missing scope or id, and an id already taken.
func checkScopeAndID(scope constructs.Construct, id *string, p *problems) {
	switch {
	case scope == nil:
		p.Add("scope", nil, "must not be nil")
	case id == nil || *id == "":
		p.Add("id", nil, "must not be empty")
	case scope.Node().TryFindChild(id) != nil:
		p.Add("id", *id, fmt.Sprintf("is already taken in %q; construct ids must be unique among siblings", *scope.Node().Path()))
	}
}

// tagLimits are the limits a resource type puts on its tags, in characters.
type tagLimits struct {
	key, value int
	// minValue is 1 where an empty value is refused.
	minValue int
	// what names the resource in messages.
	what string
}

// repositoryTags are the limits of AWS::ECR::Repository and
// AWS::ECR::RepositoryCreationTemplate.
var repositoryTags = tagLimits{key: maxTagKeyLength, value: maxTagValueLength, what: "a repository"}

// checkTags records tags AWS would refuse: at most 50, keys not starting
// with "aws:", lengths within the resource type's limits.
func checkTags(tags map[string]string, limits tagLimits, p *problems) {
	if len(tags) > maxTags {
		p.Add("Tags", fmt.Sprintf("(%d tags)", len(tags)), fmt.Sprintf("%s takes at most %d tags", limits.what, maxTags))
	}
	for _, k := range construct.SortedKeys(tags) {
		v := tags[k]
		switch {
		case construct.IsToken(k):
		case k == "" || utf8.RuneCountInString(k) > limits.key:
			p.Add("Tags", k, fmt.Sprintf("a tag key must be 1 to %d characters", limits.key))
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			p.Add("Tags", k, `a tag key can't start with "aws:", which AWS reserves`)
		}
		if n := utf8.RuneCountInString(v); !construct.IsToken(v) && (n < limits.minValue || n > limits.value) {
			constraint := fmt.Sprintf("a tag value must be at most %d characters", limits.value)
			if limits.minValue > 0 {
				constraint = fmt.Sprintf("%s's tag value must be %d to %d characters", limits.what, limits.minValue, limits.value)
			}
			p.Add("Tags["+k+"]", v, constraint)
		}
	}
}
