package localcmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/secure-ecr/ecr-cdk-go/examples/service"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/localaws"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/motoserver"
)

// deployEnv is a bootstrapped local AWS API and the CDK CLI to deploy to it.
type deployEnv struct {
	root, cdk, work string
	server          *motoserver.Server
	cfg             aws.Config
}

// deploySetup starts the launcher's server, points the SDK and the CDK CLI
// at it, and bootstraps its default account and Region.
func deploySetup(t *testing.T) deployEnv {
	t.Helper()
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, ".tools", "node_modules", ".bin")
	cdk := filepath.Join(bin, "cdk")
	if _, err := os.Stat(cdk); err != nil {
		t.Fatalf("the CDK CLI is missing: run `make setup` (%v)", err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("CDK_DISABLE_CLI_TELEMETRY", "true")
	s, err := localaws.Start(localaws.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	motoserver.SetEnv(t, localaws.Endpoint(s.Port))
	// work has no cdk.json: the CLI synthesizes nothing itself.
	env := deployEnv{root: root, cdk: cdk, work: t.TempDir(), server: s, cfg: aws.Config{
		Region: "us-east-1",
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "testing", SecretAccessKey: "testing"}, nil
		}),
		BaseEndpoint: aws.String(localaws.Endpoint(s.Port)),
	}}
	deployRun(t, s, env.work, cdk, "bootstrap", "aws://123456789012/us-east-1", "--no-notices")
	return env
}

// physicalID is the physical ID of a stack's resource.
func physicalID(t *testing.T, cfn *cloudformation.Client, stack, logicalID string) string {
	t.Helper()
	res, err := cfn.DescribeStackResource(t.Context(), &cloudformation.DescribeStackResourceInput{StackName: aws.String(stack), LogicalResourceId: aws.String(logicalID)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(res.StackResourceDetail.PhysicalResourceId)
}

// deployAppSpecifics checks, in the composed app's home account, what
// checkDeployed's comparison with the templates can't say: that the
// service's repository policy protects the image the app runs (the in-use
// protection, on a deployed account), that its task definition runs that
// image, that the access example's repository policy grants the accounts it
// names, and that its GitHub role, which trusts the stubbed OIDC provider,
// exists.
func deployAppSpecifics(t *testing.T, home deployAccount) {
	t.Helper()
	cfn, ecrc, ecsc := cloudformation.NewFromConfig(home.cfg), ecr.NewFromConfig(home.cfg), ecs.NewFromConfig(home.cfg)
	lc, err := ecrc.GetLifecyclePolicy(t.Context(), &ecr.GetLifecyclePolicyInput{RepositoryName: aws.String("shop/orders")})
	if err != nil {
		t.Fatal(err)
	}
	if text := aws.ToString(lc.LifecyclePolicyText); !strings.Contains(text, `"description":"Protect `+service.ImageTag+`, deployed by the app`) {
		t.Errorf("shop/orders lifecycle policy\n%s\nwant the rule protecting %s, deployed by the app", text, service.ImageTag)
	}
	task, err := ecsc.DescribeTaskDefinition(t.Context(), &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(physicalID(t, cfn, "EcrService", "Task79114B6B"))})
	if err != nil {
		t.Fatal(err)
	}
	want := home.id + ".dkr.ecr." + home.region + ".amazonaws.com/shop/orders:" + service.ImageTag
	if c := task.TaskDefinition.ContainerDefinitions; len(c) != 1 || aws.ToString(c[0].Image) != want {
		t.Errorf("task definition containers %+v, want one running %s", c, want)
	}
	pol, err := ecrc.GetRepositoryPolicy(t.Context(), &ecr.GetRepositoryPolicyInput{RepositoryName: aws.String("platform/base")})
	if err != nil {
		t.Fatal(err)
	}
	if text := aws.ToString(pol.PolicyText); !strings.Contains(text, "PullFromAccounts") || !strings.Contains(text, "arn:aws:iam::111122223333:root") {
		t.Errorf("platform/base repository policy\n%s\nwant the template's PullFromAccounts statement", text)
	}
	if role := physicalID(t, cfn, "EcrAccess", "GitHubPush40F5AE28"); role == "" {
		t.Error("EcrAccess: no GitHubPush role")
	}
}
