package localcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/secure-ecr/ecr-cdk-go/examples/organization"
	"github.com/secure-ecr/ecr-cdk-go/examples/replication"
	"github.com/secure-ecr/ecr-cdk-go/examples/service"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/auditcmd"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/localaws"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/cfn"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/livetest"
)

// deployAccount is one account and Region of the composed app, with the
// account's own credentials.
type deployAccount struct {
	id, region string
	cfg        aws.Config
	// env is the credentials and Region as environment variables, for
	// the CDK CLI and the commands run in-process.
	env map[string]string
}

// environment is the account's aws://ACCOUNT/REGION.
func (a deployAccount) environment() string { return "aws://" + a.id + "/" + a.region }

// defaultAccount is moto's default account, the credentials' account of
// deploySetup, in Region.
func (e deployEnv) defaultAccount(region string) deployAccount {
	cfg := e.cfg.Copy()
	cfg.Region = region
	return deployAccount{id: "123456789012", region: region, cfg: cfg, env: map[string]string{
		"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "", "AWS_REGION": region,
	}}
}

// assume returns account id's credentials in region: a role of that
// account assumed through STS from the default account's credentials, as a
// platform team reaches its other accounts (moto lets any role be assumed
// and keeps each account's resources apart).
func (e deployEnv) assume(t *testing.T, id, region string) deployAccount {
	t.Helper()
	out, err := sts.NewFromConfig(e.cfg).AssumeRole(t.Context(), &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + id + ":role/OrganizationAccountAccessRole"), RoleSessionName: aws.String("ecr-cdk-round-trip"),
	})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	creds := aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey), SessionToken: aws.ToString(c.SessionToken)}
	cfg := e.cfg.Copy()
	cfg.Region = region
	cfg.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil })
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(who.Account) != id {
		t.Fatalf("the assumed role's credentials are for %v (%v), want account %s", who, err, id)
	}
	return deployAccount{id: id, region: region, cfg: cfg, env: map[string]string{
		"AWS_ACCESS_KEY_ID": creds.AccessKeyID, "AWS_SECRET_ACCESS_KEY": creds.SecretAccessKey, "AWS_SESSION_TOKEN": creds.SessionToken, "AWS_REGION": region,
	}}
}

// use points the process's environment (the AWS SDK's default chain, which
// the commands run in-process read) at the account; deploySetup's
// motoserver.SetEnv restores it at the test's end.
func (a deployAccount) use(t *testing.T) {
	t.Helper()
	for k, v := range a.env {
		t.Setenv(k, v)
	}
}

// TestDeployComposedApp deploys every stack of the examples' composed app
// (examples/main.go, the app of the repository's cdk.json) to the local AWS
// API the way a platform team deploys it: each account and Region the app
// names is bootstrapped with that account's credentials, trusting the
// deploying account (cdk bootstrap --trust), then a plain `cdk deploy --all`
// from the repository's root synthesizes the app with `go run ./examples`
// and deploys its stacks through change sets, assuming the bootstrap roles
// of the other accounts. Then, per stack, in its own account and Region,
// it reads back what the template declares (checkDeployed), and runs the
// library's tools on the accounts: ecr-cdk diff of each deployed template
// and the synthesized one, ecr-cdk audit at the strict level, and
// ecr-lifecycle preview --in-use ecs,lambda against the deployed service.
// Last, cdk destroy --all: RETAIN repositories and keys survive, the others
// are gone, and the registry settings are back to their defaults.
//
// What this shows and doesn't: see TestDeployDefaultsRoundTrip; the
// registry-wide settings are EMULATION (f), the organization's stack set,
// creation templates, pull-through cache, signing, the public repository,
// SNS topic policies and OIDC providers are STUBS (g): nothing of them is
// created, nothing about them is shown, and the stack set deploys nothing
// to member accounts. The service example's two stacks exercise a
// cross-stack reference (Fn::GetStackOutput, correction (k)); the app has
// no Fn::ImportValue.
func TestDeployComposedApp(t *testing.T) {
	start := time.Now()
	e := deploySetup(t)
	const deployer = "123456789012"
	accounts := map[string]deployAccount{}
	home := e.defaultAccount("us-east-1")
	accounts[home.environment()] = home
	for _, env := range [][2]string{
		{replication.SourceAccount, replication.SourceRegion},
		{replication.DestinationAccount, replication.DestinationRegion},
		{organization.CentralAccount, organization.CentralRegion},
	} {
		a := e.assume(t, env[0], env[1])
		accounts[a.environment()] = a
		deployRunEnv(t, e.server, e.work, a.env, e.cdk, "bootstrap", a.environment(), "--trust", deployer,
			"--cloudformation-execution-policies", "arn:aws:iam::aws:policy/AdministratorAccess", "--no-notices")
	}
	t.Logf("4 environments bootstrapped after %s", time.Since(start).Round(time.Second))

	// The service example's repository first, and its image pushed, as CI
	// would: Lambda refuses a function whose image isn't there yet
	// (correction (l)). cdk deploy of one stack synthesizes the whole app.
	assembly := t.TempDir()
	deployRun(t, e.server, e.root, e.cdk, "deploy", "EcrServiceImages", "--output", assembly, "--require-approval", "never", "--no-notices")
	livetest.New(t, localaws.Endpoint(e.server.Port)).Put("shop/orders", service.ImageTag, livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, service.ImageTag, 10))
	secret := "arn:aws:secretsmanager:us-east-1:" + deployer + ":secret:ecr-pullthroughcache/"
	deployRun(t, e.server, e.work, e.cdk, "deploy", "--app", assembly, "--all", "--require-approval", "never", "--no-notices",
		"--parameters", "EcrRegistry:DockerHubCredentialArn="+secret+"docker-hub-AbCdEf", "--parameters", "EcrRegistry:GitHubCredentialArn="+secret+"ghcr-AbCdEf")
	t.Logf("composed app deployed after %s", time.Since(start).Round(time.Second))

	stacks, err := cfn.Read(assembly)
	if err != nil {
		t.Fatal(err)
	}
	if len(stacks) != 12 {
		t.Fatalf("%d stacks in the composed app, want the 12 of examples/main.go", len(stacks))
	}
	var deployed []deployedStack
	for _, st := range stacks {
		env := strings.Replace(strings.Replace(st.Environment, "unknown-account", deployer, 1), "unknown-region", "us-east-1", 1)
		a, ok := accounts[env]
		if !ok {
			t.Fatalf("%s: environment %s was not bootstrapped", st.Name, st.Environment)
		}
		cfnc := cloudformation.NewFromConfig(a.cfg)
		out, err := cfnc.DescribeStacks(t.Context(), &cloudformation.DescribeStacksInput{StackName: aws.String(st.Name)})
		if err != nil || string(out.Stacks[0].StackStatus) != "CREATE_COMPLETE" {
			t.Errorf("%s in %s: %v (%v), want CREATE_COMPLETE", st.Name, a.environment(), out, err)
			continue
		}
		d := deployedStack{Stack: st, account: a, resolver: newResolver(t, a, st.Name)}
		deployed = append(deployed, d)
		read, notRead := checkDeployed(t, d)
		t.Logf("%s in %s: %d resources read back; not read: %v", st.Name, a.environment(), read, notRead)
		deployDiffClean(t, deployedTemplate(t, cfnc, st.Name), st.File)
	}
	t.Logf("read back and diffed after %s", time.Since(start).Round(time.Second))

	deployAppSpecifics(t, home)
	deployAuditApp(t, accounts, deployed)
	deployInUse(t, e, home)
	t.Logf("tools after %s", time.Since(start).Round(time.Second))

	deployRun(t, e.server, e.work, e.cdk, "destroy", "--app", assembly, "--all", "--force", "--no-notices")
	for _, d := range deployed {
		if _, err := cloudformation.NewFromConfig(d.account.cfg).DescribeStacks(t.Context(), &cloudformation.DescribeStacksInput{StackName: aws.String(d.Name)}); err == nil {
			t.Errorf("after cdk destroy --all, %s is still in %s", d.Name, d.account.environment())
		}
		d.checkDestroyed(t)
	}
	// EcrRegistry's registry settings are back to the registry's defaults.
	sc, err := ecr.NewFromConfig(home.cfg).GetRegistryScanningConfiguration(t.Context(), &ecr.GetRegistryScanningConfigurationInput{})
	if err != nil {
		t.Fatal(err)
	}
	if sc.ScanningConfiguration.ScanType != ecrtypes.ScanTypeBasic || len(sc.ScanningConfiguration.Rules) != 0 {
		t.Errorf("after cdk destroy, registry scanning %s with %d rules, want the default: BASIC, no rule", sc.ScanningConfiguration.ScanType, len(sc.ScanningConfiguration.Rules))
	}
	t.Logf("round trip in %s", time.Since(start).Round(time.Second))
}

// deployedStack is a stack of the app as deployed: its template, its
// account and Region, and its resources' physical IDs (read once).
type deployedStack struct {
	cfn.Stack
	account  deployAccount
	resolver resolver
}

// checkDestroyed fails the test when a repository or key of the stack
// outlived it without a Retain policy, or didn't with one.
func (d deployedStack) checkDestroyed(t *testing.T) {
	t.Helper()
	resources, _ := d.Template["Resources"].(map[string]any)
	for id, v := range resources {
		res, _ := v.(map[string]any)
		where, phys := d.Name+"/"+id, d.resolver.physical[id]
		var gone bool
		switch res["Type"] {
		case "AWS::ECR::Repository":
			gone = repositoryGone(t, ecr.NewFromConfig(d.account.cfg), phys)
		case "AWS::KMS::Key":
			gone = keyGone(t, kms.NewFromConfig(d.account.cfg), phys)
		default:
			continue
		}
		switch retain := res["DeletionPolicy"] == "Retain"; {
		case retain && gone:
			t.Errorf("cdk destroy deleted %s (%s), whose DeletionPolicy is Retain", where, phys)
		case !retain && !gone:
			t.Errorf("cdk destroy left %s (%s), whose DeletionPolicy is Delete", where, phys)
		}
	}
}

// keyGone reports whether a key is deleted or pending deletion.
func keyGone(t *testing.T, c *kms.Client, id string) bool {
	t.Helper()
	out, err := c.DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: aws.String(id)})
	var nf *kmstypes.NotFoundException
	switch {
	case err == nil:
		return out.KeyMetadata.KeyState == kmstypes.KeyStatePendingDeletion
	case errors.As(err, &nf):
		return true
	}
	t.Fatalf("describe key %s: %v", id, err)
	return false
}

// deployAuditApp runs ecr-cdk audit at the strict level in every account
// and Region of the app, with that account's credentials, and holds each
// example repository's findings to what its example intends: every control
// passes except those auditExceptions lists.
func deployAuditApp(t *testing.T, accounts map[string]deployAccount, deployed []deployedStack) {
	t.Helper()
	owner := map[string]string{} // environment + repository name → stack
	for _, d := range deployed {
		for id, typ := range d.resolver.types {
			if typ == "AWS::ECR::Repository" {
				owner[d.account.environment()+" "+d.resolver.physical[id]] = d.Name
			}
		}
	}
	envs := make([]string, 0, len(accounts))
	for env := range accounts {
		envs = append(envs, env)
	}
	sort.Strings(envs)
	seen := 0
	for _, env := range envs {
		a := accounts[env]
		a.use(t)
		var stdout, stderr bytes.Buffer
		code := auditcmd.Run([]string{"--level", "strict", "--format", "json"}, &stdout, &stderr)
		var report struct {
			Findings []auditcmd.Finding `json:"findings"`
		}
		if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
			t.Fatalf("ecr-cdk audit in %s: exit %d, %v\n%s%s", env, code, err, stdout.String(), stderr.String())
		}
		for _, f := range report.Findings {
			stack, ours := owner[env+" "+f.Repository]
			if !ours {
				continue // the bootstrap's asset repository, registry findings
			}
			seen++
			want := auditcmd.Pass
			if r, ok := auditExceptions[stack][f.ID]; ok {
				want = r
			}
			if f.Result != want {
				t.Errorf("ecr-cdk audit in %s: %s (%s) %s %s: %s; want %s", env, f.Repository, stack, f.ID, f.Result, f.Detail, want)
			}
		}
	}
	if seen == 0 {
		t.Error("ecr-cdk audit reported no finding on the app's repositories")
	}
}

// auditExceptions is, per example stack, the controls of ecr-cdk audit's
// strict level its repositories are meant to fail. ECR.5 asks for a
// customer managed key: the library's default is KMS with the AWS managed
// key aws/ecr (the standard level), which only examples/devprod's EcrProd
// replaces with a key of its own; EcrDev is the development preset, whose
// tags are mutable.
var auditExceptions = map[string]map[string]string{
	"EcrAccess":            {"ECR.5": auditcmd.Fail},
	"EcrDefaults":          {"ECR.5": auditcmd.Fail},
	"EcrDev":               {"ECR.5": auditcmd.Fail, "ECR.2": auditcmd.Fail, "CKV_AWS_51": auditcmd.Fail},
	"EcrReplicationSource": {"ECR.5": auditcmd.Fail},
	"EcrServiceImages":     {"ECR.5": auditcmd.Fail},
}

// deployInUse pushes two more releases of the service example's image to
// its repository, after the one the app runs, and previews, live, a
// stricter policy (keep the newest image) with --in-use ecs,lambda:
// ecr-lifecycle finds the tag the deployed Lambda function runs and refuses
// the policy that would expire it, while the deployed policy, which
// protects it, passes.
func deployInUse(t *testing.T, e deployEnv, home deployAccount) {
	t.Helper()
	home.use(t)
	seed := livetest.New(t, localaws.Endpoint(e.server.Port))
	for _, tag := range []string{"1.4.1", "1.5.0"} { // after ImageTag, pushed before the deploy
		seed.Put("shop/orders", tag, livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, tag, 10))
	}
	strict := filepath.Join(t.TempDir(), "keep-newest.json")
	if err := os.WriteFile(strict, []byte(`{"rules": [{"rulePriority": 1, "description": "keep the newest image",
 "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	fn := physicalIDIn(t, home, "EcrService", "Worker11F36D0F")
	code, out, errOut := runLifecycle("preview", "--policy", strict, "--repository-name", "shop/orders", "--in-use", "ecs,lambda")
	want := "(" + service.ImageTag + "): in use by lambda:" + fn + " as " + service.ImageTag + "; rule 1 (keep the newest image) would expire it"
	if code != cli.ExitRefused || !strings.Contains(errOut, want) {
		t.Errorf("ecr-lifecycle preview --policy keep-newest --in-use ecs,lambda: exit %d\n%s%s\nwant exit 1 and a line with %q", code, out, errOut, want)
	}
	if code, out, errOut := runLifecycle("preview", "--repository-name", "shop/orders", "--in-use", "ecs,lambda"); code != cli.ExitOK {
		t.Errorf("ecr-lifecycle preview of the deployed policy --in-use ecs,lambda: exit %d\n%s%s\nwant 0: the deployed policy protects %s", code, out, errOut, service.ImageTag)
	}
}

// physicalIDIn is the physical ID of a stack's resource in an account.
func physicalIDIn(t *testing.T, a deployAccount, stack, logicalID string) string {
	t.Helper()
	return physicalID(t, cloudformation.NewFromConfig(a.cfg), stack, logicalID)
}
