package ecr

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// The grant methods below are the one part of the import guard that relies
// on how jsii-runtime-go registers overrides: it registers as JavaScript
// overrides only the methods of a struct's pointer method set that its value
// method set lacks (runtime.getMethodOverrides, v1.142.0). These have value
// receivers, so they shadow CDK's grants for calls from Go — refusing a
// grant with a Go panic at the call — without being called back from
// JavaScript, where a panic would surface as a JavaScript error, and without
// overriding the variadic grant(), which jsii-runtime-go can't pass
// arguments to. Grants CDK makes inside JavaScript reach AddToResourcePolicy
// and are refused at synthesis instead.
//
// TestImportGuardDependsOnPointerOnlyOverrides fails the day jsii-runtime-go
// registers value-receiver methods too (a grant made by CDK would then panic
// inside a JavaScript callback instead of failing synthesis).

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
		panic(validation.Errors{r.refusal(method, principal)})
	}
	return g
}
