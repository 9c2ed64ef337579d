package check

import (
	"fmt"
	"regexp"
	"strings"

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
// pattern. An image URI or a registry's host name given for the name is
// refused with the name it holds, even where the pattern would take it
// ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web" is a valid
// name, of a repository nobody meant). Tokens pass.
func RepositoryName(field, name string, maxLength int, p *validation.Collector) {
	switch {
	case IsToken(name):
	case imageReference(name, p, field):
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

// registryHost is the host name of an Amazon ECR registry, as image URIs
// start with it: a private registry's <account>.dkr.ecr.<region>.amazonaws.com
// (.amazonaws.com.cn in China, dkr.ecr-fips in FIPS endpoints) or its
// dual-stack <account>.dkr-ecr.<region>.on.aws, and ECR Public's
// public.ecr.aws (Amazon ECR User Guide, "Private registry concepts" and
// "Dual-stack endpoints"; Amazon ECR Public User Guide, "Public
// repositories").
var registryHost = regexp.MustCompile(`(?i)^(?:[0-9]{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?|[0-9]{12}\.dkr-ecr(?:-fips)?\.[a-z0-9-]+\.on\.aws|public\.ecr\.aws)$`)

// imageReference records, and reports, a name that is an image reference
// rather than a repository name: a registry's host name alone, an image
// URI (host/name, with or without a tag or digest), or a name followed by
// a tag (":v1") or a digest ("@sha256:..."). The message gives the name the
// reference holds, when it is one.
func imageReference(name string, p *validation.Collector, field string) bool {
	rest := name
	for _, scheme := range []string{"https://", "http://", "oci://", "docker://"} {
		rest = strings.TrimPrefix(rest, scheme)
	}
	host, path, _ := strings.Cut(rest, "/")
	hasHost := registryHost.MatchString(host)
	if hasHost {
		rest = path
		if strings.EqualFold(host, "public.ecr.aws") {
			_, rest, _ = strings.Cut(rest, "/") // the registry's alias
		}
	}
	hasSuffix := false
	if i := strings.IndexByte(rest, '@'); i >= 0 {
		rest, hasSuffix = rest[:i], true
	}
	if i := strings.LastIndexByte(rest, ':'); i >= 0 && i > strings.LastIndexByte(rest, '/') {
		rest, hasSuffix = rest[:i], true
	}
	valid := repositoryNamePattern.MatchString(rest)
	switch {
	case hasHost && rest == "":
		p.Add(field, name, `is a registry's host name, not a repository name: give the repository's name only, such as "shop/web"`)
	case hasHost && valid:
		p.Add(field, name, fmt.Sprintf("is an image URI, not a repository name: give the name only, %q", rest))
	case hasHost:
		p.Add(field, name, `is an image URI, not a repository name: give the repository's name only, such as "shop/web"`)
	case hasSuffix && valid:
		p.Add(field, name, fmt.Sprintf("is an image reference with a tag or digest, not a repository name: give the name only, %q", rest))
	default:
		return false
	}
	return true
}
