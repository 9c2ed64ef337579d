package public_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/examples/public"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestSnapshot(t *testing.T) {
	templates := cdktest.Check(t, &cdktest.AppOptions{Compliance: compliance.LevelStandard}, func(app awscdk.App) []awscdk.Stack {
		return []awscdk.Stack{public.NewStack(app, "EcrPublic", nil)}
	})
	tpl := templates["EcrPublic"]
	repo := cdktest.Resource(t, tpl, "AWS::ECR::PublicRepository")
	if repo["DeletionPolicy"] != "Retain" || repo["UpdateReplacePolicy"] != "Retain" {
		t.Error("the public repository is not retained on delete and replace")
	}
	props := repo["Properties"].(map[string]any)
	if props["Tags"] == nil || props["RepositoryCatalogData"] == nil {
		t.Errorf("tags or catalog data missing: %v", props)
	}
	policy := cdktest.Resource(t, tpl, "AWS::IAM::Policy")
	for _, action := range []string{"ecr-public:PutImage", "ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken"} {
		if !cdktest.Mentions(policy, action) {
			t.Errorf("the CI role can't %s: %v", action, policy)
		}
	}
}

func TestStackIsPinnedToUsEast1(t *testing.T) {
	stack := public.NewStack(awscdk.NewApp(nil), "P", nil)
	if got := *stack.Region(); got != "us-east-1" {
		t.Errorf("Region %s, want us-east-1", got)
	}
	err := cdktest.Panic(t, func() {
		public.NewStack(awscdk.NewApp(nil), "P", &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("eu-west-1")}})
	})
	if want := `ecr: P/Cli: Region "eu-west-1": ECR Public repositories can only be created in us-east-1; put the repository in a stack whose env Region is us-east-1`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}
