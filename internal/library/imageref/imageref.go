// Package imageref finds the references to container images of ECR
// repositories in a CloudFormation template's values, as CDK renders them:
// a repository's URI with a tag or digest is {"Fn::Join": ["", [...,
// {"Ref": repository}, ":tag"]]} (awsecr.Repository.RepositoryUriForTag,
// used by awsecs.ContainerImage_FromEcrRepository and
// awslambda.DockerImageCode_FromEcr); an imported repository's
// (awsecr.Repository_FromRepositoryName, …Arn, …Attributes) is
// {"Fn::Join": ["", [ACCOUNT, ".dkr.ecr.", REGION, ".", {"Ref":
// "AWS::URLSuffix"}, "/name:tag"]]}, its account and Region literals or the
// pseudo-parameters of the consuming stack; and a literal URI is
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
	// Name is the repository named by its literal name in a literal URI or
	// an imported repository's URI, or "".
	Name string
	// Account and Region are, for a reference by Name, the account and
	// Region the URI names: a literal, [StackAccount] or [StackRegion] for
	// the pseudo-parameter (the account or Region of the stack whose
	// template holds the reference), or "" for any other token.
	Account, Region string
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

// The values of Ref.Account and Ref.Region that are CloudFormation's
// pseudo-parameters, {"Ref": "AWS::AccountId"} and {"Ref": "AWS::Region"}:
// the account and Region of the stack that deploys the template.
const (
	StackAccount = "AWS::AccountId"
	StackRegion  = "AWS::Region"
)

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
var literalURI = regexp.MustCompile(`^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/([a-z0-9._/-]+)(?::([A-Za-z0-9_][A-Za-z0-9._-]{0,127})|@(sha256:[a-f0-9]{64}))$`)

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
			found(Ref{Name: m[3], Account: m[1], Region: m[2], Tag: m[4], Digest: m[5]})
		}
	}
}

// joinRefs finds {"Ref": id} parts followed by ":tag" or "@digest", and
// the URIs of repositories named by a literal name (importRefs).
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
		if next, ok := parts[i+1].(string); ok {
			tagRef(Ref{LogicalID: id}, next, parts[i+2:], spaceIn(parts[:i]), found)
		}
	}
	importRefs(parts, found)
}

// tagRef reports r, the reference to a repository's URI followed by next, a
// literal, and more, the join's parts after it; space tells whether the
// text before the URI holds whitespace.
//
// When the reference is a value of its own — its tag ends the string and no
// text before it holds whitespace, as a command's would — the tag is all of
// the literal after ":", and one no image can have is reported Invalid (a
// tag with a space, or of 129 characters, is a mistake, not the end of the
// reference). Inside a longer text (a command, a build script), the tag
// ends at the first character a tag can't hold, and only a run of more than
// 128 tag characters is reported Invalid. A tag whose literal start is
// followed by a token (":v1-" and a parameter) is a token tag.
func tagRef(r Ref, next string, more []any, space bool, found func(Ref)) {
	switch {
	case strings.HasPrefix(next, "@"):
		if digest := digestAfter.FindString(next[1:]); digest != "" {
			r.Digest = digest
		} else {
			r.Token = true // a digest known at deployment only
		}
		found(r)
	case next == ":" && len(more) > 0:
		if _, literal := more[0].(string); !literal {
			r.Token = true
			if p, ok := more[0].(map[string]any); ok && len(p) == 1 && (len(more) == 1 || !isTagChar(more[1])) {
				r.Param, _ = p["Ref"].(string)
			}
			found(r)
		}
	case strings.HasPrefix(next, ":"):
		rest, last := next[1:], len(more) == 0
		run := tagChars.FindString(rest)
		switch {
		case last && !space:
			r.Tag, r.Invalid = rest, !ValidTag(rest)
		case !last && run == rest:
			r.Token = true // the tag goes on in a token
		case len(run) > 128:
			r.Tag, r.Invalid = run, true
		default:
			if r.Tag = tagAfter.FindString(rest); r.Tag == "" {
				return
			}
		}
		found(r)
	}
}

// The runes that stand, in the text importRefs reads, for the parts of a
// join that aren't literals: the pseudo-parameters AWS::AccountId,
// AWS::Region and AWS::URLSuffix, and any other value.
const (
	markAccount = "\uE000"
	markRegion  = "\uE001"
	markSuffix  = "\uE002"
	markToken   = "\uE003"
)

// importURI is a repository's URI, named by its literal name, in the text of
// a join: the account and Region literals, pseudo-parameters or tokens.
var importURI = regexp.MustCompile(`(?:^|[^0-9])([0-9]{12}|` + markAccount + `|` + markToken + `)\.dkr\.ecr\.([a-z0-9-]+|` + markRegion + `|` + markToken + `)\.(?:amazonaws\.com(?:\.cn)?|` + markSuffix + `)/([a-z0-9][a-z0-9._/-]*)`)

// importRefs finds in a join the URIs of repositories named by a literal
// name, as CDK renders an imported repository's
// (awsecr.RepositoryBase.repositoryUriForTag: the account and Region of its
// ARN, the stack's URL suffix, then "/name:tag"), followed by ":tag" or
// "@digest" as tagRef reads them.
func importRefs(parts []any, found func(Ref)) {
	var text strings.Builder
	starts := make([]int, len(parts)) // where each part starts in text
	literals := false
	for i, p := range parts {
		starts[i] = text.Len()
		switch p := p.(type) {
		case string:
			text.WriteString(p)
			literals = literals || strings.Contains(p, ".dkr.ecr.")
		case map[string]any:
			switch ref, _ := p["Ref"].(string); {
			case len(p) == 1 && ref == "AWS::AccountId":
				text.WriteString(markAccount)
			case len(p) == 1 && ref == "AWS::Region":
				text.WriteString(markRegion)
			case len(p) == 1 && ref == "AWS::URLSuffix":
				text.WriteString(markSuffix)
			default:
				text.WriteString(markToken)
			}
		default:
			text.WriteString(markToken)
		}
	}
	if !literals {
		return
	}
	s := text.String()
	for _, m := range importURI.FindAllStringSubmatchIndex(s, -1) {
		end := m[7] // the end of the name
		k := len(parts) - 1
		for k > 0 && starts[k] > end {
			k--
		}
		literal, ok := parts[k].(string)
		if !ok || end == starts[k]+len(literal) {
			continue // the name ends the text, or a token may go on with it
		}
		r := Ref{Name: s[m[6]:m[7]], Account: pseudo(s[m[2]:m[3]], markAccount, StackAccount), Region: pseudo(s[m[4]:m[5]], markRegion, StackRegion)}
		tagRef(r, literal[end-starts[k]:], parts[k+1:], strings.ContainsFunc(s[:m[2]], unicode.IsSpace), found)
	}
}

// pseudo returns the value of an account or Region read by importURI: the
// literal, the pseudo-parameter's name for its mark, "" for a token.
func pseudo(v, mark, name string) string {
	switch v {
	case mark:
		return name
	case markToken:
		return ""
	}
	return v
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
