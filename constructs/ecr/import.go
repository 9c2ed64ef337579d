package ecr

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// FromRepositoryName imports an existing repository of the stack's account
// and Region by name, like awsecr.Repository_FromRepositoryName, but without
// silently dropping grants (aws-cdk#15483).
//
// This stack doesn't own the imported repository's policy, so a grant that
// needs it — to a principal in another account, or a service principal such
// as Lambda's — can't work. CDK's own import returns such a grant as if it had
// been made; this one panics with [Errors] explaining why, and fails
// synthesis if the grant came from inside CDK. Grants to principals of the
// stack's own account work as usual, through their identity policies. Grant
// other accounts access in the stack that owns the repository
// (Repository.GrantPullToAccounts).
func FromRepositoryName(scope constructs.Construct, id *string, repositoryName *string) awsecr.IRepository {
	p := newProblems(constructPath(scope, id))
	checkScopeAndID(scope, id, p)
	if repositoryName == nil {
		p.Add("repositoryName", nil, "is required")
	} else {
		checkRepositoryName("repositoryName", *repositoryName, p)
	}
	p.PanicIfAny()

	r := &importedRepository{
		state: &importState{},
		name:  repositoryName,
		arn: awscdk.Stack_Of(scope).FormatArn(&awscdk.ArnComponents{
			Service:      jsii.String("ecr"),
			Resource:     jsii.String("repository"),
			ResourceName: repositoryName,
		}),
	}
	awsecr.NewRepositoryBase_Override(r, scope, id, nil)
	r.Node().AddValidation(&grantValidation{repo: r})
	return r
}

// importedRepository is a repository this stack doesn't own. It extends CDK's
// RepositoryBase: the pointer-receiver methods implement the JavaScript
// class's abstract members. The grant methods have value receivers on
// purpose: jsii registers only pointer-receiver methods as JavaScript
// overrides, so these shadow CDK's grants for calls from Go without being
// called back from JavaScript (where a panic would surface as a JavaScript
// error), and without overriding the variadic grant(), which jsii-runtime-go
// v1.139.0 can't pass arguments to.
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

// Grant shadows RepositoryBase.Grant.
func (r importedRepository) Grant(grantee awsiam.IGrantable, actions ...*string) awsiam.Grant {
	return r.guard("Grant", func() awsiam.Grant { return r.RepositoryBase.Grant(grantee, actions...) })
}

// GrantPull shadows RepositoryBase.GrantPull.
func (r importedRepository) GrantPull(grantee awsiam.IGrantable) awsiam.Grant {
	return r.guard("GrantPull", func() awsiam.Grant { return r.RepositoryBase.GrantPull(grantee) })
}

// GrantPush shadows RepositoryBase.GrantPush.
func (r importedRepository) GrantPush(grantee awsiam.IGrantable) awsiam.Grant {
	return r.guard("GrantPush", func() awsiam.Grant { return r.RepositoryBase.GrantPush(grantee) })
}

// GrantPullPush shadows RepositoryBase.GrantPullPush.
func (r importedRepository) GrantPullPush(grantee awsiam.IGrantable) awsiam.Grant {
	return r.guard("GrantPullPush", func() awsiam.Grant { return r.RepositoryBase.GrantPullPush(grantee) })
}

// GrantRead shadows RepositoryBase.GrantRead.
func (r importedRepository) GrantRead(grantee awsiam.IGrantable) awsiam.Grant {
	return r.guard("GrantRead", func() awsiam.Grant { return r.RepositoryBase.GrantRead(grantee) })
}

// guard makes a grant and refuses it, with a Go error, when it needed the
// repository policy.
func (r importedRepository) guard(method string, grant func() awsiam.Grant) awsiam.Grant {
	before := len(r.state.refused)
	g := grant()
	if len(r.state.refused) > before {
		principal := r.state.refused[before]
		r.state.refused = r.state.refused[:before] // refused here, so not again at synthesis
		panic(Errors{r.refusal(method, principal)})
	}
	return g
}

// refusal explains why a grant can't be made.
func (r importedRepository) refusal(method, principal string) *ValidationError {
	return &ValidationError{
		Package: "ecr",
		Path:    *r.Node().Path(),
		Field:   method,
		Value:   fmt.Sprintf("%q", principal),
		Constraint: fmt.Sprintf("repository %q is imported, so its repository policy is not managed by this stack and "+
			"a principal of another account or a service principal can't be granted access here; grant it in the stack "+
			"that owns the repository (GrantPullToAccounts, GrantLambdaPull)", *r.name),
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
