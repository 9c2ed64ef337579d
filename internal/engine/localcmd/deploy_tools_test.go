package localcmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/jsii-runtime-go"

	libecr "github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/adoptcmd"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/diffcmd"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/lifecyclecli"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/livetest"
)

// The library's own tools on the account the round trip deployed
// (TestDeployDefaultsRoundTrip), as a platform engineer would use them:
// ecr-cdk diff against the deployed template, ecr-lifecycle preview live
// and offline, ecr-cdk adopt --live.

// noFinding is what ecr-cdk diff prints when nothing would be lost.
const noFinding = "No finding: nothing would be replaced, moved, orphaned, deleted or expired.\n"

// deployedTemplate writes the template CloudFormation holds for stack
// (GetTemplate, as `aws cloudformation get-template` prints it) to a file
// and returns its path.
func deployedTemplate(t *testing.T, cfn *cloudformation.Client, stack string) string {
	t.Helper()
	out, err := cfn.GetTemplate(t.Context(), &cloudformation.GetTemplateInput{StackName: aws.String(stack)})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(map[string]string{"TemplateBody": aws.ToString(out.TemplateBody)})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), stack+".json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runDiff runs ecr-cdk diff with args.
func runDiff(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := diffcmd.Run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// deployDiffClean: ecr-cdk diff of the deployed template and the cloud
// assembly deployed last finds nothing.
func deployDiffClean(t *testing.T, deployed, assembly string) {
	t.Helper()
	if code, out, errOut := runDiff(deployed, assembly); code != cli.ExitOK || out != noFinding || errOut != "" {
		t.Errorf("ecr-cdk diff DEPLOYED %s: exit %d\nstdout %s\nstderr %s\nwant exit 0 and %q", assembly, code, out, errOut, noFinding)
	}
}

// deployCreateOnly: a create-only change (the repository gets a name) is
// stopped by ecr-cdk diff, exit 1, before anything is deployed.
func deployCreateOnly(t *testing.T, root, deployed string) {
	t.Helper()
	renamed := deploySynthStack(t, root, map[string]string{"deploy": "update"},
		editedDefaults(&libecr.RepositoryProps{RepositoryName: jsii.String("team/renamed"), LifecycleRules: updatedRules()}))
	code, out, errOut := runDiff(deployed, renamed)
	want := "EcrDefaults/Repository22E53BBD (AWS::ECR::Repository): error: replace"
	if code != cli.ExitRefused || !strings.HasPrefix(out, want) || !strings.Contains(out, "RepositoryName") ||
		errOut != "ecr-cdk diff: 1 finding would lose something; once you accept a loss, acknowledge it with --allow LOGICAL_ID=REASON\n" {
		t.Errorf("ecr-cdk diff DEPLOYED RENAMED: exit %d\nstdout %s\nstderr %s\nwant exit 1 and a line starting %q naming RepositoryName", code, out, errOut, want)
	}
}

// runLifecycle runs ecr-lifecycle with args.
func runLifecycle(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := lifecyclecli.Run(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// awsCLI runs the AWS CLI (v1, installed with moto) against endpoint, as a
// user exporting a registry's data would, and returns its output.
func awsCLI(t *testing.T, endpoint string, args ...string) []byte {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "aws", append([]string{"--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// deployPreview pushes images to the deployed repository and checks that
// ecr-lifecycle preview live (the deployed policy, the images read from
// the account) prints what the offline preview prints of the same images,
// exported with describe-images, under the template's policy.
func deployPreview(t *testing.T, endpoint, name, assembly string) {
	t.Helper()
	seed := livetest.New(t, endpoint)
	// Six images, three of them untagged: the default policy expires
	// untagged images 14 days after push.
	seed.Images(name, 6, func(i int) string {
		if i%2 == 0 {
			return ""
		}
		return fmt.Sprintf("v%d", i)
	})
	// And a manifest list whose two untagged children the policy marks but
	// ECR keeps.
	a := seed.Put(name, "", livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, "amd64", 10))
	b := seed.Put(name, "", livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, "arm64", 10))
	list := seed.Index(name, "multi", a, b)
	images := filepath.Join(t.TempDir(), "images.json")
	if err := os.WriteFile(images, awsCLI(t, endpoint, "ecr", "describe-images", "--repository-name", name), 0o644); err != nil {
		t.Fatal(err)
	}
	// The manifest list (batch-get-image), as the live preview reads it.
	manifests := filepath.Join(t.TempDir(), "manifests.json")
	if err := os.WriteFile(manifests, awsCLI(t, endpoint, "ecr", "batch-get-image", "--repository-name", name, "--image-ids", "imageDigest="+list,
		"--accepted-media-types", livetest.OCIIndex, livetest.OCIManifest, livetest.DockerManifest), 0o644); err != nil {
		t.Fatal(err)
	}
	// moto's imagePushedAt is the time of the push: the preview is 20 days on.
	now := time.Now().UTC().Add(20 * 24 * time.Hour).Format(time.RFC3339)
	code, offline, offErr := runLifecycle("preview", "--template", filepath.Join(assembly, "EcrDefaults.template.json"), "--images", images, "--manifests", manifests, "--now", now)
	if code != cli.ExitOK {
		t.Fatalf("ecr-lifecycle preview --template --images: exit %d, %s", code, offErr)
	}
	code, liveOut, liveErr := runLifecycle("preview", "--repository-name", name, "--now", now)
	if code != cli.ExitOK {
		t.Fatalf("ecr-lifecycle preview --repository-name %s: exit %d, %s", name, code, liveErr)
	}
	if liveOut != offline || liveErr != offErr {
		t.Errorf("ecr-lifecycle preview live\n%s%s\ndiffers from the offline preview of the same images under the template's policy\n%s%s", liveOut, liveErr, offline, offErr)
	}
	if !strings.Contains(liveOut, "\n9 images: 6 kept, 3 expired, 0 archived;") || !strings.Contains(liveOut, "\nNote: 2 images a rule marks are kept: a manifest list that stays references them.\n") {
		t.Errorf("ecr-lifecycle preview live: want 9 images, 6 kept (2 children of the list), 3 expired:\n%s", liveOut)
	}
}

// adoptProgram synthesizes the generated package's repositories as they
// are (upgrade == false), in a stack of its account and Region, and prints
// the template.
const adoptProgram = `package main

import (
	"encoding/json"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"example.com/adopted/adopted"
)

func main() {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(os.Args[1])})
	stack := awscdk.NewStack(app, jsii.String("EcrDefaults"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String(adopted.Account), Region: jsii.String(adopted.Region)},
	})
	adopted.Repositories(stack, false)
	json.NewEncoder(os.Stdout).Encode(app.Synth(nil).GetStackByName(jsii.String("EcrDefaults")).Template())
}
`

// deployAdopt runs ecr-cdk adopt --live on the deployed repository, builds
// and synthesizes the generated code as it is for cdk import (upgrade ==
// false), and compares its repository with the deployed template's, as
// internal/engine/adopt's TestGeneratedCodeSynthesizes compares it with the
// AWS CLI's output: the properties (lifecycle rules by priority), Retain,
// and the resource mapping's name. The deployed template names no
// repository; the import step names the one CloudFormation generated.
func deployAdopt(t *testing.T, root, name, deployed string, repo ecrtypes.Repository) {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "adopted")
	var stdout, stderr bytes.Buffer
	code := adoptcmd.Run([]string{"--live", "--prefix", name, "--package", "adopted", "--out", out, "--stack", "EcrDefaults"}, &stdout, &stderr)
	if code != cli.ExitOK {
		t.Fatalf("ecr-cdk adopt --live: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	// ECR.5 as ecr-cdk audit decides it: kms:DescribeKey says AWS manages
	// the key (aws/ecr, EMULATION (j)), which only a new repository fixes.
	if want := regexp.MustCompile(`(?m)^  ECR\.5 a customer-managed KMS key +fails +migration +KMS with the AWS-managed key is create-only`); !want.MatchString(stdout.String()) {
		t.Errorf("ecr-cdk adopt --live report\n%s\nwant ECR.5 failing, a migration (the AWS managed key), as audit says", stdout.String())
	}
	raw, err := os.ReadFile(filepath.Join(out, "resource-mapping.json"))
	if err != nil {
		t.Fatal(err)
	}
	var mapping map[string]map[string]string
	if err := json.Unmarshal(raw, &mapping); err != nil {
		t.Fatal(err)
	}
	if len(mapping) != 1 {
		t.Fatalf("resource-mapping.json %s, want the one repository", raw)
	}

	gomod := fmt.Sprintf("module example.com/adopted\n\ngo 1.26.0\n\nrequire github.com/secure-ecr/ecr-cdk-go v0.0.0\n\nreplace github.com/secure-ecr/ecr-cdk-go => %s\n", root)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	for file, text := range map[string]string{"go.mod": gomod, "go.sum": string(sum), "main.go": adoptProgram} {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	began := time.Now()
	cmd := exec.CommandContext(t.Context(), "go", "run", ".", filepath.Join(dir, "cdk.out"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off", "CDK_VALIDATION=false")
	var buildErr bytes.Buffer
	cmd.Stderr = &buildErr
	synthesized, err := cmd.Output()
	if err != nil {
		t.Fatalf("the adopted code doesn't build or synthesize: %v\n%s", err, buildErr.String())
	}
	t.Logf("adopted code built and synthesized in %s", time.Since(began).Round(100*time.Millisecond))

	adoptedRes := onlyRepository(t, synthesized)
	var get struct{ TemplateBody string }
	raw, err = os.ReadFile(deployed)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &get); err != nil {
		t.Fatal(err)
	}
	deployedRes := onlyRepository(t, []byte(get.TemplateBody))
	for id := range mapping {
		if got := mapping[id]["RepositoryName"]; got != name {
			t.Errorf("resource-mapping.json: %s names %q, want %q", id, got, name)
		}
		if adoptedRes.id != id {
			t.Errorf("the adopted template declares %s, the resource mapping %s", adoptedRes.id, id)
		}
	}
	for _, r := range []onlyRes{adoptedRes, deployedRes} {
		if r.res["DeletionPolicy"] != "Retain" || r.res["UpdateReplacePolicy"] != "Retain" {
			t.Errorf("%s: DeletionPolicy %v, UpdateReplacePolicy %v; want Retain", r.id, r.res["DeletionPolicy"], r.res["UpdateReplacePolicy"])
		}
	}
	want := normalizeRepository(deployedRes.res["Properties"].(map[string]any))
	want["RepositoryName"] = name
	got := normalizeRepository(adoptedRes.res["Properties"].(map[string]any))
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("ecr-cdk adopt --live: the import step declares\n%s\nwant the deployed template's, with the deployed name\n%s", g, w)
	}
}

type onlyRes struct {
	id  string
	res map[string]any
}

// onlyRepository returns a template's one AWS::ECR::Repository.
func onlyRepository(t *testing.T, template []byte) onlyRes {
	t.Helper()
	var tpl struct{ Resources map[string]map[string]any }
	if err := json.Unmarshal(template, &tpl); err != nil {
		t.Fatalf("%v\n%s", err, template)
	}
	var found []onlyRes
	for id, r := range tpl.Resources {
		if r["Type"] == "AWS::ECR::Repository" {
			found = append(found, onlyRes{id, r})
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d repositories in\n%s", len(found), template)
	}
	return found[0]
}

// normalizeRepository makes repository properties comparable: the
// lifecycle policy text as its rules in priority order (ECR applies rules
// by priority, whatever their order).
func normalizeRepository(props map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range props {
		out[k] = v
	}
	if lp, ok := props["LifecyclePolicy"].(map[string]any); ok {
		text, _ := lp["LifecyclePolicyText"].(string)
		var doc struct {
			Rules []map[string]any `json:"rules"`
		}
		if err := json.Unmarshal([]byte(text), &doc); err != nil {
			out["LifecyclePolicy"] = "invalid: " + err.Error()
		} else {
			sort.SliceStable(doc.Rules, func(i, j int) bool {
				pi, _ := doc.Rules[i]["rulePriority"].(float64)
				pj, _ := doc.Rules[j]["rulePriority"].(float64)
				return pi < pj
			})
			out["LifecyclePolicy"] = map[string]any{"LifecyclePolicyText": doc.Rules}
		}
	}
	return out
}

// repositoryGone reports whether DescribeRepositories says name is not in
// the registry.
func repositoryGone(t *testing.T, c *ecr.Client, name string) bool {
	t.Helper()
	_, err := c.DescribeRepositories(t.Context(), &ecr.DescribeRepositoriesInput{RepositoryNames: []string{name}})
	var nf *ecrtypes.RepositoryNotFoundException
	switch {
	case err == nil:
		return false
	case errors.As(err, &nf):
		return true
	}
	t.Fatalf("describe %s: %v", name, err)
	return false
}
