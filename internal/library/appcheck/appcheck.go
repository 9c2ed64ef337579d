// Package appcheck holds the checks that need the whole app: what a registry
// holds one of per account and Region (scanning, replication, signing, the
// registry policy), one creation template and one pull-through cache rule
// per prefix, one pull-time update exclusion per principal, and one
// repository per name; and scan alerts that can never fire (enhanced-scan
// alerts under BASIC registry scanning, basic-scan alerts on a repository
// that never scans). A mistake there comes from two resources, often in
// two stacks, and CloudFormation only finds it at deployment: the second
// create fails, or silently overwrites the first.
//
// The checks run at synthesis, as a validation of the app, over the
// construct tree as it is then: they see every resource, the library's and
// raw awsecr.Cfn… ones alike, in every stack of the app. Nothing is kept
// between apps: the one record is a construct in the app's tree.
package appcheck

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
)

// ID is the id of the construct, at the root of the app, under which the
// checks run; CDK's validation report names it ("ecr-cdk-go/Checks") with
// each problem.
const ID = "ecr-cdk-go"

// checks is the construct that holds the app's checks.
type checks struct {
	constructs.Construct
	walked   bool
	problems validation.Errors
}

// Visit implements awscdk.IAspect: one walk of the app, at synthesis before
// templates are written, finds the problems (reported by Validate) and
// protects the images the app deploys.
func (c *checks) Visit(constructs.IConstruct) {
	c.problems, c.walked = walk(c.Node().Root(), true), true
}

// Attach makes sure the app of scope runs the checks at synthesis: the
// constructors of packages ecr and registry call it for every resource
// they add. It costs four calls into the jsii runtime after the first
// (AttachIn, for a stack's direct children, one).
func Attach(scope constructs.Construct) {
	Once(scope, ID, func(marker constructs.Construct) {
		c := &checks{}
		constructs.NewConstruct_Override(c, marker, jsii.String("Checks"))
		c.Node().AddValidation(c)
		// Aspects run before templates are written, so the walk can still
		// protect the images the app deploys; added to a construct without
		// children, the aspect is visited once.
		awscdk.Aspects_Of(c).Add(c, nil)
	})
}

// AttachIn is Attach for a construct added directly to a stack, whose node
// the caller has: one call into the jsii runtime after the first, for a
// marker in the stack that says the app has the checks.
func AttachIn(stack awscdk.Stack, node constructs.Node) {
	if node.TryFindChild(jsii.String(ID)) != nil {
		return
	}
	Attach(stack)
	constructs.NewConstruct(stack, jsii.String(ID))
}

// Once calls add, with a construct of that id at the root of scope's app,
// the first time it is called for the app and id: the app's own record of
// what the library has added to it, where a package-level variable would
// be shared by every app of the process.
func Once(scope constructs.Construct, id string, add func(marker constructs.Construct)) {
	root := scope.Node().Root()
	if root.Node().TryFindChild(jsii.String(id)) != nil {
		return
	}
	add(constructs.NewConstruct(root.(constructs.Construct), jsii.String(id)))
}

// Validate implements constructs.IValidation: it walks the app's tree and
// returns one line per problem.
func (c *checks) Validate() *[]*string {
	if !c.walked { // validated without synthesis
		c.problems = walk(c.Node().Root(), false)
	}
	var lines []*string
	for _, e := range c.problems {
		lines = append(lines, jsii.String(e.Error()))
	}
	return &lines
}

// Singletons are the types of which a registry holds one per account and
// Region: each is one Put that overwrites, and CloudFormation's create of a
// second replication configuration or registry policy fails (the ECR API
// reference: PutReplicationConfiguration, PutRegistryPolicy,
// PutRegistryScanningConfiguration, PutSigningConfiguration).
var singletons = []string{
	"AWS::ECR::RegistryScanningConfiguration",
	"AWS::ECR::ReplicationConfiguration",
	"AWS::ECR::RegistryPolicy",
	"AWS::ECR::SigningConfiguration",
}

// found is a resource the checks look at.
type found struct {
	cfn   awscdk.CfnResource
	stack awscdk.Stack
	env   string // "account/region", "" when either is a token
}

// path returns the resource's construct path: asked of the jsii runtime
// only for what is reported.
func (f found) path() string { return *f.cfn.Node().Path() }

// seenKey is what a registry holds one of: kind and identity, in a stack
// or in an account and Region.
type seenKey struct {
	kind, value string
	stack       awscdk.Stack // nil for the account and Region's key
	env         string
}

// repoKey names a repository by its stack and logical id, as a Ref does.
type repoKey struct {
	stack awscdk.Stack
	id    string
}

// walk looks at every resource under root once: it returns the problems
// and, with protect, has every [Protected] repository protect the images
// the app deploys from it. Every call into the jsii runtime is a round trip
// to Node.js, so what is only needed for some resources (paths, logical
// ids, resolved properties) is asked for only when needed.
func walk(root constructs.IConstruct, protect bool) validation.Errors {
	stacks := map[awscdk.Stack]string{} // the env of each stack met
	seen := map[seenKey]found{}
	var problems validation.Errors
	var alerts []scanAlert
	scanType := map[awscdk.CfnResource]string{} // scanning configuration -> BASIC or ENHANCED
	scanning := map[any]found{}                 // stack, or env -> the first scanning configuration
	var repos []awsecr.CfnRepository            // every repository resource
	var images []awscdk.CfnResource             // the resources that may deploy images
	var protected []Protected
	var params []awscdk.CfnParameter
	where := func(cfn awscdk.CfnResource) found {
		stack := awscdk.Stack_Of(cfn)
		env, ok := stacks[stack]
		if !ok {
			account, region := *stack.Account(), *stack.Region()
			if check.Known(account) && check.Known(region) {
				env = account + "/" + region
			}
			stacks[stack] = env
		}
		return found{cfn: cfn, stack: stack, env: env}
	}
	for _, c := range *root.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		if protect {
			switch c := c.(type) {
			case awscdk.CfnParameter:
				params = append(params, c)
				continue
			case Protected:
				protected = append(protected, c)
				continue
			}
		}
		cfn, ok := c.(awscdk.CfnResource)
		if !ok {
			continue
		}
		t := *cfn.CfnResourceType()
		if protect && !slices.ContainsFunc(noImages, func(prefix string) bool { return strings.HasPrefix(t, prefix) }) {
			images = append(images, cfn)
		}
		switch t {
		case "AWS::Events::Rule":
			if a, ok := asScanAlert(cfn.(awsevents.CfnRule), where(cfn)); ok {
				alerts = append(alerts, a)
			}
			continue
		case "AWS::ECR::Repository":
			repos = append(repos, cfn.(awsecr.CfnRepository))
		case "AWS::ECR::RegistryScanningConfiguration":
			here := where(cfn)
			if v := cfn.(awsecr.CfnRegistryScanningConfiguration).ScanType(); v != nil {
				scanType[cfn] = *v
			}
			if _, ok := scanning[here.stack]; !ok {
				scanning[here.stack] = here
			}
			if _, ok := scanning[here.env]; !ok && here.env != "" {
				scanning[here.env] = here
			}
		}
		kind, field, value := identity(cfn)
		if kind == "" {
			continue
		}
		here := where(cfn)
		env, envName := here.env, "in account and Region "+here.env
		if kind == "AWS::ECR::PublicRepository" && env != "" {
			// One public registry per account, in us-east-1 whatever the
			// stack's Region (ECR Public's endpoint).
			env, _, _ = strings.Cut(env, "/")
			envName = "in account " + env
		}
		inStack, inEnv := seenKey{kind: kind, value: value, stack: here.stack}, seenKey{kind: kind, value: value, env: env}
		if first, ok := seen[inStack]; ok {
			problems = append(problems, problem(here, kind, field, value, first, "in the same stack"))
			continue
		}
		if first, ok := seen[inEnv]; ok && env != "" {
			problems = append(problems, problem(here, kind, field, value, first, envName))
			continue
		}
		seen[inStack] = here
		if env != "" {
			seen[inEnv] = here
		}
	}
	if protect && len(protected) > 0 && len(images) > 0 {
		problems = append(problems, protectImages(images, repos, protected, params)...)
	}
	return append(problems, alertsThatCannotFire(alerts, scanning, scanType, repos)...)
}

// scansOnPush reports whether a repository scans on push.
func scansOnPush(stack awscdk.Stack, repo awsecr.CfnRepository) bool {
	v := repo.ImageScanningConfiguration()
	if v == nil {
		return false
	}
	// The property as the L1 holds it: CDK's props shape (scanOnPush), or
	// CloudFormation's when set through an override (ScanOnPush).
	config, ok := stack.Resolve(v).(map[string]any)
	return ok && (config["scanOnPush"] == true || config["ScanOnPush"] == true)
}

// scanAlert is an EventBridge rule on scan events.
type scanAlert struct {
	found
	enhanced bool
	// repository is the logical id of the repository the rule names by a
	// Ref, "" when it names none that way (a registry-level alert, an
	// import by name).
	repository string
}

// alertsThatCannotFire returns the scan alerts that can never fire:
// enhanced-scan alerts (Amazon Inspector's events) where the app's registry
// scanning of the stack, or of its account and Region, is BASIC; and
// basic-scan alerts on a repository without scan on push where the app
// declares no registry scanning for it. ECR sends basic scan events only
// for the scans it makes, and Inspector sends its own only under enhanced
// scanning (the ECR User Guide, "Amazon ECR events and EventBridge").
func alertsThatCannotFire(alerts []scanAlert, scanning map[any]found, scanType map[awscdk.CfnResource]string, repos []awsecr.CfnRepository) validation.Errors {
	var problems validation.Errors
	var byID map[repoKey]awsecr.CfnRepository // made when an alert names a repository
	for _, a := range alerts {
		registry, declared := scanning[a.stack]
		if !declared && a.env != "" {
			registry, declared = scanning[a.env]
		}
		switch {
		case a.enhanced && declared && scanType[registry.cfn] == "BASIC":
			problems = append(problems, &validation.Error{Package: "ecr", Path: a.path(), Field: "Enhanced", Value: "true",
				Constraint: fmt.Sprintf("can never fire: the registry scanning at %s is BASIC, and Amazon Inspector sends scan events only under ENHANCED scanning; listen to basic scans (Enhanced false) or make the registry's ScanType ENHANCED", registry.path())})
		case !a.enhanced && a.repository != "" && !declared:
			if byID == nil {
				byID = map[repoKey]awsecr.CfnRepository{}
				for _, r := range repos {
					stack := awscdk.Stack_Of(r)
					byID[repoKey{stack, *stack.GetLogicalId(r)}] = r
				}
			}
			if repo, ok := byID[repoKey{a.stack, a.repository}]; ok && !scansOnPush(a.stack, repo) {
				problems = append(problems, &validation.Error{Package: "ecr", Path: a.path(), Field: "ImageScanOnPush", Value: "false",
					Constraint: "the alert's repository doesn't scan on push and the app declares no registry scanning for it, so no basic scan runs and the alert can never fire; set ImageScanOnPush (harmless where registry scanning applies, which overrides it) or declare the registry's scanning (package registry)"})
			}
		}
	}
	return problems
}

// asScanAlert reads a rule's event pattern and reports whether it listens
// to scan events.
func asScanAlert(rule awsevents.CfnRule, here found) (scanAlert, bool) {
	v := rule.EventPattern()
	if v == nil {
		return scanAlert{}, false
	}
	pattern, ok := here.stack.Resolve(v).(map[string]any)
	if !ok {
		return scanAlert{}, false
	}
	a := scanAlert{found: here}
	switch types := fmt.Sprint(pattern["detail-type"]); {
	case strings.Contains(types, "Inspector2 Scan"):
		a.enhanced = true
	case strings.Contains(types, "ECR Image Scan"):
	default:
		return scanAlert{}, false
	}
	if detail, ok := pattern["detail"].(map[string]any); ok {
		if names, ok := detail["repository-name"].([]any); ok && len(names) == 1 {
			if ref, ok := names[0].(map[string]any); ok {
				a.repository, _ = ref["Ref"].(string)
			}
		}
	}
	return a, true
}

// identity returns what makes a resource unique in a registry: its type,
// and the field and value that identify it ("" for the singletons); an
// empty kind for a resource of no interest, or whose identity is a token.
func identity(cfn awscdk.CfnResource) (kind, field, value string) {
	t := *cfn.CfnResourceType()
	for _, s := range singletons {
		if t == s {
			return t, "", ""
		}
	}
	var v *string
	switch t {
	case "AWS::ECR::Repository":
		field, v = "RepositoryName", cfn.(awsecr.CfnRepository).RepositoryName()
	case "AWS::ECR::PublicRepository":
		field, v = "RepositoryName", cfn.(awsecr.CfnPublicRepository).RepositoryName()
	case "AWS::ECR::RepositoryCreationTemplate":
		field, v = "Prefix", cfn.(awsecr.CfnRepositoryCreationTemplate).Prefix()
	case "AWS::ECR::PullThroughCacheRule":
		field, v = "EcrRepositoryPrefix", cfn.(awsecr.CfnPullThroughCacheRule).EcrRepositoryPrefix()
	case "AWS::ECR::PullTimeUpdateExclusion":
		field, v = "PrincipalArn", cfn.(awsecr.CfnPullTimeUpdateExclusion).PrincipalArn()
	default:
		return "", "", ""
	}
	if v == nil || !check.Known(*v) {
		return "", "", ""
	}
	value = *v
	if field != "RepositoryName" && field != "PrincipalArn" {
		value = strings.TrimSuffix(value, "/") // ECR implies a trailing "/" on prefixes
	}
	return t, field, value
}

// problem words a second resource of a kind.
func problem(here found, kind, field, value string, first found, where string) *validation.Error {
	what := "a registry holds one per account and Region"
	switch field {
	case "RepositoryName":
		what = "repository names are unique in an account and Region; CloudFormation's second create fails"
	case "Prefix", "EcrRepositoryPrefix":
		what = "a registry holds one per prefix; CloudFormation's second create fails"
	case "PrincipalArn":
		what = "a registry excludes a principal once"
	case "":
		what += "; the second Put overwrites the first, and deleting either empties the registry's setting: declare it in one stack"
	}
	pkg := "registry"
	switch kind {
	case "AWS::ECR::Repository":
		pkg = "ecr"
	case "AWS::ECR::PublicRepository":
		pkg = "ecr"
		what = "public repository names are unique in an account's public registry; CloudFormation's second create fails"
	}
	e := &validation.Error{Package: pkg, Path: here.path(), Field: kind, Constraint: fmt.Sprintf("%s already has one at %s; %s", where, first.path(), what)}
	if field != "" {
		e.Field = kind + " " + field
		e.Value = validation.Format(value)
	}
	return e
}
