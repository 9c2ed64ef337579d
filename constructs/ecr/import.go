package ecr

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/construct"
)

// FromRepositoryName imports an existing repository of the stack's account
// and Region by name, like awsecr.Repository_FromRepositoryName, but without
// silently dropping grants (aws-cdk#15483).
//
// This stack doesn't own the imported repository's policy, so a grant that
// needs it — to a principal in another account, or a service principal such
// as Lambda's — can't work. CDK's own import returns such a grant as if it had
// been made; this one panics with [validation.Errors] explaining why, and fails
// synthesis if the grant came from inside CDK. Grants to principals of the
// repository's own account work as usual, through their identity policies.
// Grant other accounts access in the stack that owns the repository
// (Repository.GrantPullToAccounts).
func FromRepositoryName(scope constructs.Construct, id *string, repositoryName *string) awsecr.IRepository {
	p := construct.ChildProblems("ecr", scope, id)
	if repositoryName == nil {
		p.Add("repositoryName", nil, "is required")
	} else {
		check.RepositoryName("repositoryName", *repositoryName, check.MaxNameLength, p)
	}
	p.PanicIfAny()
	arn := awscdk.Stack_Of(scope).FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("ecr"),
		Resource:     jsii.String("repository"),
		ResourceName: repositoryName,
	})
	return newImport(scope, id, repositoryName, arn, nil)
}

// FromRepositoryArn imports an existing repository by its ARN,
// arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME, like
// awsecr.Repository_FromRepositoryArn, with the same guard as
// [FromRepositoryName]. The repository may belong to another account or
// Region: a grant to a principal of this stack's account then needs the
// repository's policy too, and is refused with the same explanation. The ARN
// must be known when the app is built (use [FromRepositoryAttributes] for a
// token). It panics with [validation.Errors] for a missing or malformed ARN.
func FromRepositoryArn(scope constructs.Construct, id *string, repositoryArn *string) awsecr.IRepository {
	p := construct.ChildProblems("ecr", scope, id)
	var name string
	switch {
	case repositoryArn == nil:
		p.Add("repositoryArn", nil, "is required")
	case check.IsToken(*repositoryArn):
		p.Add("repositoryArn", *repositoryArn, "is only known at deployment, so the repository's name can't be read from it; use FromRepositoryAttributes with the name")
	default:
		name = checkRepositoryArn("repositoryArn", *repositoryArn, p)
	}
	p.PanicIfAny()
	return newImport(scope, id, jsii.String(name), repositoryArn, repositoryArn)
}

// FromRepositoryAttributes imports an existing repository by its name and
// ARN, both required, like awsecr.Repository_FromRepositoryAttributes, with
// the same guard as [FromRepositoryName]. Either may be a token; when both
// are known, the ARN must name the repository. It panics with
// [validation.Errors] for a missing or malformed attribute.
func FromRepositoryAttributes(scope constructs.Construct, id *string, attrs *awsecr.RepositoryAttributes) awsecr.IRepository {
	p := construct.ChildProblems("ecr", scope, id)
	if attrs == nil {
		attrs = &awsecr.RepositoryAttributes{}
	}
	if attrs.RepositoryName == nil {
		p.Add("RepositoryName", nil, "is required")
	} else {
		check.RepositoryName("RepositoryName", *attrs.RepositoryName, check.MaxNameLength, p)
	}
	var env *string // the ARN, when CDK can read the account and Region from it
	switch {
	case attrs.RepositoryArn == nil:
		p.Add("RepositoryArn", nil, "is required")
	case check.IsToken(*attrs.RepositoryArn):
	default:
		env = attrs.RepositoryArn
		name := checkRepositoryArn("RepositoryArn", *attrs.RepositoryArn, p)
		if attrs.RepositoryName != nil && name != "" && !check.IsToken(*attrs.RepositoryName) && name != *attrs.RepositoryName {
			p.Add("RepositoryArn", *attrs.RepositoryArn, fmt.Sprintf("names repository %q, not RepositoryName %q", name, *attrs.RepositoryName))
		}
	}
	p.PanicIfAny()
	return newImport(scope, id, attrs.RepositoryName, attrs.RepositoryArn, env)
}

// repositoryArnPattern is an ECR repository ARN; the name is checked on its
// own.
var repositoryArnPattern = regexp.MustCompile(`^arn:aws[a-z-]*:ecr:[a-z0-9-]+:\d{12}:repository/(.+)$`)

// checkRepositoryArn records a malformed repository ARN and returns the
// repository name it holds ("" when malformed).
func checkRepositoryArn(field, arn string, p *validation.Collector) string {
	m := repositoryArnPattern.FindStringSubmatch(arn)
	if m == nil {
		p.Add(field, arn, "must be an ECR repository ARN, arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME")
		return ""
	}
	check.RepositoryName(field+" name", m[1], check.MaxNameLength, p)
	return m[1]
}

// newImport creates the imported repository. envArn, when known, gives the
// repository the account and Region of the ARN, so CDK's grants know whether
// a principal is in the repository's account.
func newImport(scope constructs.Construct, id, name, arn, envArn *string) awsecr.IRepository {
	r := &importedRepository{state: &importState{}, name: name, arn: arn}
	var props *awscdk.ResourceProps
	if envArn != nil {
		props = &awscdk.ResourceProps{EnvironmentFromArn: envArn}
	}
	awsecr.NewRepositoryBase_Override(r, scope, id, props)
	r.Node().AddValidation(&grantValidation{repo: r})
	return r
}

// importedRepository is a repository this stack doesn't own. It extends CDK's
// RepositoryBase: the pointer-receiver methods implement the JavaScript
// class's abstract members. Grants that need the repository policy are
// refused by one record, importState.refused, which AddToResourcePolicy
// fills: a grant called from Go is refused at once, by the shadows in
// import_guard.go; a grant CDK makes inside JavaScript is refused when the
// stack is validated, by grantValidation.
type importedRepository struct {
	awsecr.RepositoryBase
	name, arn *string
	state     *importState
}

// importState is shared by the copies value receivers make.
type importState struct {
	refused []string // principals whose grants needed this repository's policy
}

// RepositoryName implements the abstract property.
func (r *importedRepository) RepositoryName() *string { return r.name }

// RepositoryArn implements the abstract property.
func (r *importedRepository) RepositoryArn() *string { return r.arn }

// AddToResourcePolicy implements the abstract method. The policy belongs to
// the stack that owns the repository, so nothing can be added: the
// statement's principals are recorded, to be refused by the Go grant that
// asked or, for grants made inside CDK, when the stack is synthesized.
func (r *importedRepository) AddToResourcePolicy(statement awsiam.PolicyStatement) *awsiam.AddToResourcePolicyResult {
	for _, p := range *statement.Principals() {
		r.state.refused = append(r.state.refused, principalName(p))
	}
	return &awsiam.AddToResourcePolicyResult{StatementAdded: jsii.Bool(false)}
}

// refusal explains why a grant can't be made.
func (r importedRepository) refusal(method, principal string) *validation.Error {
	return &validation.Error{
		Package: "ecr",
		Path:    *r.Node().Path(),
		Field:   method,
		Value:   fmt.Sprintf("%q", principal),
		Constraint: fmt.Sprintf("repository %q is imported, so its repository policy is not managed by this stack and "+
			"a principal of another account than the repository's, or a service principal, can't be granted access here; "+
			"grant it in the stack that owns the repository (GrantPullToAccounts, GrantLambdaPull)", *r.name),
	}
}

// principalName describes a principal for a message.
func principalName(principal awsiam.IPrincipal) string {
	switch p := principal.(type) {
	case constructs.IConstruct:
		return *p.Node().Path()
	case awsiam.ServicePrincipal:
		return "service " + *p.Service()
	case awsiam.AccountPrincipal:
		return fmt.Sprint("account ", p.AccountId())
	case awsiam.ArnPrincipal:
		return *p.Arn()
	default:
		b, _ := json.Marshal(p.PolicyFragment().PrincipalJson())
		return string(b)
	}
}

// grantValidation fails synthesis for grants that CDK itself made on the
// imported repository (through a panic in a JavaScript callback, or not at
// all), so none is dropped silently.
type grantValidation struct {
	repo *importedRepository
}

// Validate implements constructs.IValidation.
func (v *grantValidation) Validate() *[]*string {
	errs := []*string{}
	for _, principal := range v.repo.state.refused {
		errs = append(errs, jsii.String(v.repo.refusal("Grant", principal).Error()))
	}
	return &errs
}
