package ecr_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle/preview"
)

// policyOf returns the lifecycle policy the repository of a synthesized
// stack renders.
func policyOf(t *testing.T, stack cxapi.CloudFormationStackArtifact) *lifecycle.Policy {
	t.Helper()
	for _, r := range stack.Template().(map[string]any)["Resources"].(map[string]any) {
		r := r.(map[string]any)
		if r["Type"] != "AWS::ECR::Repository" {
			continue
		}
		text := r["Properties"].(map[string]any)["LifecyclePolicy"].(map[string]any)["LifecyclePolicyText"].(string)
		policy, err := lifecycle.Parse([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return policy
	}
	t.Fatal("no repository")
	return nil
}

// A stack where ECS (another stack) and Lambda deploy tags of a repository
// that keeps its 3 newest images; those tags are the oldest of twenty
// images. The preview of the synthesized policy keeps them.
func TestTheImagesTheAppDeploysAreNeverExpired(t *testing.T) {
	app := awscdk.NewApp(nil)
	images := awscdk.NewStack(app, jsii.String("Images"), nil)
	services := awscdk.NewStack(app, jsii.String("Services"), nil)
	repo := ecr.NewRepository(images, jsii.String("Web"), &ecr.RepositoryProps{LifecycleRules: []lifecycle.Rule{lifecycle.KeepLastNImages(3)}})
	task := awsecs.NewFargateTaskDefinition(services, jsii.String("Task"), nil)
	task.AddContainer(jsii.String("web"), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(repo, jsii.String("v1.0.0"))})
	awslambda.NewDockerImageFunction(images, jsii.String("Worker"), &awslambda.DockerImageFunctionProps{
		Code: awslambda.DockerImageCode_FromEcr(repo, &awslambda.EcrImageCodeProps{TagOrDigest: jsii.String("v1.0.1")}),
	})
	asm := app.Synth(nil)
	policy := policyOf(t, asm.GetStackByName(jsii.String("Images")))

	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var inventory []preview.Image
	for i := range 20 {
		inventory = append(inventory, preview.Image{
			Digest:   fmt.Sprintf("sha256:%064d", i),
			Tags:     []string{fmt.Sprintf("v1.0.%d", i)},
			PushedAt: now.Add(-time.Duration(20-i) * 24 * time.Hour).UnixNano(),
		})
	}
	result := preview.Evaluate(policy, inventory, now, nil)
	var expired []string
	for _, o := range result.Outcomes {
		expired = append(expired, o.Image.Tags[0])
	}
	for _, deployed := range []string{"v1.0.0", "v1.0.1"} {
		if slices.Contains(expired, deployed) {
			t.Errorf("the policy expires %s, which the app deploys: %s", deployed, policy.JSON())
		}
	}
	if result.Expired != 15 {
		t.Errorf("expired %d images, want the 15 between the deployed two and the newest 3: %v", result.Expired, expired)
	}
	rules := policy.Rules()
	if len(rules) != 3 || !slices.Equal(rules[0].TagPatterns, []string{"v1.0.0"}) || !slices.Equal(rules[1].TagPatterns, []string{"v1.0.1"}) || rules[2].CountNumber != 3 {
		t.Errorf("rules: %s", policy.JSON())
	}
}

// The protection is turned off by NoInUseProtection; a tag that is a
// parameter of the repository's stack is protected through the rendered
// policy; digests, and token tags CloudFormation can't resolve in the
// repository's stack, are warned about, never silently left unprotected.
func TestInUseProtectionLimits(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Images"), nil)
	services := awscdk.NewStack(app, jsii.String("Services"), nil)
	off := ecr.NewRepository(stack, jsii.String("Off"), &ecr.RepositoryProps{NoInUseProtection: jsii.Bool(true)})
	pinned := ecr.NewRepository(stack, jsii.String("Pinned"), nil)
	tag := awscdk.NewCfnParameter(stack, jsii.String("Tag"), nil)
	elsewhere := awscdk.NewCfnParameter(services, jsii.String("ServiceTag"), nil)
	task := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), nil)
	task.AddContainer(jsii.String("off"), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(off, jsii.String("v1"))})
	task.AddContainer(jsii.String("token"), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(pinned, tag.ValueAsString())})
	other := awsecs.NewFargateTaskDefinition(services, jsii.String("Task"), nil)
	other.AddContainer(jsii.String("token"), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(pinned, elsewhere.ValueAsString())})
	awslambda.NewDockerImageFunction(stack, jsii.String("Worker"), &awslambda.DockerImageFunctionProps{
		Code: awslambda.DockerImageCode_FromEcr(pinned, &awslambda.EcrImageCodeProps{TagOrDigest: jsii.String("sha256:" + strings.Repeat("a", 64))}),
	})
	asm := app.Synth(nil)
	template := asm.GetStackByName(jsii.String("Images")).Template().(map[string]any)
	for id, r := range template["Resources"].(map[string]any) {
		r := r.(map[string]any)
		if r["Type"] != "AWS::ECR::Repository" {
			continue
		}
		text := fmt.Sprint(r["Properties"].(map[string]any)["LifecyclePolicy"])
		switch {
		case strings.HasPrefix(id, "Off") && strings.Contains(text, "Protect "):
			t.Errorf("%s got protecting rules: %s", id, text)
		case strings.HasPrefix(id, "Pinned") && !strings.Contains(text, "map[Ref:Tag]"):
			t.Errorf("%s: the parameter's tag is not protected: %s", id, text)
		}
	}
	joined := strings.Join(warnings(t, *asm.Directory(), "Images"), "\n")
	for _, want := range []string{"Images/Worker/Resource deploys an image of this repository by digest", "Services/Task/Resource deploys an image of this repository by a tag known only at deployment"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no warning %q in %q", want, joined)
		}
	}
	if strings.Contains(joined, "Images/Task/Resource deploys") {
		t.Errorf("warned about a protected parameter: %q", joined)
	}
}

// When protection would break ECR's limit of 50 rules, synthesis fails in
// one line.
func TestInUseProtectionWithinLimits(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Images"), nil)
	repo := ecr.NewRepository(stack, jsii.String("Web"), nil)
	task := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), nil)
	for i := range 50 {
		task.AddContainer(jsii.String(fmt.Sprintf("c%d", i)), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(repo, jsii.String(fmt.Sprintf("v%d", i)))})
	}
	err := cdktest.Panic(t, func() { app.Synth(nil) })
	if err == nil || !strings.Contains(err.Error(), "ecr: Images/Web: LifecycleRules: protecting the 50 tags the app deploys") {
		t.Errorf("got %v", err)
	}
}

// warnings returns the warning annotations of a stack, as its cloud
// assembly's manifest holds them.
func warnings(t *testing.T, dir, stack string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	type entries map[string][]struct {
		Type string `json:"type"`
		Data any    `json:"data"`
	}
	var manifest struct {
		Artifacts map[string]struct {
			Metadata               entries `json:"metadata"`
			AdditionalMetadataFile string  `json:"additionalMetadataFile"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatal(err)
	}
	metadata := manifest.Artifacts[stack].Metadata
	if file := manifest.Artifacts[stack].AdditionalMetadataFile; file != "" {
		more, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(more, &metadata); err != nil {
			t.Fatal(err)
		}
	}
	var out []string
	for _, entries := range metadata {
		for _, e := range entries {
			if e.Type == "aws:cdk:warning" {
				out = append(out, fmt.Sprint(e.Data))
			}
		}
	}
	return out
}

// rulesOf returns the lifecycle policy text of a synthesized stack's
// repository of that construct id.
func rulesOf(t *testing.T, asm cxapi.CloudAssembly, stack, id string) string {
	t.Helper()
	for logicalID, r := range asm.GetStackByName(jsii.String(stack)).Template().(map[string]any)["Resources"].(map[string]any) {
		r := r.(map[string]any)
		if r["Type"] == "AWS::ECR::Repository" && strings.HasPrefix(logicalID, id) {
			return fmt.Sprint(r["Properties"].(map[string]any)["LifecyclePolicy"])
		}
	}
	t.Fatalf("no repository %s in %s", id, stack)
	return ""
}

// Repositories of several stacks share a logical id when they share a
// construct path, as the examples' do: a deployment protects the one it
// references, in its own stack or through a cross-stack reference, never
// another stack's of the same id.
func TestInUseProtectionMatchesTheStack(t *testing.T) {
	app := awscdk.NewApp(nil)
	first := awscdk.NewStack(app, jsii.String("First"), nil)
	second := awscdk.NewStack(app, jsii.String("Second"), nil)
	raw := awscdk.NewStack(app, jsii.String("Raw"), nil)
	services := awscdk.NewStack(app, jsii.String("Services"), nil)
	own := ecr.NewRepository(first, jsii.String("Web"), nil)
	shared := ecr.NewRepository(second, jsii.String("Web"), nil)
	unprotected := awsecr.NewRepository(raw, jsii.String("Web"), nil)
	deploy := func(stack awscdk.Stack, id string, repo awsecr.IRepository, tag string) {
		task := awsecs.NewFargateTaskDefinition(stack, jsii.String(id), nil)
		task.AddContainer(jsii.String("web"), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(repo, jsii.String(tag))})
	}
	deploy(first, "Task", own, "own-1")
	deploy(services, "Task", shared, "shared-1")
	deploy(services, "RawTask", unprotected, "raw-1")
	asm := app.Synth(nil)
	for stack, want := range map[string]string{"First": "own-1", "Second": "shared-1"} {
		text := rulesOf(t, asm, stack, "Web")
		for _, tag := range []string{"own-1", "shared-1", "raw-1"} {
			if got := strings.Contains(text, "Protect "+tag); got != (tag == want) {
				t.Errorf("%s protects %s: %v, want %v: %s", stack, tag, got, tag == want, text)
			}
		}
	}
	for _, stack := range []string{"First", "Second", "Raw", "Services"} {
		if w := libraryWarnings(t, *asm.Directory(), stack); len(w) > 0 {
			t.Errorf("%s: warnings %q", stack, w)
		}
	}
}

// One resource that deploys images of two stacks' repositories of one
// logical id can't be told apart in the rendering: one warning on it, and
// neither repository is given the other's tag.
func TestInUseProtectionWarnsWhenItCantTell(t *testing.T) {
	app := awscdk.NewApp(nil)
	first := ecr.NewRepository(awscdk.NewStack(app, jsii.String("First"), nil), jsii.String("Web"), nil)
	second := ecr.NewRepository(awscdk.NewStack(app, jsii.String("Second"), nil), jsii.String("Web"), nil)
	task := awsecs.NewFargateTaskDefinition(awscdk.NewStack(app, jsii.String("Services"), nil), jsii.String("Task"), nil)
	task.AddContainer(jsii.String("a"), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(first, jsii.String("a-1"))})
	task.AddContainer(jsii.String("b"), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(second, jsii.String("b-1"))})
	asm := app.Synth(nil)
	for _, stack := range []string{"First", "Second"} {
		if text := rulesOf(t, asm, stack, "Web"); strings.Contains(text, "Protect ") {
			t.Errorf("%s got protecting rules: %s", stack, text)
		}
	}
	got := libraryWarnings(t, *asm.Directory(), "Services")
	want := "Services/Task/Resource deploys an image of the repository of logical id Web"
	if len(got) != 1 || !strings.HasPrefix(got[0], want) || !strings.Contains(got[0], "(First/Web/Resource, Second/Web/Resource)") || !strings.Contains(got[0], "@secure-ecr/ecr-cdk-go:inUseUnknownRepository") {
		t.Errorf("warnings %q, want one starting %q", got, want)
	}
}

// libraryWarnings returns the library's warning annotations of a stack
// (CDK's own, such as the cross-stack references' strength, left out).
func libraryWarnings(t *testing.T, dir, stack string) []string {
	t.Helper()
	var out []string
	for _, w := range warnings(t, dir, stack) {
		if strings.Contains(w, "[ack: @secure-ecr/") {
			out = append(out, w)
		}
	}
	return out
}

// A deployed tag no image can have is refused at synthesis, in one line
// naming the deploying resource and the tag.
func TestInUseTagsNoImageCanHave(t *testing.T) {
	long := strings.Repeat("a", 129)
	for _, tag := range []string{"1.4 2", long, "1.0+build", ".hidden", "v1\t"} {
		t.Run(tag[:min(len(tag), 10)], func(t *testing.T) {
			app := awscdk.NewApp(nil)
			stack := awscdk.NewStack(app, jsii.String("Images"), nil)
			repo := ecr.NewRepository(stack, jsii.String("Web"), nil)
			task := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), nil)
			task.AddContainer(jsii.String("web"), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(repo, jsii.String(tag))})
			err := cdktest.Panic(t, func() { app.Synth(nil) })
			if err == nil {
				t.Fatal("the app synthesized")
			}
			want := fmt.Sprintf(`ecr: Images/Task/Resource: image tag %q: no image can have this tag, so the service could never pull it from Images/Web/Resource: a tag is 1 to 128 characters matching ^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$ (letters, digits, _ . -, not starting with . or -)`, tag)
			var line string
			for _, l := range strings.Split(err.Error(), "\n") {
				if strings.Contains(l, "image tag") {
					line = l
				}
			}
			if strings.TrimPrefix(line, "  [ecr-cdk-go/Checks] ") != want {
				t.Errorf("got %v\nwant a line with %s", err, want)
			}
		})
	}
}

// Deployments through an import of one of the app's repositories — the
// library's and CDK's, by name, ARN and attributes, from ECS and Lambda —
// protect the repository of that name in the account and Region the import
// names, never a repository of the same name in another Region; a literal
// URI is matched by name, account and Region too.
func TestInUseProtectionThroughImports(t *testing.T) {
	const account, name = "111111111111", "team/web"
	in := func(region string) *awscdk.StackProps {
		return &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)}}
	}
	arn := func(region string) *string {
		return jsii.String("arn:aws:ecr:" + region + ":" + account + ":repository/" + name)
	}
	app := awscdk.NewApp(nil)
	images := awscdk.NewStack(app, jsii.String("Images"), in("eu-west-1"))
	copies := awscdk.NewStack(app, jsii.String("Copy"), in("us-east-1"))
	services := awscdk.NewStack(app, jsii.String("Services"), in("eu-west-1"))
	west := awscdk.NewStack(app, jsii.String("West"), in("us-west-2"))
	keep3 := []lifecycle.Rule{lifecycle.KeepLastNImages(3)}
	ecr.NewRepository(images, jsii.String("Web"), &ecr.RepositoryProps{RepositoryName: jsii.String(name), LifecycleRules: keep3})
	ecr.NewRepository(copies, jsii.String("Web"), &ecr.RepositoryProps{RepositoryName: jsii.String(name), LifecycleRules: keep3})

	task := awsecs.NewFargateTaskDefinition(services, jsii.String("Task"), nil)
	deploy := func(task awsecs.TaskDefinition, repo awsecr.IRepository, tag string) {
		task.AddContainer(jsii.String(tag), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(repo, jsii.String(tag))})
	}
	attrs := func(region string) *awsecr.RepositoryAttributes {
		return &awsecr.RepositoryAttributes{RepositoryName: jsii.String(name), RepositoryArn: arn(region)}
	}
	deploy(task, ecr.FromRepositoryName(services, jsii.String("EcrName"), jsii.String(name)), "ecr-name")
	deploy(task, ecr.FromRepositoryArn(services, jsii.String("EcrArn"), arn("eu-west-1")), "ecr-arn")
	deploy(task, ecr.FromRepositoryAttributes(services, jsii.String("EcrAttrs"), attrs("eu-west-1")), "ecr-attrs")
	deploy(task, awsecr.Repository_FromRepositoryName(services, jsii.String("CdkName"), jsii.String(name)), "cdk-name")
	deploy(task, awsecr.Repository_FromRepositoryArn(services, jsii.String("CdkArn"), arn("eu-west-1")), "cdk-arn")
	deploy(task, awsecr.Repository_FromRepositoryAttributes(services, jsii.String("CdkAttrs"), attrs("eu-west-1")), "cdk-attrs")
	awslambda.NewDockerImageFunction(services, jsii.String("Worker"), &awslambda.DockerImageFunctionProps{
		Code: awslambda.DockerImageCode_FromEcr(awsecr.Repository_FromRepositoryArn(services, jsii.String("FnArn"), arn("eu-west-1")), &awslambda.EcrImageCodeProps{TagOrDigest: jsii.String("fn-1")}),
	})
	// From us-west-2: the same name in the two Regions, by literal URI and
	// by ARN.
	other := awsecs.NewFargateTaskDefinition(west, jsii.String("Task"), nil)
	for _, literal := range []string{account + ".dkr.ecr.eu-west-1.amazonaws.com/" + name + ":literal-1", account + ".dkr.ecr.us-east-1.amazonaws.com/" + name + ":copy-1"} {
		other.AddContainer(jsii.String(literal[len(literal)-8:]), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromRegistry(jsii.String(literal), nil)})
	}
	deploy(other, awsecr.Repository_FromRepositoryArn(west, jsii.String("CopyArn"), arn("us-east-1")), "copy-arn")
	// A repository of the same name in a Region no repository of the app
	// is in: outside the app.
	deploy(other, awsecr.Repository_FromRepositoryName(west, jsii.String("Elsewhere"), jsii.String(name)), "elsewhere-1")

	asm := app.Synth(nil)
	for stack, want := range map[string][]string{
		"Images": {"ecr-name", "ecr-arn", "ecr-attrs", "cdk-name", "cdk-arn", "cdk-attrs", "fn-1", "literal-1"},
		"Copy":   {"copy-1", "copy-arn"},
	} {
		text := rulesOf(t, asm, stack, "Web")
		for _, tag := range []string{"ecr-name", "ecr-arn", "ecr-attrs", "cdk-name", "cdk-arn", "cdk-attrs", "fn-1", "literal-1", "copy-1", "copy-arn", "elsewhere-1"} {
			if got := strings.Contains(text, "Protect "+tag+","); got != slices.Contains(want, tag) {
				t.Errorf("%s protects %s: %v, want %v: %s", stack, tag, got, !got, text)
			}
		}
	}
	for _, stack := range []string{"Images", "Copy", "Services", "West"} {
		if w := libraryWarnings(t, *asm.Directory(), stack); len(w) > 0 {
			t.Errorf("%s: warnings %q", stack, w)
		}
	}
}

// A stack without an account and Region that imports a repository by name
// deploys from whichever of the app's repositories of that name is in the
// account and Region it is deployed to: with one, that one is protected;
// with several, one warning names the deploying resource, and none is
// given the tag.
func TestInUseProtectionOfImportsItCantTell(t *testing.T) {
	app := awscdk.NewApp(nil)
	in := func(region string) *awscdk.StackProps {
		return &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String(region)}}
	}
	images := awscdk.NewStack(app, jsii.String("Images"), in("eu-west-1"))
	copies := awscdk.NewStack(app, jsii.String("Copy"), in("us-east-1"))
	ecr.NewRepository(images, jsii.String("Web"), &ecr.RepositoryProps{RepositoryName: jsii.String("team/web")})
	ecr.NewRepository(images, jsii.String("Api"), &ecr.RepositoryProps{RepositoryName: jsii.String("team/api")})
	ecr.NewRepository(copies, jsii.String("Web"), &ecr.RepositoryProps{RepositoryName: jsii.String("team/web")})
	agnostic := awscdk.NewStack(app, jsii.String("Agnostic"), nil)
	task := awsecs.NewFargateTaskDefinition(agnostic, jsii.String("Task"), nil)
	web := awsecr.Repository_FromRepositoryName(agnostic, jsii.String("Web"), jsii.String("team/web"))
	api := awsecr.Repository_FromRepositoryName(agnostic, jsii.String("Api"), jsii.String("team/api"))
	for _, tag := range []string{"web-1", "web-2"} {
		task.AddContainer(jsii.String(tag), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(web, jsii.String(tag))})
	}
	task.AddContainer(jsii.String("api"), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(api, jsii.String("api-1"))})
	asm := app.Synth(nil)
	if text := rulesOf(t, asm, "Images", "Api"); !strings.Contains(text, "Protect api-1,") {
		t.Errorf("the one repository named team/api is not protected: %s", text)
	}
	for _, stack := range []string{"Images", "Copy"} {
		if text := rulesOf(t, asm, stack, "Web"); strings.Contains(text, "Protect ") {
			t.Errorf("%s got protecting rules: %s", stack, text)
		}
	}
	got := libraryWarnings(t, *asm.Directory(), "Agnostic")
	want := "Agnostic/Task/Resource deploys an image of the repository named team/web, which the app has in several stacks whose accounts and Regions it can't tell apart (Copy/Web/Resource, Images/Web/Resource): the library can't tell which, so the image isn't protected from the repository's lifecycle policy; give the stacks their account and Region (StackProps.Env), or protect the tag yourself (lifecycle.Protect)"
	if len(got) != 1 || !strings.HasPrefix(got[0], want) || !strings.Contains(got[0], "@secure-ecr/ecr-cdk-go:inUseUnknownRepository") {
		t.Errorf("warnings %q, want one starting %q", got, want)
	}
}

// A tag no image can have, deployed through an import of one of the app's
// repositories, is refused as one deployed from the repository itself.
func TestInUseTagsNoImageCanHaveThroughImports(t *testing.T) {
	app := awscdk.NewApp(nil)
	images := awscdk.NewStack(app, jsii.String("Images"), nil)
	ecr.NewRepository(images, jsii.String("Web"), &ecr.RepositoryProps{RepositoryName: jsii.String("team/web")})
	services := awscdk.NewStack(app, jsii.String("Services"), nil)
	task := awsecs.NewFargateTaskDefinition(services, jsii.String("Task"), nil)
	repo := awsecr.Repository_FromRepositoryName(services, jsii.String("Web"), jsii.String("team/web"))
	task.AddContainer(jsii.String("web"), &awsecs.ContainerDefinitionOptions{Image: awsecs.ContainerImage_FromEcrRepository(repo, jsii.String("1.4 2"))})
	err := cdktest.Panic(t, func() { app.Synth(nil) })
	want := `ecr: Services/Task/Resource: image tag "1.4 2": no image can have this tag, so the service could never pull it from Images/Web/Resource: a tag is 1 to 128 characters`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v\nwant a line with %s", err, want)
	}
}
