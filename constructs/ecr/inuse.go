package ecr

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/appcheck"
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
//
// A deployment protects the repository it references, matched by stack and
// logical id: repositories of several stacks with one construct path share
// a logical id, and a cross-stack reference is told apart by its target.
// A deployment through an import of a repository the app defines with a
// literal RepositoryName ([FromRepositoryName], [FromRepositoryArn],
// [FromRepositoryAttributes], or CDK's awsecr.Repository_FromRepository…),
// or by a literal URI, is matched by name, account and Region: the
// import's account and Region (literals, or the consuming stack's own)
// against the stack's of each repository of that name, so a repository of
// the same name in another Region is not protected by mistake; where
// either is unknown (a stack without an account and Region), the one
// repository of that name is. One the library can't tell (a resource that
// deploys images of two such repositories of one logical id, or a name the
// app has in several environments it can't tell apart) is a warning on the
// deploying resource (@secure-ecr/ecr-cdk-go:inUseUnknownRepository), never
// another repository's protection. A deployed tag no image can have (whitespace, more than 128
// characters, a character outside [a-zA-Z0-9_.-]) fails synthesis, in one
// line naming the deploying resource and the tag.

// InUseResource implements appcheck.Protected: the resource whose URI the
// app's deployments render.
func (r *jsiiProxy_repository) InUseResource() awsecr.CfnRepository { return r.cfn }

// ProtectInUse implements appcheck.Protected: it puts the deployed tags
// first in the repository's lifecycle policy, and warns about what it can't
// protect. appcheck calls it at synthesis, before templates are written.
func (r *jsiiProxy_repository) ProtectInUse(deployed []appcheck.Deployment) {
	if r.policy == nil || r.noInUse {
		return // no policy to expire anything, or the protection turned off
	}
	var tags []string
	ownStack := *awscdk.Stack_Of(r).Node().Path()
	for _, d := range deployed {
		switch {
		case d.Token && d.Param != "" && d.ParamStack == ownStack:
			// A parameter of the repository's own stack: CloudFormation
			// resolves it in the policy text too (see tokenTag).
			tags = append(tags, tokenTag(d.Param))
		case d.Digest:
			awscdk.Annotations_Of(r.cfn).AddWarningV2(jsii.String("@secure-ecr/ecr-cdk-go:inUseDigest"),
				jsii.String(fmt.Sprintf("%s deploys an image of this repository by digest, which no lifecycle rule can select: the repository's lifecycle policy may expire it; deploy by tag, or keep the image out of the rules' reach (lifecycle.Protect)", d.By)), nil)
		case d.Token:
			awscdk.Annotations_Of(r.cfn).AddWarningV2(jsii.String("@secure-ecr/ecr-cdk-go:inUseToken"),
				jsii.String(fmt.Sprintf("%s deploys an image of this repository by a tag known only at deployment (a token), which the lifecycle policy can't protect: the policy may expire it; protect the tags it may take with lifecycle.Protect", d.By)), nil)
		default:
			tags = append(tags, d.Tag)
		}
	}
	if len(tags) == 0 {
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
		p := &validation.Collector{Package: "ecr", Path: *r.Node().Path()}
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
