package ecr

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
)

// The identity-policy actions that pushing to an ECR Public repository
// needs, as the ECR Public User Guide documents them ("Public repository
// policy examples", "Pushing an image to a public repository"): the layer
// and image actions on the repository, and, to log in to the registry,
// ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken, which
// have no resource-level permissions. Pulling needs no grant: the images
// are public.
var (
	publicPushActions  = []string{"ecr-public:BatchCheckLayerAvailability", "ecr-public:InitiateLayerUpload", "ecr-public:UploadLayerPart", "ecr-public:CompleteLayerUpload", "ecr-public:PutImage"}
	publicLoginActions = []string{"ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken"}
)

// GrantPush implements PublicRepository.
func (r *jsiiProxy_publicRepository) GrantPush(grantee awsiam.IGrantable) awsiam.Grant {
	p := &validation.Collector{Package: "ecr", Path: *r.Node().Path()}
	if grantee == nil {
		p.Add("GrantPush", nil, "needs a grantee: an IAM role, user or group")
		p.PanicIfAny()
	}
	principal := grantee.GrantPrincipal()
	account, stackAccount := principal.PrincipalAccount(), *awscdk.Stack_Of(r).Account()
	if account != nil && !check.IsToken(*account) && !check.IsToken(stackAccount) && *account != stackAccount {
		p.Add("GrantPush", principalName(principal), fmt.Sprintf("is in account %s, not the repository's %s; its identity policy is not managed by this stack, so push from another account must be granted there", *account, stackAccount))
	}
	p.PanicIfAny()

	push := awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings(publicPushActions...),
		ResourceArns: jsii.Strings(*r.RepositoryArn()),
	})
	if !*push.Success() {
		p.Add("GrantPush", principalName(principal), "has no identity policy to add the push actions to (a service or account principal); grant push to an IAM role, user or group")
		p.PanicIfAny()
	}
	login := awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings(publicLoginActions...),
		ResourceArns: jsii.Strings("*"),
	})
	return push.Combine(login)
}
