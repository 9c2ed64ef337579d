package appcheck

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/imageref"
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

// candidate is a repository resource of the app that a {"Ref": id} in a
// deploying resource may name.
type candidate struct {
	key repoKey
	cfn awsecr.CfnRepository
	// protected is the repository that protects its deployed images; nil
	// for one that doesn't (awsecr's, a raw L1).
	protected Protected
	path      string // the resource's construct path, asked when needed
}

// pathOf returns the candidate's construct path.
func (c *candidate) pathOf() string {
	if c.path == "" {
		c.path = *c.cfn.Node().Path()
	}
	return c.path
}

// unknownRepository is the id of the warning on a resource that deploys an
// image of a repository the walk can't tell among several of one logical
// id, or of one name in accounts and Regions it can't tell apart.
const unknownRepository = "@secure-ecr/ecr-cdk-go:inUseUnknownRepository"

// protectImages finds, in the resolved properties of the resources, every
// image of a protected repository the app deploys — in CDK's rendering of a
// repository's URI with a tag, {"Fn::Join": ["", [..., {"Ref": repo},
// ":tag"]]}, from any stack, or in a literal URI or an imported
// repository's URI of a repository with a fixed name, matched by name,
// account and Region (named) — and hands each repository its deployments. It returns the
// deployments refused: a tag no image can have.
//
// A Ref names its repository by logical id, which only a stack makes
// unique: repositories of several stacks often share one (the same
// construct path in each). The walk runs before CDK's prepare, where a
// cross-stack reference is still a plain {"Ref": id} in the consumer's
// template, so an id the app's repositories share is settled by resolving
// the deploying resource once more, noting the target of each CDK
// reference (referenceTargets). What that can't settle is warned about on
// the deploying resource, never attributed to a repository of another
// stack.
func protectImages(resources []awscdk.CfnResource, all []awsecr.CfnRepository, repos []Protected, parameters []awscdk.CfnParameter) validation.Errors {
	byID := map[string][]*candidate{}   // logical id -> repositories
	byName := map[string][]*candidate{} // literal name -> repositories
	known := map[repoKey]bool{}
	envs := map[awscdk.Stack]environment{}
	for _, r := range repos {
		cfn := r.InUseResource()
		stack := awscdk.Stack_Of(cfn)
		k := repoKey{stack, *stack.GetLogicalId(cfn)}
		known[k] = true
		c := &candidate{key: k, cfn: cfn, protected: r}
		byID[k.id] = append(byID[k.id], c)
		if name := cfn.RepositoryName(); name != nil && check.Known(*name) {
			byName[*name] = append(byName[*name], c)
		}
	}
	for _, cfn := range all {
		stack := awscdk.Stack_Of(cfn)
		k := repoKey{stack, *stack.GetLogicalId(cfn)}
		if !known[k] {
			known[k] = true
			byID[k.id] = append(byID[k.id], &candidate{key: k, cfn: cfn})
		}
	}
	params := map[string]bool{} // stack path + logical id of every parameter
	for _, p := range parameters {
		stack := awscdk.Stack_Of(p)
		params[*stack.Node().Path()+"\x00"+*stack.GetLogicalId(p)] = true
	}
	found := map[Protected][]Deployment{}
	var order []Protected
	var refused validation.Errors
	for _, cfn := range resources {
		props := cfn.UpdatedProperties()
		if props == nil || len(*props) == 0 {
			continue
		}
		stack := awscdk.Stack_Of(cfn)
		var path, stackPath string
		here := func() {
			if path == "" {
				path, stackPath = *cfn.Node().Path(), *stack.Node().Path()
			}
		}
		t := targets{stack: stack, cfn: cfn, byID: byID}
		warned, bad := map[string]bool{}, map[string]bool{}
		imageref.Walk(stack.Resolve(props), func(ref imageref.Ref) {
			var to []Protected
			switch {
			case ref.Name != "":
				possible := named(byName[ref.Name], ref, stack, envs)
				switch {
				case len(possible) == 0:
					return // a repository outside the app
				case ref.Invalid:
					here()
					if !bad[ref.Tag] {
						bad[ref.Tag] = true
						repo := "the repository named " + ref.Name
						if len(possible) == 1 {
							repo = possible[0].pathOf()
						}
						refused = append(refused, badTag(path, ref.Tag, repo))
					}
					return
				case len(possible) > 1:
					here()
					if !warned["\x00"+ref.Name] {
						warned["\x00"+ref.Name] = true
						warnUnknownName(cfn, path, ref.Name, possible)
					}
					return
				}
				to = []Protected{possible[0].protected}
			case len(byID[ref.LogicalID]) == 0:
				return
			case ref.Invalid:
				here()
				if !bad[ref.Tag] {
					bad[ref.Tag] = true
					repo := "the repository of logical id " + ref.LogicalID
					if c, ok := t.of(ref.LogicalID); ok {
						repo = c.pathOf()
					}
					refused = append(refused, badTag(path, ref.Tag, repo))
				}
				return
			default:
				c, ok := t.of(ref.LogicalID)
				if !ok {
					here()
					if !warned[ref.LogicalID] {
						warned[ref.LogicalID] = true
						warnUnknown(cfn, path, ref.LogicalID, byID[ref.LogicalID])
					}
					return
				}
				if c.protected == nil {
					return
				}
				to = []Protected{c.protected}
			}
			if len(to) == 0 {
				return
			}
			here()
			d := Deployment{By: path, Tag: ref.Tag, Digest: ref.Digest != "", Token: ref.Token}
			if ref.Param != "" && params[stackPath+"\x00"+ref.Param] {
				d.Param, d.ParamStack = ref.Param, stackPath
			}
			for _, r := range to {
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
	return refused
}

// environment is where a stack deploys: its account and Region.
type environment struct{ account, region place }

// place is an account or a Region as the app knows it: a literal value, or
// the unresolved one of a stack (an environment-agnostic stack's, whose
// account and Region are the CLI's at deployment); neither when unknown.
type place struct {
	value string
	of    awscdk.Stack
}

// envOf returns a stack's account and Region, asked of the jsii runtime once
// per stack.
func envOf(stack awscdk.Stack, envs map[awscdk.Stack]environment) environment {
	e, ok := envs[stack]
	if !ok {
		e = environment{place{of: stack}, place{of: stack}}
		if a := *stack.Account(); check.Known(a) {
			e.account = place{value: a}
		}
		if r := *stack.Region(); check.Known(r) {
			e.region = place{value: r}
		}
		envs[stack] = e
	}
	return e
}

// match is whether a reference names a repository: no, yes, or maybe
// (where the account or Region of either is unknown).
type match int

const (
	no match = iota
	maybe
	yes
)

// compare tells whether two places are the same.
func (p place) compare(q place) match {
	switch {
	case p.value != "" && q.value != "":
		if p.value == q.value {
			return yes
		}
		return no
	case p.of != nil && p.of == q.of:
		return yes
	}
	return maybe
}

// named returns the repositories of the app that a reference by name, in
// a template of stack from, may name: those of that literal name whose
// stack's account and Region are the URI's (literals, or the
// pseudo-parameters of from, its own). A repository is named in a
// registry, of which each account has one per Region (the ECR User Guide,
// "Amazon ECR private registry",
// https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html),
// so a repository of the same name elsewhere is not it. Where the account
// or Region of either side is unknown, a repository of that name may be
// the one. It returns the repositories known to be the one if any, else
// those that may be: one is the repository deployed from, several are
// what the library can't tell apart, none says the repository is outside
// the app.
func named(candidates []*candidate, ref imageref.Ref, from awscdk.Stack, envs map[awscdk.Stack]environment) []*candidate {
	if len(candidates) == 0 {
		return nil
	}
	consumer := envOf(from, envs)
	account, region := place{value: ref.Account}, place{value: ref.Region}
	switch ref.Account {
	case imageref.StackAccount:
		account = consumer.account
	case "":
		account = place{}
	}
	switch ref.Region {
	case imageref.StackRegion:
		region = consumer.region
	case "":
		region = place{}
	}
	var sure, unsure []*candidate
	for _, c := range candidates {
		e := envOf(c.key.stack, envs)
		switch min(account.compare(e.account), region.compare(e.region)) {
		case yes:
			sure = append(sure, c)
		case maybe:
			unsure = append(unsure, c)
		}
	}
	if len(sure) > 0 {
		return sure
	}
	return unsure
}

// warnUnknownName warns, on a resource, that an image it deploys can't be
// protected because the app has several repositories of its name in
// accounts and Regions the library can't tell apart.
func warnUnknownName(cfn awscdk.CfnResource, path, name string, candidates []*candidate) {
	var paths []string
	for _, c := range candidates {
		paths = append(paths, c.pathOf())
	}
	slices.Sort(paths)
	awscdk.Annotations_Of(cfn).AddWarningV2(jsii.String(unknownRepository), jsii.String(fmt.Sprintf(
		"%s deploys an image of the repository named %s, which the app has in several stacks whose accounts and Regions it can't tell apart (%s): the library can't tell which, so the image isn't protected from the repository's lifecycle policy; give the stacks their account and Region (StackProps.Env), or protect the tag yourself (lifecycle.Protect)",
		path, name, strings.Join(paths, ", "))), nil)
}

// targets tells which repository a {"Ref": id} of one deploying resource
// names.
type targets struct {
	stack awscdk.Stack
	cfn   awscdk.CfnResource
	byID  map[string][]*candidate
	// exact is, once asked, the construct paths of the targets of the
	// resource's CDK references, by logical id; failed, when the resolution
	// that finds them failed.
	exact  map[string][]string
	failed bool
}

// of returns the repository a Ref of the logical id names, and false when
// it can't tell.
func (t *targets) of(id string) (*candidate, bool) {
	candidates := t.byID[id]
	if len(candidates) == 1 {
		// The one repository of the app with that id: the Ref is to it,
		// in its stack or through a cross-stack reference.
		return candidates[0], true
	}
	var own *candidate
	for _, c := range candidates {
		if c.key.stack == t.stack {
			own = c
		}
	}
	if t.exact == nil && !t.failed {
		t.exact, t.failed = referenceTargets(t.stack, t.cfn, t.byID)
	}
	if !t.failed {
		var matched []*candidate
		for _, c := range candidates {
			if slices.Contains(t.exact[id], c.pathOf()) {
				matched = append(matched, c)
			}
		}
		switch len(matched) {
		case 1:
			return matched[0], true
		case 0:
			// A Ref that is no CDK reference (written out, an override)
			// names a resource of its own stack.
			return own, own != nil
		default:
			// The resource references repositories of one id in several
			// stacks: which tag is whose is lost in the rendering.
			return nil, false
		}
	}
	return own, own != nil
}

// warnUnknown warns, on a resource, that an image it deploys can't be
// protected because the app has several repositories of its logical id.
func warnUnknown(cfn awscdk.CfnResource, path, id string, candidates []*candidate) {
	var paths []string
	for _, c := range candidates {
		paths = append(paths, c.pathOf())
	}
	slices.Sort(paths)
	awscdk.Annotations_Of(cfn).AddWarningV2(jsii.String(unknownRepository), jsii.String(fmt.Sprintf(
		"%s deploys an image of the repository of logical id %s, which the app has in several stacks (%s): the library can't tell which, so the image isn't protected from the repository's lifecycle policy; give the repositories different construct ids, or protect the tag yourself (lifecycle.Protect)",
		path, id, strings.Join(paths, ", "))), nil)
}

// badTag is the refusal of a tag no image can have, deployed from repo.
func badTag(path, tag, repo string) *validation.Error {
	return &validation.Error{Package: "ecr", Path: path, Field: "image tag", Value: validation.Format(tag),
		Constraint: fmt.Sprintf("no image can have this tag, so the service could never pull it from %s: a tag is 1 to 128 characters matching %s (letters, digits, _ . -, not starting with . or -)", repo, imageref.TagPattern)}
}

// referenceTargets resolves a resource's properties as the stack does, but
// with a resolver that notes, for each CDK reference that renders as
// {"Ref": id} with an id the app's repositories have, the construct path of
// its target (awscdk.Reference's Target): before CDK's prepare, a
// cross-stack reference renders as a plain Ref of the producer's logical
// id, and only the reference itself still knows its stack. It reports
// failed when the resolution fails; the resolved value itself is not used.
func referenceTargets(stack awscdk.Stack, cfn awscdk.CfnResource, byID map[string][]*candidate) (exact map[string][]string, failed bool) {
	r := &targetResolver{byID: byID, found: map[string][]string{}}
	defer func() {
		if recover() != nil {
			exact, failed = nil, true
		}
	}()
	r.def = awscdk.NewDefaultTokenResolver(&joinConcat{})
	awscdk.Tokenization_Resolve(cfn.UpdatedProperties(), &awscdk.ResolveOptions{Scope: stack, Resolver: r})
	return r.found, false
}

// targetResolver is CDK's default token resolver that notes the targets
// of the references to repositories. (It delegates rather than embeds: a Go
// struct embedding a jsii class would be passed as that class's object,
// without the override.)
type targetResolver struct {
	def   awscdk.DefaultTokenResolver
	byID  map[string][]*candidate
	found map[string][]string
}

// ResolveList implements awscdk.ITokenResolver.
func (r *targetResolver) ResolveList(l *[]*string, context awscdk.IResolveContext) any {
	return r.def.ResolveList(l, context)
}

// ResolveString implements awscdk.ITokenResolver.
func (r *targetResolver) ResolveString(s awscdk.TokenizedStringFragments, context awscdk.IResolveContext) any {
	return r.def.ResolveString(s, context)
}

// ResolveToken implements awscdk.ITokenResolver.
func (r *targetResolver) ResolveToken(t awscdk.IResolvable, context awscdk.IResolveContext, postProcessor awscdk.IPostProcessor) any {
	v := r.def.ResolveToken(t, context, postProcessor)
	if m, ok := v.(map[string]any); ok && len(m) == 1 {
		if id, ok := m["Ref"].(string); ok && len(r.byID[id]) > 0 {
			if ref, ok := t.(awscdk.Reference); ok {
				if target := *ref.Target().Node().Path(); !slices.Contains(r.found[id], target) {
					r.found[id] = append(r.found[id], target)
				}
			}
		}
	}
	return v
}

// joinConcat joins resolved fragments as CloudFormation's Fn::Join, as the
// stack's own resolver does (its concatenator isn't exported).
type joinConcat struct{ _ byte }

// Join implements awscdk.IFragmentConcatenator.
func (*joinConcat) Join(left, right any) any {
	var parts []any
	for _, v := range []any{left, right} {
		if v == nil {
			continue
		}
		if m, ok := v.(map[string]any); ok {
			if join, ok := m["Fn::Join"].([]any); ok && len(join) == 2 && join[0] == "" {
				if more, ok := join[1].([]any); ok {
					parts = append(parts, more...)
					continue
				}
			}
		}
		parts = append(parts, v)
	}
	return map[string]any{"Fn::Join": []any{"", parts}}
}
