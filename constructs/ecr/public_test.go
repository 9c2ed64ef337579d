package ecr_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// publicStack returns a stack in us-east-1, the Region of ECR Public.
func publicStack(t *testing.T) awscdk.Stack {
	t.Helper()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	return awscdk.NewStack(app, jsii.String("Public"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111122223333"), Region: jsii.String("us-east-1")},
	})
}

func TestPublicRepositoryDefaults(t *testing.T) {
	stack := cdktest.NewStack(t) // environment-agnostic: accepted
	repo := ecr.NewPublicRepository(stack, jsii.String("Repo"), nil)
	tpl := cdktest.JSON(t, stack)
	res := cdktest.Resource(t, tpl, "AWS::ECR::PublicRepository")

	if res["DeletionPolicy"] != "Retain" || res["UpdateReplacePolicy"] != "Retain" {
		t.Errorf("DeletionPolicy %v, UpdateReplacePolicy %v; want Retain for both", res["DeletionPolicy"], res["UpdateReplacePolicy"])
	}
	props := res["Properties"].(map[string]any)
	cdktest.JSONEqual(t, "properties", props, map[string]any{
		"Tags": []any{map[string]any{"Key": "Visibility", "Value": "public"}},
	})
	if got := *repo.Resource().Node().Path(); got != "Test/Repo/Resource" {
		t.Errorf("resource path %s, want Test/Repo/Resource", got)
	}
	if repo.Node().DefaultChild() == nil {
		t.Error("the L1 is not the default child, so escape hatches can't find it")
	}
	if repo.RepositoryUri() != nil {
		t.Errorf("RepositoryUri without an alias = %s, want nil", *repo.RepositoryUri())
	}
	if len(tpl["Resources"].(map[string]any)) != 1 {
		t.Errorf("resources %v, want the repository alone", tpl["Resources"])
	}
}

func TestPublicRepositoryWithEveryProp(t *testing.T) {
	stack := publicStack(t)
	awscdk.Tags_Of(stack).Add(jsii.String("cost-center"), jsii.String("oss"), nil)
	repo := ecr.NewPublicRepository(stack, jsii.String("Repo"), &ecr.PublicRepositoryProps{
		RepositoryName: jsii.String("tools/cli"),
		CatalogData: &ecr.PublicCatalogData{
			Description:      jsii.String("The command-line tool"),
			AboutText:        jsii.String("# cli\nDoes things."),
			UsageText:        jsii.String("docker run public.ecr.aws/example/tools/cli"),
			Architectures:    []ecr.PublicArchitecture{ecr.PublicArchitectureX86_64, ecr.PublicArchitectureARM64},
			OperatingSystems: []ecr.PublicOperatingSystem{ecr.PublicOperatingSystemLinux},
		},
		Tags:          map[string]string{"team": "platform", "app": "cli"},
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
		RegistryAlias: jsii.String("example"),
	})
	res := cdktest.Resource(t, cdktest.JSON(t, stack), "AWS::ECR::PublicRepository")
	if res["DeletionPolicy"] != "Delete" || res["UpdateReplacePolicy"] != "Delete" {
		t.Errorf("DeletionPolicy %v, UpdateReplacePolicy %v; want Delete for both", res["DeletionPolicy"], res["UpdateReplacePolicy"])
	}
	cdktest.JSONEqual(t, "properties", res["Properties"], map[string]any{
		"RepositoryName": "tools/cli",
		"RepositoryCatalogData": map[string]any{
			"AboutText":             "# cli\nDoes things.",
			"Architectures":         []any{"x86-64", "ARM 64"},
			"OperatingSystems":      []any{"Linux"},
			"RepositoryDescription": "The command-line tool",
			"UsageText":             "docker run public.ecr.aws/example/tools/cli",
		},
		// The props' tags replace the default; the stack's tag still reaches
		// the repository. CDK sorts tags by key.
		"Tags": []any{
			map[string]any{"Key": "app", "Value": "cli"},
			map[string]any{"Key": "cost-center", "Value": "oss"},
			map[string]any{"Key": "team", "Value": "platform"},
		},
	})
	cdktest.JSONEqual(t, "RepositoryUri", stack.Resolve(repo.RepositoryUri()), map[string]any{
		"Fn::Join": []any{"", []any{"public.ecr.aws/example/", map[string]any{"Ref": cdktest.LogicalID(t, cdktest.JSON(t, stack), "AWS::ECR::PublicRepository")}}},
	})
	cdktest.JSONEqual(t, "RepositoryArn", stack.Resolve(repo.RepositoryArn()), map[string]any{
		"Fn::GetAtt": []any{cdktest.LogicalID(t, cdktest.JSON(t, stack), "AWS::ECR::PublicRepository"), "Arn"},
	})
}

func TestPublicRepositoryGrantPush(t *testing.T) {
	stack := publicStack(t)
	repo := ecr.NewPublicRepository(stack, jsii.String("Repo"), nil)
	ci := awsiam.NewRole(stack, jsii.String("CI"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	grant := repo.GrantPush(ci)
	if !*grant.Success() {
		t.Error("the grant did not succeed")
	}
	tpl := cdktest.JSON(t, stack)
	repoID := cdktest.LogicalID(t, tpl, "AWS::ECR::PublicRepository")
	policy := cdktest.Resource(t, tpl, "AWS::IAM::Policy")["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)
	cdktest.JSONEqual(t, "statements", policy["Statement"], []any{
		map[string]any{
			"Action": []any{"ecr-public:BatchCheckLayerAvailability", "ecr-public:InitiateLayerUpload", "ecr-public:UploadLayerPart",
				"ecr-public:CompleteLayerUpload", "ecr-public:PutImage"},
			"Effect":   "Allow",
			"Resource": map[string]any{"Fn::GetAtt": []any{repoID, "Arn"}},
		},
		map[string]any{
			"Action":   []any{"ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken"},
			"Effect":   "Allow",
			"Resource": "*",
		},
	})
}

func TestPublicRepositoryAcceptsTokens(t *testing.T) {
	stack := publicStack(t)
	name := awscdk.NewCfnParameter(stack, jsii.String("Name"), nil).ValueAsString()
	about := awscdk.NewCfnParameter(stack, jsii.String("About"), nil).ValueAsString()
	ecr.NewPublicRepository(stack, jsii.String("Repo"), &ecr.PublicRepositoryProps{
		RepositoryName: name,
		CatalogData:    &ecr.PublicCatalogData{AboutText: about},
		Tags:           map[string]string{"owner": *name},
	})
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::ECR::PublicRepository", map[string]any{
		"RepositoryName":        map[string]any{"Ref": "Name"},
		"RepositoryCatalogData": map[string]any{"AboutText": map[string]any{"Ref": "About"}},
	})
}

func TestPublicRepositoryPropsValidate(t *testing.T) {
	var nilProps *ecr.PublicRepositoryProps
	if err := nilProps.Validate(); err != nil {
		t.Errorf("nil props: %v", err)
	}
	err := (&ecr.PublicRepositoryProps{
		RepositoryName: jsii.String("A"),
		CatalogData:    &ecr.PublicCatalogData{OperatingSystems: []ecr.PublicOperatingSystem{"linux"}},
	}).Validate()
	want := `ecr: PublicRepositoryProps: RepositoryName "A": must be 2 to 205 characters long, not 1; ` +
		`ecr: PublicRepositoryProps: CatalogData.OperatingSystems[0] "linux": must be "Linux" or "Windows", the gallery's badges`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	var invalid *validation.Error
	if !errors.As(err, &invalid) || invalid.Field != "RepositoryName" {
		t.Errorf("errors.As: %+v", invalid)
	}
}
