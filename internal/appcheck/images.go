package appcheck

import (
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"

	"github.com/secure-ecr/ecr-cdk-go/internal/check"
)

// Protected is a repository that protects the images the app deploys from
// it (ecr.NewRepository's): the walk gives it every deployment found.
type Protected interface {
	// InUseResource is the repository's resource, whose URI deployments
	// render.
	InUseResource() awsecr.CfnRepository
	// ProtectInUse receives every deployment of the repository's images.
	ProtectInUse(deployments []Deployment)
}

// Deployment is one reference to a repository's image by a resource of the
// app.
type Deployment struct {
	// By is the path of the resource that deploys the image.
	By string
	// Tag is the tag; "" for a digest or a token.
	Tag string
	// Digest reports a reference by digest (repo@sha256:…).
	Digest bool
	// Token reports a tag that is a token.
	Token bool
	// Param and ParamStack are, for a token tag that is a parameter's
	// value, the parameter's logical id and its stack's path.
	Param, ParamStack string
}

// noImages are the types whose properties never hold an image reference,
// skipped so the walk costs less: the library's own resources and the usual
// companions.
var noImages = []string{
	"AWS::ECR::", "AWS::IAM::", "AWS::KMS::", "AWS::Events::", "AWS::Logs::",
	"AWS::SNS::", "AWS::SQS::", "AWS::EC2::", "AWS::CloudFormation::", "AWS::CDK::",
}

// protectImages finds, in the resolved properties of the resources, every
// image of a protected repository the app deploys — in CDK's rendering of a
// repository's URI with a tag, {"Fn::Join": ["", [..., {"Ref": repo},
// ":tag"]]}, from any stack, or in a literal URI of a repository with a
// fixed name — and hands each repository its deployments.
func protectImages(resources []awscdk.CfnResource, repos []Protected, parameters []awscdk.CfnParameter) {
	protected := map[string][]Protected{} // logical id, or "name" and literal name -> repositories
	for _, r := range repos {
		cfn := r.InUseResource()
		id := *awscdk.Stack_Of(cfn).GetLogicalId(cfn)
		protected[id] = append(protected[id], r)
		if name := cfn.RepositoryName(); name != nil && check.Known(*name) {
			protected["name\x00"+*name] = append(protected["name\x00"+*name], r)
		}
	}
	params := map[string]bool{} // stack path + logical id of every parameter
	for _, p := range parameters {
		stack := awscdk.Stack_Of(p)
		params[*stack.Node().Path()+"\x00"+*stack.GetLogicalId(p)] = true
	}
	found := map[Protected][]Deployment{}
	var order []Protected
	for _, cfn := range resources {
		props := cfn.UpdatedProperties()
		if props == nil || len(*props) == 0 {
			continue
		}
		stack := awscdk.Stack_Of(cfn)
		var path, stackPath string
		walkImages(stack.Resolve(props), func(ref imageRef) {
			targets := protected[ref.logicalID]
			if ref.name != "" {
				targets = protected["name\x00"+ref.name]
			}
			if len(targets) == 0 {
				return
			}
			if path == "" {
				path, stackPath = *cfn.Node().Path(), *stack.Node().Path()
			}
			d := Deployment{By: path, Tag: ref.tag, Digest: ref.digest, Token: ref.token}
			if ref.param != "" && params[stackPath+"\x00"+ref.param] {
				d.Param, d.ParamStack = ref.param, stackPath
			}
			for _, r := range targets {
				if _, ok := found[r]; !ok {
					order = append(order, r)
				}
				found[r] = append(found[r], d)
			}
		})
	}
	for _, r := range order {
		r.ProtectInUse(found[r])
	}
}

// imageRef is a reference to a repository's image in a resolved property.
type imageRef struct {
	logicalID string // the repository named by {"Ref": …}
	name      string // or by its literal name, in a literal URI
	tag       string
	digest    bool
	token     bool
	param     string // a token tag's parameter, named by {"Ref": …}
}

// tagAfter reads a tag at the start of s, after ":".
var tagAfter = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`)

// literalURI is an ECR image URI in a literal string.
var literalURI = regexp.MustCompile(`^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?/([a-z0-9._/-]+)(?::([A-Za-z0-9_][A-Za-z0-9._-]{0,127})|@(sha256:[a-f0-9]{64}))$`)

// walkImages calls found for every image reference in v, a resolved
// property value: a {"Fn::Join": ["", [..., {"Ref": repo}, ":tag", ...]]}
// as CDK renders a repository's URI with a tag, or a literal URI.
func walkImages(v any, found func(imageRef)) {
	switch v := v.(type) {
	case map[string]any:
		if join, ok := v["Fn::Join"].([]any); ok && len(join) == 2 {
			if parts, ok := join[1].([]any); ok {
				joinRefs(parts, found)
			}
		}
		for _, e := range v {
			walkImages(e, found)
		}
	case []any:
		for _, e := range v {
			walkImages(e, found)
		}
	case string:
		if m := literalURI.FindStringSubmatch(v); m != nil {
			found(imageRef{name: m[1], tag: m[2], digest: m[3] != ""})
		}
	}
}

// joinRefs finds {"Ref": id} parts followed by ":tag" or "@digest".
func joinRefs(parts []any, found func(imageRef)) {
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
			found(imageRef{logicalID: id, digest: true})
		case next == ":" && i+2 < len(parts):
			if _, literal := parts[i+2].(string); !literal {
				ref := imageRef{logicalID: id, token: true}
				if p, ok := parts[i+2].(map[string]any); ok && len(p) == 1 && (i+3 == len(parts) || !isTagChar(parts[i+3])) {
					ref.param, _ = p["Ref"].(string)
				}
				found(ref)
			}
		case strings.HasPrefix(next, ":"):
			if tag := tagAfter.FindString(next[1:]); tag != "" {
				found(imageRef{logicalID: id, tag: tag})
			}
		}
	}
}

// isTagChar reports whether a join part continues a tag (a literal starting
// with a tag's character), so a parameter before it is only part of the tag.
func isTagChar(part any) bool {
	s, ok := part.(string)
	return ok && tagAfter.MatchString(s)
}
