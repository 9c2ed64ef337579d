package access

import (
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/nag"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// gitHubTokenHost is the issuer of GitHub Actions' OIDC tokens.
const gitHubTokenHost = "token.actions.githubusercontent.com"

// GitHubPushRoleProps configures NewGitHubPushRole.
type GitHubPushRoleProps struct {
	// Repository is the ECR repository the workflow pushes to. Required.
	Repository awsecr.IRepository
	// Owner is the GitHub organization or user. Required.
	Owner string
	// Name is the GitHub repository's name. Required.
	Name string
	// Branch is the only branch whose workflows may push. Required.
	Branch string
	// ProviderArn is the account's existing GitHub OIDC provider; an account
	// holds at most one per URL.
	// Default: a new provider for token.actions.githubusercontent.com.
	ProviderArn *string
}

var (
	gitHubOwner = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)
	gitHubName  = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}$`)
	gitBranch   = regexp.MustCompile(`^[^\s*?\[~^:\\]+$`)
)

// NewGitHubPushRole returns an IAM role that GitHub Actions workflows of one
// branch of one GitHub repository can assume with OIDC (no stored
// credentials) to push images to one ECR repository, using CDK's own IAM
// constructs and CDK's GrantPush.
func NewGitHubPushRole(scope constructs.Construct, id string, props GitHubPushRoleProps) awsiam.Role {
	// The library's collector gives this construct the same one-line
	// errors as the library's own constructs.
	problems := validation.Collector{Package: "access", Path: *scope.Node().Path() + "/" + id}
	check := func(field, value string, ok bool, constraint string) {
		if !ok {
			problems.Add(field, value, constraint)
		}
	}
	check("Owner", props.Owner, gitHubOwner.MatchString(props.Owner), "must be a GitHub organization or user name")
	check("Name", props.Name, gitHubName.MatchString(props.Name), "must be a GitHub repository name")
	check("Branch", props.Branch, gitBranch.MatchString(props.Branch), "must be one branch name, without wildcards")
	if props.Repository == nil {
		problems.Add("Repository", nil, "is required")
	}
	problems.PanicIfAny()

	providerArn := props.ProviderArn
	if providerArn == nil {
		provider := awsiam.NewOidcProviderNative(scope, jsii.String(id+"Provider"), &awsiam.OidcProviderNativeProps{
			Url:       jsii.String("https://" + gitHubTokenHost),
			ClientIds: jsii.Strings("sts.amazonaws.com"),
		})
		providerArn = provider.OidcProviderArn()
	}
	role := awsiam.NewRole(scope, jsii.String(id), &awsiam.RoleProps{
		Description: jsii.String(fmt.Sprintf("GitHub Actions of %s/%s@%s push images", props.Owner, props.Name, props.Branch)),
		AssumedBy: awsiam.NewWebIdentityPrincipal(providerArn, &map[string]any{
			"StringEquals": map[string]any{
				gitHubTokenHost + ":aud": "sts.amazonaws.com",
				gitHubTokenHost + ":sub": fmt.Sprintf("repo:%s/%s:ref:refs/heads/%s", props.Owner, props.Name, props.Branch),
			},
		}),
	})
	props.Repository.GrantPush(role)
	nag.Suppress(role, nag.Suppression{
		ID:        "AwsSolutions-IAM5",
		Reason:    "ecr:GetAuthorizationToken is account-wide; it has no resource-level permissions",
		AppliesTo: []string{"Resource::*"},
	})
	return role
}
