// Package appcheck holds the checks that need the whole app: what a registry
// holds one of per account and Region (scanning, replication, signing, the
// registry policy), one creation template and one pull-through cache rule
// per prefix, one pull-time update exclusion per principal, and one
// repository per name. A mistake there comes from two resources, often in
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
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/check"
)

// ID is the id of the construct, at the root of the app, whose validation
// runs the checks; CDK's validation report names it with each problem.
const ID = "ecr-cdk-go"

// checks is the construct that holds the app's checks.
type checks struct {
	constructs.Construct
}

// Attach makes sure the app of scope runs the checks at synthesis: the
// constructors of packages ecr and registry call it for every resource
// they add. It costs two calls into the jsii runtime after the first.
func Attach(scope constructs.Construct) {
	root := scope.Node().Root()
	if root.Node().TryFindChild(jsii.String(ID)) != nil {
		return
	}
	c := &checks{}
	constructs.NewConstruct_Override(c, root.(constructs.Construct), jsii.String(ID))
	c.Node().AddValidation(c)
}

// Validate implements constructs.IValidation: it walks the app's tree and
// returns one line per problem.
func (c *checks) Validate() *[]*string {
	var lines []*string
	for _, e := range Problems(c.Node().Root()) {
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
	path  string
	stack awscdk.Stack
	env   string // "account/region", "" when either is a token
}

// Problems returns the problems of the tree under root, in tree order.
func Problems(root constructs.IConstruct) validation.Errors {
	stacks := map[awscdk.Stack]string{} // the env of each stack met
	seen := map[string]found{}          // kind+key, per stack and per env
	var problems validation.Errors
	for _, c := range *root.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		cfn, ok := c.(awscdk.CfnResource)
		if !ok {
			continue
		}
		kind, field, value := identity(cfn)
		if kind == "" {
			continue
		}
		stack := awscdk.Stack_Of(cfn)
		env, ok := stacks[stack]
		if !ok {
			account, region := *stack.Account(), *stack.Region()
			if check.Known(account) && check.Known(region) {
				env = account + "/" + region
			}
			stacks[stack] = env
		}
		here := found{path: *cfn.Node().Path(), stack: stack, env: env}
		key := kind + "\x00" + value
		if first, ok := seen[key+"\x00"+*stack.Node().Path()]; ok {
			problems = append(problems, problem(here, kind, field, value, first, "in the same stack"))
			continue
		}
		if first, ok := seen[key+"\x00env\x00"+env]; ok && env != "" {
			problems = append(problems, problem(here, kind, field, value, first, "in account and Region "+env))
			continue
		}
		seen[key+"\x00"+*stack.Node().Path()] = here
		if env != "" {
			seen[key+"\x00env\x00"+env] = here
		}
	}
	return problems
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
	if kind == "AWS::ECR::Repository" {
		pkg = "ecr"
	}
	e := &validation.Error{Package: pkg, Path: here.path, Field: kind, Constraint: fmt.Sprintf("%s already has one at %s; %s", where, first.path, what)}
	if field != "" {
		e.Field = kind + " " + field
		e.Value = validation.Format(value)
	}
	return e
}
