package localcmd

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/jsii-runtime-go"

	libecr "github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/examples/defaults"
	"github.com/secure-ecr/ecr-cdk-go/examples/devprod"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/auditcmd"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/localaws"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/livetest"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/motoserver"
)

// TestDeployDefaultsRoundTrip deploys examples/defaults with the CDK CLI to
// the local AWS API (bootstrap, then a plain `cdk deploy`: change sets),
// reads back what the account holds, updates it in place through a second
// change set (a lifecycle rule added, a tag: same ARN, same createdAt),
// audits it with ecr-cdk audit, then runs the library's other tools on it
// (deploy_tools_test.go): ecr-cdk diff of the deployed template (GetTemplate)
// and the synthesized one finds nothing; ecr-lifecycle
// preview live of images pushed to it equals the offline preview of their
// describe-images export under the template's policy; ecr-cdk adopt --live
// declares, for cdk import, the deployed properties; and a create-only
// change (a name) is stopped by ecr-cdk diff, exit 1, before any deploy.
// Last, cdk destroy keeps the RETAIN repository, and deletes examples/devprod's
// EcrDev repository (DESTROY, EmptyOnDelete) with its image.
//
// What this shows and doesn't: the settings below reach the account through
// CloudFormation's resource model; scanning, encryption, the lifecycle
// policy and EmptyOnDelete reach moto's ECR through the launcher's EMULATION
// (internal/engine/localaws/launcher.py). AWS's own deploy-time checks, scanning
// and the AWS managed key (moto stands a generated key ARN in for it) are
// not exercised.
func TestDeployDefaultsRoundTrip(t *testing.T) {
	start := time.Now()
	e := deploySetup(t) // the launcher, the CLI on PATH, bootstrapped
	root, cdk, s, work, cfg := e.root, e.cdk, e.server, e.work, e.cfg
	bootstrapped := time.Since(start)
	assembly := deploySynth(t, root, nil)
	template := deployTemplate(t, assembly)
	deployRun(t, s, work, cdk, "deploy", "--app", assembly, "EcrDefaults", "--require-approval", "never", "--no-notices")
	t.Logf("bootstrap after %s, first deploy after %s", bootstrapped.Round(time.Second), time.Since(start).Round(time.Second))

	cfn, ecrc := cloudformation.NewFromConfig(cfg), ecr.NewFromConfig(cfg)
	res, err := cfn.DescribeStackResource(t.Context(), &cloudformation.DescribeStackResourceInput{StackName: aws.String("EcrDefaults"), LogicalResourceId: aws.String("Repository22E53BBD")})
	if err != nil {
		t.Fatal(err)
	}
	name := aws.ToString(res.StackResourceDetail.PhysicalResourceId)
	if !strings.HasPrefix(name, "ecrdefaults-repository22e53bbd-") {
		t.Errorf("repository name %q, want CloudFormation's lowercase ecrdefaults-repository22e53bbd-SUFFIX", name)
	}
	repos, err := ecrc.DescribeRepositories(t.Context(), &ecr.DescribeRepositoriesInput{RepositoryNames: []string{name}})
	if err != nil {
		t.Fatal(err)
	}
	repo := repos.Repositories[0]
	if repo.ImageScanningConfiguration == nil || !repo.ImageScanningConfiguration.ScanOnPush {
		t.Error("scan on push is off, the template turns it on")
	}
	if repo.EncryptionConfiguration == nil || repo.EncryptionConfiguration.EncryptionType != ecrtypes.EncryptionTypeKms {
		t.Errorf("encryption %+v, the template asks for KMS", repo.EncryptionConfiguration)
	}
	if repo.ImageTagMutability != ecrtypes.ImageTagMutabilityImmutable {
		t.Errorf("tag mutability %s, the template asks for IMMUTABLE", repo.ImageTagMutability)
	}
	lc, err := ecrc.GetLifecyclePolicy(t.Context(), &ecr.GetLifecyclePolicyInput{RepositoryName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(lc.LifecyclePolicyText), template.lifecycle; got != want {
		t.Errorf("lifecycle policy\n%s\nwant the template's\n%s", got, want)
	}
	stacks, err := cfn.DescribeStacks(t.Context(), &cloudformation.DescribeStacksInput{StackName: aws.String("EcrDefaults")})
	if err != nil {
		t.Fatal(err)
	}
	if out := stacks.Stacks[0].Outputs; len(out) != 1 || !strings.HasSuffix(aws.ToString(out[0].OutputValue), "/"+name) {
		t.Errorf("stack outputs %+v, want RepositoryUri ending in /%s", out, name)
	}

	// An update in place through the CLI's change-set flow (the stale
	// change set is deleted, BootstrapVersion keeps its previous value): the
	// example as a user edits it, with one more lifecycle rule, and a tag.
	updated := deploySynthStack(t, root, map[string]string{"deploy": "update"}, editedDefaults(&libecr.RepositoryProps{LifecycleRules: updatedRules()}))
	deployRun(t, s, work, cdk, "deploy", "--app", updated, "EcrDefaults", "--require-approval", "never", "--no-notices")
	after, err := ecrc.DescribeRepositories(t.Context(), &ecr.DescribeRepositoriesInput{RepositoryNames: []string{name}})
	if err != nil {
		t.Fatal(err)
	}
	if a := after.Repositories[0]; !a.CreatedAt.Equal(*repo.CreatedAt) || aws.ToString(a.RepositoryArn) != aws.ToString(repo.RepositoryArn) {
		t.Errorf("the update replaced the repository: %s created %s, was %s created %s", aws.ToString(a.RepositoryArn), a.CreatedAt, aws.ToString(repo.RepositoryArn), repo.CreatedAt)
	}
	lc, err = ecrc.GetLifecyclePolicy(t.Context(), &ecr.GetLifecyclePolicyInput{RepositoryName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(lc.LifecyclePolicyText), deployTemplate(t, updated).lifecycle; got != want || want == template.lifecycle {
		t.Errorf("lifecycle policy after the update\n%s\nwant the updated template's, with the added rule\n%s", got, want)
	}
	tags, err := ecrc.ListTagsForResource(t.Context(), &ecr.ListTagsForResourceInput{ResourceArn: repo.RepositoryArn})
	if err != nil {
		t.Fatal(err)
	}
	if !deployHasTag(tags.Tags, "deploy", "update") {
		t.Errorf("tags after the update %+v, want deploy=update", tags.Tags)
	}
	t.Logf("update deployed after %s", time.Since(start).Round(time.Second))

	// ecr-cdk audit of the deployed repository, at the strict level: the
	// defaults encrypt with the AWS managed key aws/ecr (EMULATION (j) on
	// this server), which Security Hub's ECR.5 fails; every other control
	// passes. The example sets no registry scanning, so the registry's own
	// finding fails and audit exits 1; moto has no creation-template API,
	// so that one is unknown. (--template can't match an unnamed
	// repository to the account: audit reports it as drift.)
	var auditOut, auditErr bytes.Buffer
	code := auditcmd.Run([]string{"--level", "strict", "--prefix", name, "--format", "json"}, &auditOut, &auditErr)
	stdout, stderr := auditOut.String(), auditErr.String()
	var report struct {
		Findings []auditcmd.Finding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("ecr-cdk audit: exit %d, %v\n%s%s", code, err, stdout, stderr)
	}
	controls, ecr5 := 0, false
	registry := map[string]string{}
	for _, f := range report.Findings {
		switch f.Repository {
		case name:
			controls++
			if f.ID == "ECR.5" {
				ecr5 = true
				if f.Result != auditcmd.Fail || !strings.HasPrefix(f.Detail, "AWS managed KMS key arn:aws:kms:us-east-1:123456789012:key/") {
					t.Errorf("ecr-cdk audit: %s ECR.5 %s: %s; want FAIL, the AWS managed key", name, f.Result, f.Detail)
				}
			} else if f.Result != auditcmd.Pass {
				t.Errorf("ecr-cdk audit: %s %s %s: %s", name, f.ID, f.Result, f.Detail)
			}
		case "":
			registry[f.ID] = f.Result
		default:
			t.Errorf("ecr-cdk audit --prefix %s reports %s", name, f.Repository)
		}
	}
	if !ecr5 {
		t.Errorf("ecr-cdk audit --level strict reported no ECR.5 for %s", name)
	}
	if code != cli.ExitRefused || controls == 0 || len(registry) != 2 || registry["scanning"] != auditcmd.Fail || registry["ROOT template"] != auditcmd.Unknown {
		t.Errorf("ecr-cdk audit: exit %d, %d controls of the repository, registry %v; want 1, every control passing, registry scanning FAIL and ROOT template UNKNOWN\n%s%s", code, controls, registry, stdout, stderr)
	}
	t.Logf("audit after %s", time.Since(start).Round(time.Second))

	// ecr-cdk diff of the deployed template and the synthesized one.
	deployed := deployedTemplate(t, cfn, "EcrDefaults")
	deployDiffClean(t, deployed, updated)
	// ecr-lifecycle preview, live and offline, of images pushed to it.
	deployPreview(t, localaws.Endpoint(s.Port), name, updated)
	t.Logf("diff and preview after %s", time.Since(start).Round(time.Second))
	// ecr-cdk adopt --live of the deployed repository.
	deployAdopt(t, root, name, deployed, after.Repositories[0])
	t.Logf("adopt after %s", time.Since(start).Round(time.Second))
	// A create-only change is stopped by ecr-cdk diff, before any deploy.
	deployCreateOnly(t, root, deployed)

	// cdk destroy keeps the RETAIN repository (the default key is AWS
	// managed: no key of the stack's), images and all.
	deployRun(t, s, work, cdk, "destroy", "--app", updated, "EcrDefaults", "--force", "--no-notices")
	if _, err := cfn.DescribeStacks(t.Context(), &cloudformation.DescribeStacksInput{StackName: aws.String("EcrDefaults")}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("after cdk destroy, DescribeStacks EcrDefaults: %v; want the stack gone", err)
	}
	if repositoryGone(t, ecrc, name) {
		t.Errorf("cdk destroy deleted %s, whose DeletionPolicy is Retain", name)
	} else if imgs, err := ecrc.ListImages(t.Context(), &ecr.ListImagesInput{RepositoryName: aws.String(name)}); err != nil || len(imgs.ImageIds) != 9 {
		t.Errorf("after cdk destroy, %s holds %v (%v), want the 9 images pushed", name, imgs, err)
	}
	// The development preset (DESTROY, EmptyOnDelete) deletes its
	// repository, images and all.
	dev := deploySynthStack(t, root, nil, func(app awscdk.App) awscdk.Stack { return devprod.NewDevStack(app, "EcrDev", nil) })
	deployRun(t, s, work, cdk, "deploy", "--app", dev, "EcrDev", "--require-approval", "never", "--no-notices")
	if repositoryGone(t, ecrc, "shop/web-dev") {
		t.Fatal("cdk deploy EcrDev: no repository shop/web-dev")
	}
	livetest.New(t, localaws.Endpoint(s.Port)).Put("shop/web-dev", "feature-x", livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, "dev", 10))
	deployRun(t, s, work, cdk, "destroy", "--app", dev, "EcrDev", "--force", "--no-notices")
	if !repositoryGone(t, ecrc, "shop/web-dev") {
		t.Error("cdk destroy EcrDev left shop/web-dev, whose removal policy is DESTROY with EmptyOnDelete")
	}
	t.Logf("round trip in %s", time.Since(start).Round(time.Second))
}

type deployTemplateFacts struct {
	lifecycle string
}

// deploySynth synthesizes examples/defaults as the examples app does (the
// context of the repository's cdk.json), with tags on every resource, and
// returns the cloud assembly's directory.
func deploySynth(t *testing.T, root string, tags map[string]string) string {
	t.Helper()
	return deploySynthStack(t, root, tags, func(app awscdk.App) awscdk.Stack { return defaults.NewStack(app, "EcrDefaults", nil) })
}

// editedDefaults builds examples/defaults as a user edits it: the same
// stack, repository and output, the repository with props.
func editedDefaults(props *libecr.RepositoryProps) func(app awscdk.App) awscdk.Stack {
	return func(app awscdk.App) awscdk.Stack {
		stack := awscdk.NewStack(app, jsii.String("EcrDefaults"), nil)
		repo := libecr.NewRepository(stack, jsii.String("Repository"), props)
		awscdk.NewCfnOutput(stack, jsii.String("RepositoryUri"), &awscdk.CfnOutputProps{Value: repo.RepositoryUri()})
		return stack
	}
}

// updatedRules are the lifecycle rules of the round trip's update: the
// default rule and one more.
func updatedRules() lifecycle.Rules {
	return append(lifecycle.DefaultRules(), lifecycle.KeepLastNImages(100))
}

// deploySynthStack synthesizes the stack build makes in an app with the
// context of the repository's cdk.json, with tags on every resource, and
// returns the cloud assembly's directory.
func deploySynthStack(t *testing.T, root string, tags map[string]string, build func(app awscdk.App) awscdk.Stack) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, "cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cdkJSON struct {
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(raw, &cdkJSON); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(out), Context: &cdkJSON.Context})
	stack := build(app)
	for k, v := range tags {
		awscdk.Tags_Of(stack).Add(jsii.String(k), jsii.String(v), nil)
	}
	app.Synth(nil)
	return out
}

func deployTemplate(t *testing.T, assembly string) deployTemplateFacts {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(assembly, "EcrDefaults.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tpl struct {
		Resources map[string]struct {
			Type       string
			Properties struct {
				LifecyclePolicy struct{ LifecyclePolicyText string }
			}
		}
	}
	if err := json.Unmarshal(raw, &tpl); err != nil {
		t.Fatal(err)
	}
	for _, r := range tpl.Resources {
		if r.Type == "AWS::ECR::Repository" {
			return deployTemplateFacts{lifecycle: r.Properties.LifecyclePolicy.LifecyclePolicyText}
		}
	}
	t.Fatal("no AWS::ECR::Repository in the template")
	return deployTemplateFacts{}
}

func deployRun(t *testing.T, s *motoserver.Server, dir, name string, args ...string) {
	t.Helper()
	deployRunEnv(t, s, dir, nil, name, args...)
}

// deployRunEnv runs a command in dir with the test's environment, env's
// variables set over it (an empty value unsets one), and fails the test
// with its output and the server's log when it fails.
func deployRunEnv(t *testing.T, s *motoserver.Server, dir string, env map[string]string, name string, args ...string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), name, args...)
	cmd.Dir = dir
	if env != nil {
		for _, kv := range os.Environ() {
			if k, _, _ := strings.Cut(kv, "="); !hasKey(env, k) {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		for k, v := range env {
			if v != "" {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
		}
	}
	began := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s\nserver log:\n%s", filepath.Base(name), strings.Join(args, " "), err, out, s.Log())
	}
	t.Logf("cdk %s: %s", args[0], time.Since(began).Round(100*time.Millisecond))
}

// hasKey reports whether m has k, with any value.
func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

func deployHasTag(tags []ecrtypes.Tag, k, v string) bool {
	for _, tag := range tags {
		if aws.ToString(tag.Key) == k && aws.ToString(tag.Value) == v {
			return true
		}
	}
	return false
}
