package localcmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/secure-ecr/ecr-cdk-go/examples/access"
	"github.com/secure-ecr/ecr-cdk-go/examples/registry"
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

// deploy synthesizes the stack build makes and deploys it with the CDK CLI.
func (e deployEnv) deploy(t *testing.T, id string, build func(app awscdk.App) awscdk.Stack, args ...string) string {
	t.Helper()
	assembly := deploySynthStack(t, e.root, nil, build)
	deployRun(t, e.server, e.work, e.cdk, append([]string{"deploy", "--app", assembly, id, "--require-approval", "never", "--no-notices"}, args...)...)
	return assembly
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

// TestDeployRegistryServiceAccessRoundTrip deploys examples/registry's
// EcrRegistry (the account baseline) and examples/service's EcrService with
// the CDK CLI to the local AWS API and reads back, through the SDK, what the
// account holds: the registry's scanning configuration, policy and
// replication; the service's repository lifecycle policy, with the rule
// that protects the image the app runs, and its ECS task definition's
// image; and examples/access's EcrAccess: its repository's policy, and the
// GitHub role, which trusts the stack's OIDC provider. cdk destroy of
// EcrRegistry restores the registry's defaults.
//
// What this shows and doesn't: the registry's scanning, policy and
// replication reach moto's ECR through the launcher's EMULATION (f)
// (internal/engine/localaws/launcher.py); the stack's creation templates,
// pull-through cache rules, signing configuration and profile and
// pull-time exclusion, like EcrAccess's OIDC provider and SNS topic
// policy, are STUBS (g): nothing is created, and nothing about them is
// shown. The lifecycle policy holds archive rules moto's validator
// refuses; the launcher stores its text as given, unchecked.
func TestDeployRegistryServiceAccessRoundTrip(t *testing.T) {
	start := time.Now()
	e := deploySetup(t)
	cfn, ecrc, ecsc := cloudformation.NewFromConfig(e.cfg), ecr.NewFromConfig(e.cfg), ecs.NewFromConfig(e.cfg)
	t.Logf("bootstrap after %s", time.Since(start).Round(time.Second))

	secret := "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/"
	buildRegistry := func(app awscdk.App) awscdk.Stack { return registry.NewStack(app, "EcrRegistry", nil) }
	registryAssembly := e.deploy(t, "EcrRegistry", buildRegistry,
		"--parameters", "DockerHubCredentialArn="+secret+"docker-hub-AbCdEf", "--parameters", "GitHubCredentialArn="+secret+"ghcr-AbCdEf")
	sc, err := ecrc.GetRegistryScanningConfiguration(t.Context(), &ecr.GetRegistryScanningConfigurationInput{})
	if err != nil {
		t.Fatal(err)
	}
	rules := sc.ScanningConfiguration.Rules
	if sc.ScanningConfiguration.ScanType != ecrtypes.ScanTypeBasic || len(rules) != 1 || rules[0].ScanFrequency != ecrtypes.ScanFrequencyScanOnPush ||
		len(rules[0].RepositoryFilters) != 1 || aws.ToString(rules[0].RepositoryFilters[0].Filter) != "*" || rules[0].RepositoryFilters[0].FilterType != ecrtypes.ScanningRepositoryFilterTypeWildcard {
		t.Errorf("registry scanning %s with rules %+v, want BASIC, scan on push of every repository (* WILDCARD)", sc.ScanningConfiguration.ScanType, rules)
	}
	// EcrRegistry declares no registry policy and no replication.
	if pol, err := ecrc.GetRegistryPolicy(t.Context(), &ecr.GetRegistryPolicyInput{}); err == nil {
		t.Errorf("registry policy %s, EcrRegistry declares none", aws.ToString(pol.PolicyText))
	} else if !strings.Contains(err.Error(), "RegistryPolicyNotFoundException") {
		t.Fatal(err)
	}
	reg, err := ecrc.DescribeRegistry(t.Context(), &ecr.DescribeRegistryInput{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(reg.ReplicationConfiguration.Rules); n != 0 {
		t.Errorf("%d replication rules, EcrRegistry declares none", n)
	}
	t.Logf("EcrRegistry deployed after %s", time.Since(start).Round(time.Second))

	e.deploy(t, "EcrService", func(app awscdk.App) awscdk.Stack { return service.NewStack(app, "EcrService", nil) })
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
	want := "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/orders:" + service.ImageTag
	if c := task.TaskDefinition.ContainerDefinitions; len(c) != 1 || aws.ToString(c[0].Image) != want {
		t.Errorf("task definition containers %+v, want one running %s", c, want)
	}
	t.Logf("EcrService deployed after %s", time.Since(start).Round(time.Second))

	e.deploy(t, "EcrAccess", func(app awscdk.App) awscdk.Stack { return access.NewStack(app, "EcrAccess", nil) })
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
	t.Logf("EcrAccess deployed after %s", time.Since(start).Round(time.Second))

	deployRun(t, e.server, e.work, e.cdk, "destroy", "--app", registryAssembly, "EcrRegistry", "--force", "--no-notices")
	sc, err = ecrc.GetRegistryScanningConfiguration(t.Context(), &ecr.GetRegistryScanningConfigurationInput{})
	if err != nil {
		t.Fatal(err)
	}
	if sc.ScanningConfiguration.ScanType != ecrtypes.ScanTypeBasic || len(sc.ScanningConfiguration.Rules) != 0 {
		t.Errorf("after cdk destroy EcrRegistry, registry scanning %s with %d rules, want the default: BASIC, no rule", sc.ScanningConfiguration.ScanType, len(sc.ScanningConfiguration.Rules))
	}
	t.Logf("round trip in %s", time.Since(start).Round(time.Second))
}
