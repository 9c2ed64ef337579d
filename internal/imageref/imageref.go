// Package imageref finds the references to container images of ECR
// repositories in a CloudFormation template's values, as CDK renders them:
// a repository's URI with a tag or digest is {"Fn::Join": ["", [...,
// {"Ref": repository}, ":tag"]]} (awsecr.Repository.RepositoryUriForTag,
// used by awsecs.ContainerImage_FromEcrRepository and
// awslambda.DockerImageCode_FromEcr), and a literal URI is
// <account>.dkr.ecr.<region>.amazonaws.com/<name>:<tag>. It is plain Go, for
// the synthesis-time protection of deployed images (package appcheck) and
// for the ecr-lifecycle command's reading of templates alike.
package imageref

import (
	"regexp"
	"strings"
	"unicode"
)

// Ref is a reference to a repository's image.
type Ref struct {
	// LogicalID is the repository named by {"Ref": …}, or "".
	LogicalID string
	// Name is the repository named by its literal name in a literal URI,
	// or "".
	Name string
	// Tag is the tag; "" for a digest or a token.
	Tag string
	// Digest is the digest ("sha256:…") of a reference by digest, or "".
	Digest string
	// Token reports a tag that is not a literal (a parameter, an attribute).
	Token bool
	// Param is, for a token tag that is exactly a {"Ref": …}, what it
	// names (a parameter's logical id).
	Param string
	// Invalid reports a tag no image can have: Tag is then the text as
	// written (with its whitespace, or all of its characters past 128),
	// which no pull can name (see ValidTag).
	Invalid bool
}

// tagAfter reads a tag at the start of s, after ":".
var tagAfter = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`)

// tagChars reads the run of characters a tag may hold at the start of s.
var tagChars = regexp.MustCompile(`^[A-Za-z0-9._-]*`)

// TagPattern is the form of an image tag: 1 to 128 characters, letters,
// digits, "_", "." and "-", not starting with "." or "-". It is the OCI
// Distribution Specification's (spec.md, "Pulling manifests": a tag "MUST
// be at most 128 characters in length and MUST match the following regular
// expression"; https://github.com/opencontainers/distribution-spec), which
// Docker's image references and the container runtimes of ECS and Lambda
// follow to pull. The ECR API reference gives imageTag only lengths (1 to
// 300, API_ImageIdentifier and API_PutImage), no pattern.
const TagPattern = `^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$`

// validTag matches TagPattern.
var validTag = regexp.MustCompile(TagPattern)

// ValidTag reports whether s is a tag an image can have and a pull can
// name (TagPattern).
func ValidTag(s string) bool { return validTag.MatchString(s) }

// digestAfter reads a digest at the start of s, after "@".
var digestAfter = regexp.MustCompile(`^sha256:[a-f0-9]{64}`)

// literalURI is an ECR image URI in a literal string.
var literalURI = regexp.MustCompile(`^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?/([a-z0-9._/-]+)(?::([A-Za-z0-9_][A-Za-z0-9._-]{0,127})|@(sha256:[a-f0-9]{64}))$`)

// Walk calls found for every image reference in v, a template value.
func Walk(v any, found func(Ref)) {
	switch v := v.(type) {
	case map[string]any:
		if join, ok := v["Fn::Join"].([]any); ok && len(join) == 2 {
			if parts, ok := join[1].([]any); ok {
				joinRefs(parts, found)
			}
		}
		for _, e := range v {
			Walk(e, found)
		}
	case []any:
		for _, e := range v {
			Walk(e, found)
		}
	case string:
		if m := literalURI.FindStringSubmatch(v); m != nil {
			found(Ref{Name: m[1], Tag: m[2], Digest: m[3]})
		}
	}
}

// joinRefs finds {"Ref": id} parts followed by ":tag" or "@digest".
//
// When the reference is a value of its own — its tag ends the string and no
// text before it holds whitespace, as a command's would — the tag is all of
// the literal after ":", and one no image can have is reported Invalid (a
// tag with a space, or of 129 characters, is a mistake, not the end of the
// reference). Inside a longer text (a command, a build script), the tag
// ends at the first character a tag can't hold, and only a run of more than
// 128 tag characters is reported Invalid. A tag whose literal start is
// followed by a token (":v1-" and a parameter) is a token tag.
func joinRefs(parts []any, found func(Ref)) {
	for i := 0; i+1 < len(parts); i++ {
		ref, ok := parts[i].(map[string]any)
		if !ok || len(ref) != 1 {
			continue
		}
		id, ok := ref["Ref"].(string)
		if !ok || strings.HasPrefix(id, "AWS::") {
			continue
		}
		next, ok := parts[i+1].(string)
		switch {
		case !ok:
		case strings.HasPrefix(next, "@"):
			if digest := digestAfter.FindString(next[1:]); digest != "" {
				found(Ref{LogicalID: id, Digest: digest})
			} else {
				found(Ref{LogicalID: id, Token: true}) // a digest known at deployment only
			}
		case next == ":" && i+2 < len(parts):
			if _, literal := parts[i+2].(string); !literal {
				r := Ref{LogicalID: id, Token: true}
				if p, ok := parts[i+2].(map[string]any); ok && len(p) == 1 && (i+3 == len(parts) || !isTagChar(parts[i+3])) {
					r.Param, _ = p["Ref"].(string)
				}
				found(r)
			}
		case strings.HasPrefix(next, ":"):
			rest, last := next[1:], i+2 == len(parts)
			run := tagChars.FindString(rest)
			switch {
			case last && !spaceIn(parts[:i]):
				found(Ref{LogicalID: id, Tag: rest, Invalid: !ValidTag(rest)})
			case !last && run == rest:
				found(Ref{LogicalID: id, Token: true}) // the tag goes on in a token
			case len(run) > 128:
				found(Ref{LogicalID: id, Tag: run, Invalid: true})
			default:
				if tag := tagAfter.FindString(rest); tag != "" {
					found(Ref{LogicalID: id, Tag: tag})
				}
			}
		}
	}
}

// spaceIn reports whether a literal of parts holds whitespace.
func spaceIn(parts []any) bool {
	for _, p := range parts {
		if s, ok := p.(string); ok && strings.ContainsFunc(s, unicode.IsSpace) {
			return true
		}
	}
	return false
}

// tagContinues matches a literal that continues a tag.
var tagContinues = regexp.MustCompile(`^[A-Za-z0-9._-]`)

// isTagChar reports whether a join part continues a tag (a literal starting
// with a character a tag holds), so a parameter before it is only part of
// the tag.
func isTagChar(part any) bool {
	s, ok := part.(string)
	return ok && tagContinues.MatchString(s)
}
