package check

import (
	"fmt"
	"regexp"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// repositoryNameGroups is a repository name: lowercase letters and digits
// in groups separated by one of . _ -, in "/"-separated parts. It is the
// pattern CDK's Repository enforces (aws-cdk-lib 2.277, repository.ts
// validateRepositoryName); ECR's newer schema also accepts "__" and runs of
// "-", which CDK refuses with a JavaScript error, so the library accepts
// exactly the names both accept.
const repositoryNameGroups = `(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*`

var (
	repositoryNamePattern = regexp.MustCompile(`^` + repositoryNameGroups + `$`)
	// templatePrefixPattern is AWS::ECR::RepositoryCreationTemplate's Prefix:
	// a repository name with an optional trailing "/", or ROOT.
	templatePrefixPattern = regexp.MustCompile(`^(?:` + repositoryNameGroups + `/?|ROOT)$`)
)

// Length limits of repository names: AWS::ECR::Repository's schema takes 2
// to 256 characters; ECR Public's API takes at most 205.
const (
	MinNameLength       = 2
	MaxNameLength       = 256
	MaxPublicNameLength = 205
	maxPrefixLength     = 256
)

// RepositoryName records a repository name ECR or CDK would refuse: a
// length outside min to max characters, or characters outside the
// pattern. Tokens pass.
func RepositoryName(field, name string, maxLength int, p *validation.Collector) {
	switch {
	case IsToken(name):
	case len(name) < MinNameLength || len(name) > maxLength:
		p.Add(field, name, fmt.Sprintf("must be %d to %d characters long, not %d", MinNameLength, maxLength, len(name)))
	case !repositoryNamePattern.MatchString(name):
		p.Add(field, name, "must be lowercase letters and digits in groups separated by one of . _ - or /, matching "+repositoryNamePattern.String())
	}
}

// TemplatePrefix records a creation template prefix CloudFormation would
// refuse. Tokens pass.
func TemplatePrefix(field, prefix string, p *validation.Collector) {
	switch {
	case IsToken(prefix):
	case len(prefix) < 1 || len(prefix) > maxPrefixLength:
		p.Add(field, prefix, fmt.Sprintf("must be 1 to %d characters long, not %d", maxPrefixLength, len(prefix)))
	case !templatePrefixPattern.MatchString(prefix):
		p.Add(field, prefix, `must be ROOT or a repository name with an optional trailing "/", matching `+templatePrefixPattern.String())
	}
}
