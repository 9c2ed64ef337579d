package access_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/examples/access"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestSnapshot(t *testing.T) {
	templates := cdktest.Check(t, &cdktest.AppOptions{Compliance: compliance.LevelStandard}, func(app awscdk.App) []awscdk.Stack {
		return []awscdk.Stack{access.NewStack(app, "EcrAccess", nil)}
	})
	tpl := templates["EcrAccess"]

	// The GitHub role trusts one branch of one repository, through the
	// OIDC provider, and may push.
	var trust any
	for _, r := range tpl["Resources"].(map[string]any) {
		res := r.(map[string]any)
		if res["Type"] == "AWS::IAM::Role" {
			trust = res["Properties"].(map[string]any)["AssumeRolePolicyDocument"]
		}
	}
	cdktest.JSONEqual(t, "trust policy condition", trust.(map[string]any)["Statement"].([]any)[0].(map[string]any)["Condition"], map[string]any{
		"StringEquals": map[string]any{
			"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
			"token.actions.githubusercontent.com:sub": "repo:example-org/platform-base-images:ref:refs/heads/main",
		},
	})
	policy := cdktest.Resource(t, tpl, "AWS::IAM::Policy")
	if !cdktest.Mentions(policy, "ecr:PutImage") || !cdktest.Mentions(policy, "ecr:GetAuthorizationToken") {
		t.Errorf("the GitHub role can't push: %v", policy)
	}
	if n := strings.Count(string(mustJSON(tpl)), `"Type":"AWS::Events::Rule"`); n != 4 {
		t.Errorf("%d rules, want 4", n)
	}
}

func TestGitHubPushRoleRefusesBadNames(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	err := cdktest.Panic(t, func() {
		access.NewGitHubPushRole(stack, "Push", access.GitHubPushRoleProps{Repository: repo, Owner: "-org", Name: "images", Branch: "release/*"})
	})
	want := `access: Test/Push: Owner "-org": must be a GitHub organization or user name; access: Test/Push: Branch "release/*": must be one branch name, without wildcards`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

// mustJSON renders a template as compact JSON.
func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
