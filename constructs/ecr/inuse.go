package ecr

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/internal/appcheck"
	"github.com/secure-ecr/ecr-cdk-go/internal/check"
)

// The images an app deploys from its own repositories are never expired by
// those repositories' lifecycle policies. Lifecycle rules know nothing of
// what runs: a keep-last-N or age rule expires the image an ECS service or
// a Lambda function uses, and the next task start or cold start fails to
// pull (AWS containers-roadmap #1078, #1036). At synthesis, before
// templates are written, the library finds every resource property of the
// app that resolves to one of its repositories' URI with a tag — ECS task
// definitions (awsecs.ContainerImage_FromEcrRepository), Lambda functions
// (awslambda.DockerImageCode_FromEcr), App Runner, Batch, CodeBuild, custom
// resources: anything that renders the repository's URI — in every stack,
// and puts first in that repository's policy a rule per deployed tag that
// selects the tag and can never fire (lifecycle.ProtectTags), so no rule
// after it can expire or archive the image.
//
// A digest reference (repo@sha256:…) can't be selected by a tag rule, and a
// tag that is a token (a parameter) isn't known at synthesis: both are
// reported as warnings on the resource that deploys them.

// inUseID is the id of the construct, at the root of the app, whose aspect
// protects the images the app deploys.
const inUseID = "ecr-cdk-go-in-use"

// attachInUseProtection makes sure the app of scope protects the images it
// deploys, once per app.
func attachInUseProtection(scope constructs.Construct) {
	appcheck.Once(scope, inUseID, func(marker constructs.Construct) {
		awscdk.Aspects_Of(marker).Add(&inUseProtection{root: marker.Node().Root()}, nil)
	})
}

// inUseProtection is the aspect that protects the images the app deploys.
// It is added to a construct without children, so it is visited once, and
// looks at the whole app from there.
type inUseProtection struct {
	root constructs.IConstruct
}

// deployment is one reference to a repository's image.
type deployment struct {
	by     string // the path of the resource that deploys it
	tag    string // the tag, "" for a digest or a token
	digest bool   // repo@sha256:…
	token  bool   // the tag is a token
	// param is, for a token tag that is a parameter's value, the
	// parameter's logical id and its stack's path.
	param, paramStack string
}

// Types whose properties never hold an image reference, skipped so the walk
// costs less: the library's own resources and the usual companions.
var noImages = []string{
	"AWS::ECR::", "AWS::IAM::", "AWS::KMS::", "AWS::Events::", "AWS::Logs::",
	"AWS::SNS::", "AWS::SQS::", "AWS::EC2::", "AWS::CloudFormation::", "AWS::CDK::",
}

// Visit implements awscdk.IAspect.
func (a *inUseProtection) Visit(constructs.IConstruct) {
	repos := map[string][]*jsiiProxy_repository{}  // logical id -> repositories
	byName := map[string][]*jsiiProxy_repository{} // literal name -> repositories
	var resources []awscdk.CfnResource
	params := map[string]bool{} // stack path + logical id of every parameter
	for _, c := range *a.root.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		if p, ok := c.(awscdk.CfnParameter); ok {
			stack := awscdk.Stack_Of(p)
			params[*stack.Node().Path()+"\x00"+*stack.GetLogicalId(p)] = true
			continue
		}
		if r, ok := c.(*jsiiProxy_repository); ok {
			id := *awscdk.Stack_Of(r).GetLogicalId(r.cfn)
			repos[id] = append(repos[id], r)
			if name := r.cfn.RepositoryName(); name != nil && check.Known(*name) {
				byName[*name] = append(byName[*name], r)
			}
			continue
		}
		cfn, ok := c.(awscdk.CfnResource)
		if !ok {
			continue
		}
		t := *cfn.CfnResourceType()
		if slices.ContainsFunc(noImages, func(prefix string) bool { return strings.HasPrefix(t, prefix) }) {
			continue
		}
		resources = append(resources, cfn)
	}
	if len(repos) == 0 {
		return
	}
	found := map[*jsiiProxy_repository][]deployment{}
	for _, cfn := range resources {
		props := cfn.UpdatedProperties()
		if props == nil {
			continue
		}
		path := *cfn.Node().Path()
		stack := awscdk.Stack_Of(cfn)
		walkImages(stack.Resolve(props), func(ref imageRef) {
			targets := repos[ref.logicalID]
			if ref.name != "" {
				targets = byName[ref.name]
			}
			d := deployment{by: path, tag: ref.tag, digest: ref.digest, token: ref.token}
			if ref.param != "" && params[*stack.Node().Path()+"\x00"+ref.param] {
				d.param, d.paramStack = ref.param, *stack.Node().Path()
			}
			for _, r := range targets {
				found[r] = append(found[r], d)
			}
		})
	}
	for r, deployed := range found {
		r.protect(deployed)
	}
}

// protect puts the deployed tags first in the repository's lifecycle
// policy, and warns about what it can't protect.
func (r *jsiiProxy_repository) protect(deployed []deployment) {
	var tags []string
	ownStack := *awscdk.Stack_Of(r).Node().Path()
	for _, d := range deployed {
		switch {
		case d.token && d.param != "" && d.paramStack == ownStack:
			// A parameter of the repository's own stack: CloudFormation
			// resolves it in the policy text too (see tokenTag).
			tags = append(tags, tokenTag(d.param))
		case d.digest:
			awscdk.Annotations_Of(r.cfn).AddWarningV2(jsii.String("@secure-ecr/ecr-cdk-go:inUseDigest"),
				jsii.String(fmt.Sprintf("%s deploys an image of this repository by digest, which no lifecycle rule can select: the repository's lifecycle policy may expire it; deploy by tag, or keep the image out of the rules' reach (lifecycle.Protect)", d.by)), nil)
		case d.token:
			awscdk.Annotations_Of(r.cfn).AddWarningV2(jsii.String("@secure-ecr/ecr-cdk-go:inUseToken"),
				jsii.String(fmt.Sprintf("%s deploys an image of this repository by a tag known only at deployment (a token), which the lifecycle policy can't protect: the policy may expire it; protect the tags it may take with lifecycle.Protect", d.by)), nil)
		default:
			tags = append(tags, d.tag)
		}
	}
	if r.policy == nil || r.noInUse || len(tags) == 0 {
		return
	}
	slices.Sort(tags)
	tags = slices.Compact(tags)
	protected := lifecycle.ProtectTags(tags...)
	rules := r.policy.Rules() // priorities assigned
	for i := range protected {
		protected[i].Priority = i + 1
	}
	for i := range rules {
		rules[i].Priority += len(protected) // the order kept, after the protection
	}
	policy, err := lifecycle.NewPolicy(slices.Concat([]lifecycle.Rule(protected), rules)...)
	if err != nil {
		p := newProblems(*r.Node().Path())
		why := strings.TrimPrefix(err.Error(), "lifecycle: ")
		p.Add("LifecycleRules", nil, fmt.Sprintf("protecting the %d tags the app deploys (%s) would break the policy (%s); set NoInUseProtection and protect them yourself, with patterns (lifecycle.ProtectPatterns)", len(tags), shortList(tags), why))
		// An aspect can't refuse (a panic here would reach the user as a
		// JavaScript error): the refusal is a validation of the repository,
		// which fails the synthesis that follows.
		r.Node().AddValidation(&refusal{line: p.Err().Error()})
		return
	}
	r.cfn.SetLifecyclePolicy(&awsecr.CfnRepository_LifecyclePolicyProperty{LifecyclePolicyText: jsii.String(withParameters(policy.JSON()))})
}

// A tag that is the value of a parameter of the repository's own stack is
// protected through the rendered policy: the rule is built with a
// placeholder tag that the lifecycle model accepts, and the placeholder is
// then replaced in the policy text by a Ref of the parameter, which CDK
// renders as an Fn::Join that CloudFormation resolves at deployment.
const paramPlaceholder = "ecr-cdk-go-parameter-"

// tokenTag is the placeholder tag of a parameter.
func tokenTag(logicalID string) string { return paramPlaceholder + logicalID }

// placeholders finds the placeholder tags in a policy's text.
var placeholders = regexp.MustCompile(paramPlaceholder + `([A-Za-z0-9]+)`)

// withParameters replaces the placeholder tags by Refs of their parameters.
func withParameters(text string) string {
	return placeholders.ReplaceAllStringFunc(text, func(m string) string {
		return *awscdk.Fn_Ref(jsii.String(strings.TrimPrefix(m, paramPlaceholder)))
	})
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

// refusal is a validation that fails with one line.
type refusal struct{ line string }

// Validate implements constructs.IValidation.
func (v *refusal) Validate() *[]*string { return &[]*string{jsii.String(v.line)} }

// shortList names the first few entries of a list.
func shortList(list []string) string {
	if len(list) <= 3 {
		return strings.Join(list, ", ")
	}
	return fmt.Sprintf("%s, … %d more", strings.Join(list[:3], ", "), len(list)-3)
}

// isTagChar reports whether a join part continues a tag (a literal starting
// with a tag's character), so a parameter before it is only part of the tag.
func isTagChar(part any) bool {
	s, ok := part.(string)
	return ok && tagAfter.MatchString(s)
}
