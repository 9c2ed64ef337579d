package lifecyclecli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// twoRepositories is a template of two repositories, one named shop/web.
const twoRepositories = `{"Resources": {
 "WebRepo1A2B3C4D": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "shop/web",
  "LifecyclePolicy": {"LifecyclePolicyText": "{\"rules\":[{\"rulePriority\":1,\"description\":\"web\",\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}"}}},
 "ApiRepo5E6F7A8B": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "shop/api",
  "LifecyclePolicy": {"LifecyclePolicyText": "{\"rules\":[{\"rulePriority\":1,\"description\":\"api\",\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}"}}}}}`

// writeFiles writes files into a new directory and returns its path.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRepositoryByItsName(t *testing.T) {
	dir := writeFiles(t, map[string]string{"app.template.json": twoRepositories})
	template := filepath.Join(dir, "app.template.json")
	_, byID, _ := run(t, "", "preview", "--template", template, "--repository", "WebRepo1A2B3C4D", "--images", "testdata/images.json", "--now", now)
	code, byName, errOut := run(t, "", "preview", "--template", template, "--repository", "shop/web", "--images", "testdata/images.json", "--now", now)
	if code != ExitOK || byName != byID || !strings.Contains(byName, "1 web") {
		t.Errorf("--repository shop/web: exit %d, stderr %q, stdout:\n%s", code, errOut, byName)
	}
	code, _, errOut = run(t, "", "preview", "--template", template, "--repository", "shop/nope", "--images", "testdata/images.json", "--now", now)
	if want := template + ": --repository \"shop/nope\": no lifecycle policy has this logical id or repository name; the template's are ApiRepo5E6F7A8B (shop/api), WebRepo1A2B3C4D (shop/web)\n"; code != ExitInvalid || errOut != want {
		t.Errorf("unknown name: exit %d, stderr %q, want %q", code, errOut, want)
	}
}

func TestInventoryOfAnotherRepositoryIsRefused(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"app.template.json": twoRepositories,
		"api-policy.json":   `{"registryId":"123456789012","repositoryName":"shop/api","lifecyclePolicyText":"{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":5},\"action\":{\"type\":\"expire\"}}]}"}`,
	})
	template := filepath.Join(dir, "app.template.json")
	images, _ := os.ReadFile("testdata/images.json")
	for _, tt := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"preview", "--template", template, "--repository", "ApiRepo5E6F7A8B", "--images", "testdata/images.json"},
			`testdata/images.json:5:31: imageDetails[0].repositoryName "shop/web": is not the policy's repository, "shop/api" (the RepositoryName of ApiRepo5E6F7A8B in ` + template + ")\n"},
		{string(images), []string{"preview", "--template", template, "--repository", "shop/api", "--images", "-"},
			`<stdin>:5:31: imageDetails[0].repositoryName "shop/web": is not the policy's repository, "shop/api" (the RepositoryName of ApiRepo5E6F7A8B in ` + template + ")\n"},
		{"", []string{"preview", "--policy", filepath.Join(dir, "api-policy.json"), "--images", "testdata/images.json"},
			`testdata/images.json:5:31: imageDetails[0].repositoryName "shop/web": is not the policy's repository, "shop/api" (the repositoryName of ` + filepath.Join(dir, "api-policy.json") + ")\n"},
		{"", []string{"preview", "--template", template, "--repository", "ApiRepo5E6F7A8B", "--repository-name", "shop/web"},
			`ecr-lifecycle preview: --repository-name "shop/web": is not the policy's repository, "shop/api" (the RepositoryName of ApiRepo5E6F7A8B in ` + template + ")\n"},
		{"", []string{"diff", "--policy", filepath.Join(dir, "api-policy.json"), "--repository-name", "shop/web"},
			`ecr-lifecycle diff: --repository-name "shop/web": is not the policy's repository, "shop/api" (the repositoryName of ` + filepath.Join(dir, "api-policy.json") + ")\n"},
	} {
		code, out, errOut := run(t, tt.stdin, tt.args...)
		if code != ExitInvalid || out != "" || errOut != tt.want {
			t.Errorf("%q: exit %d, stderr\n got %q\nwant %q", tt.args, code, errOut, tt.want)
		}
	}
	// The policy's own repository, and a policy of no known repository, are previewed.
	for _, args := range [][]string{
		{"preview", "--template", template, "--repository", "shop/web", "--images", "testdata/images.json", "--now", now},
		{"preview", "--policy", "testdata/policy.json", "--images", "testdata/images.json", "--now", now},
	} {
		if code, _, errOut := run(t, "", args...); code != ExitOK {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
		}
	}
}

// A cloud assembly of a stack with a stack set (its template a string and
// an object) and a nested stack, whose template is a sibling file.
func stackSetAssembly(t *testing.T) string {
	policy := func(n int) string {
		return `{\"rules\":[{\"rulePriority\":1,\"description\":\"keep ` + string(rune('0'+n)) + `\",\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":` + string(rune('0'+n)) + `},\"action\":{\"type\":\"expire\"}}]}`
	}
	inner := `{"Resources": {"InnerRepo": {"Type": "AWS::ECR::Repository", "Properties": {"LifecyclePolicy": {"LifecyclePolicyText": "` + policy(1) + `"}}}}}`
	body, _ := json.Marshal(inner)
	nested := `{"Resources": {"DeepRepo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "shop/web", "LifecyclePolicy": {"LifecyclePolicyText": "` + policy(3) + `"}}}}}`
	return writeFiles(t, map[string]string{
		"App.template.json": `{"Resources": {
 "Fleet": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"StackSetName": "fleet", "TemplateBody": ` + string(body) + `}},
 "Objects": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": {"Resources": {"ObjRepo": {"Type": "AWS::ECR::Repository", "Properties": {"LifecyclePolicy": {"LifecyclePolicyText": "` + policy(2) + `"}}}}}}},
 "InnerNestedStack": {"Type": "AWS::CloudFormation::Stack",
  "Properties": {"TemplateURL": {"Fn::Join": ["", ["https://s3.", {"Ref": "AWS::Region"}, ".amazonaws.com/cdk-assets/0a1b2c.json"]]}},
  "Metadata": {"aws:asset:path": "AppInnerNestedStack1A2B3C4D.nested.template.json", "aws:asset:property": "TemplateURL"}},
 "ByURL": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://s3.amazonaws.com/bucket/Other.nested.template.json"}},
 "Elsewhere": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://s3.amazonaws.com/bucket/missing.json"}}}}`,
		"AppInnerNestedStack1A2B3C4D.nested.template.json": nested,
		"Other.nested.template.json":                       `{"Resources": {"UrlRepo": {"Type": "AWS::ECR::Repository", "Properties": {"LifecyclePolicy": {"LifecyclePolicyText": "` + policy(4) + `"}}}}}`,
	})
}

func TestTemplateFindsStackSetsAndNestedStacks(t *testing.T) {
	dir := stackSetAssembly(t)
	template := filepath.Join(dir, "App.template.json")
	code, out, errOut := run(t, "", "validate", "--template", template)
	want := template + ": ByURL/UrlRepo: valid, 1 rule\n" +
		template + ": Fleet/InnerRepo: valid, 1 rule\n" +
		template + ": InnerNestedStack/DeepRepo: valid, 1 rule\n" +
		template + ": Objects/ObjRepo: valid, 1 rule\n"
	if code != ExitOK || out != want {
		t.Errorf("validate: exit %d, stderr %q, stdout\n%s\nwant\n%s", code, errOut, out, want)
	}
	for repository, rule := range map[string]string{"Fleet/InnerRepo": "keep 1", "Objects/ObjRepo": "keep 2", "InnerNestedStack/DeepRepo": "keep 3", "shop/web": "keep 3", "ByURL/UrlRepo": "keep 4"} {
		code, out, errOut := run(t, "", "preview", "--template", template, "--repository", repository, "--images", "testdata/images.json", "--now", now)
		if code != ExitOK || !strings.Contains(out, "1 "+rule) {
			t.Errorf("--repository %s: exit %d, stderr %q, stdout\n%s", repository, code, errOut, out)
		}
	}
	code, _, errOut = run(t, "", "preview", "--template", template, "--images", "testdata/images.json")
	if want := "ecr-lifecycle preview: --repository is required: " + template + " has 4 lifecycle policies: ByURL/UrlRepo, Fleet/InnerRepo, InnerNestedStack/DeepRepo (shop/web), Objects/ObjRepo (see ecr-lifecycle preview --help)\n"; code != ExitUsage || errOut != want {
		t.Errorf("no --repository: exit %d, stderr %q, want %q", code, errOut, want)
	}
}

func TestProblemsInAStackSetNameItsPath(t *testing.T) {
	body, _ := json.Marshal(`{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"LifecyclePolicy": {"LifecyclePolicyText": "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":0},\"action\":{\"type\":\"expire\"}}]}"}}}}}`)
	for _, tt := range []struct{ template, want string }{
		{`{"Resources": {"Fleet": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": ` + string(body) + `}}}}`,
			"<stdin>: Fleet/Repo: rules[0]: selection.countNumber 0: must be a positive integer\n"},
		{`{"Resources": {"Fleet": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": "{\n \"Resources\": {,}}"}}}}`,
			"<stdin>: Fleet: Properties.TemplateBody: invalid character ',' looking for beginning of object key string (at 2:16 of the TemplateBody)\n"},
		{`{"Resources": {"Fleet": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": "{}"}}}}`,
			"<stdin>: Fleet: Properties.TemplateBody: is not a CloudFormation template: it has no \"Resources\"\n"},
	} {
		code, out, errOut := run(t, tt.template, "validate", "--template", "-")
		if code != ExitInvalid || out != "" || errOut != tt.want {
			t.Errorf("exit %d, stderr\n got %q\nwant %q", code, errOut, tt.want)
		}
	}
}

func TestInUseInANestedStackKnowsItsRepository(t *testing.T) {
	dir := stackSetAssembly(t)
	// v1.8.0 is an image of shop/web that keeping 3 expires; the
	// line is of another repository, so it isn't in use (the inventory from
	// standard input is not read twice for its repositoryName).
	if err := os.WriteFile(filepath.Join(dir, "in-use.txt"), []byte("shop/api:v1.8.0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"preview", "--template", filepath.Join(dir, "App.template.json"), "--repository", "shop/web", "--images", "-", "--now", now, "--in-use", filepath.Join(dir, "in-use.txt")}
	images, _ := os.ReadFile("testdata/images.json")
	code, out, errOut := run(t, string(images), args...)
	if code != ExitOK || errOut != "" || !strings.Contains(out, "v1.8.0") {
		t.Errorf("exit %d, stderr %q, stdout\n%s", code, errOut, out)
	}
}

// A cloud assembly directory (cdk.out) is read as `ecr-cdk diff` reads it:
// every stack of its manifest.json, those of nested assemblies (stages)
// included, and their nested stacks; with several stacks, each policy is
// named STACK/LOGICAL_ID.
func TestTemplateDirectoryIsACloudAssembly(t *testing.T) {
	const dir = "testdata/assembly"
	code, out, errOut := run(t, "", "validate", "--template", dir)
	want := dir + ": Prod-Images/WebRepo1A2B3C4D: valid, 1 rule\n" +
		dir + ": Shop/InnerNestedStack/DeepRepo9C0D1E2F: valid, 1 rule\n" +
		dir + ": Shop/WebRepo1A2B3C4D: valid, 1 rule\n"
	if code != ExitOK || errOut != "" || out != want {
		t.Errorf("validate: exit %d, stderr %q, stdout\n%s\nwant\n%s", code, errOut, out, want)
	}
	for repository, rule := range map[string]string{
		"Shop/WebRepo1A2B3C4D": "shop web", "shop/web": "shop web",
		"Shop/InnerNestedStack/DeepRepo9C0D1E2F": "deep",
	} {
		code, out, errOut := run(t, "", "preview", "--template", dir, "--repository", repository, "--images", "testdata/images.json", "--now", now)
		if code != ExitOK || !strings.Contains(out, "1 "+rule) {
			t.Errorf("--repository %s: exit %d, stderr %q, stdout\n%s", repository, code, errOut, out)
		}
	}
	// The other stack's repository has its own name, which the inventory
	// (of shop/web) is not.
	for _, repository := range []string{"Prod-Images/WebRepo1A2B3C4D", "prod/web"} {
		code, _, errOut := run(t, "", "preview", "--template", dir, "--repository", repository, "--images", "testdata/images.json", "--now", now)
		if want := `testdata/images.json:5:31: imageDetails[0].repositoryName "shop/web": is not the policy's repository, "prod/web" (the RepositoryName of Prod-Images/WebRepo1A2B3C4D in ` + dir + ")\n"; code != ExitInvalid || errOut != want {
			t.Errorf("--repository %s: exit %d, stderr\n got %q\nwant %q", repository, code, errOut, want)
		}
	}
	code, _, errOut = run(t, "", "preview", "--template", dir, "--images", "testdata/images.json")
	if want := "ecr-lifecycle preview: --repository is required: " + dir + " has 3 lifecycle policies: Prod-Images/WebRepo1A2B3C4D (prod/web), Shop/InnerNestedStack/DeepRepo9C0D1E2F, Shop/WebRepo1A2B3C4D (shop/web) (see ecr-lifecycle preview --help)\n"; code != ExitUsage || errOut != want {
		t.Errorf("no --repository: exit %d, stderr\n got %q\nwant %q", code, errOut, want)
	}
	// A logical id alone is ambiguous between stacks: it must be named.
	code, _, errOut = run(t, "", "preview", "--template", dir, "--repository", "WebRepo1A2B3C4D", "--images", "testdata/images.json")
	if code != ExitInvalid || !strings.HasPrefix(errOut, dir+`: --repository "WebRepo1A2B3C4D": no lifecycle policy has this logical id or repository name`) {
		t.Errorf("bare logical id: exit %d, stderr %q", code, errOut)
	}
}

// A cloud assembly of one stack names its policies by logical id alone,
// as its template file would; the directory and the file give the same
// preview.
func TestTemplateDirectoryOfOneStack(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"manifest.json":     `{"version": "48.0.0", "artifacts": {"App": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "App.template.json"}}}}`,
		"App.template.json": twoRepositories,
	})
	code, out, errOut := run(t, "", "validate", "--template", dir)
	want := dir + ": ApiRepo5E6F7A8B: valid, 1 rule\n" + dir + ": WebRepo1A2B3C4D: valid, 1 rule\n"
	if code != ExitOK || out != want {
		t.Errorf("validate: exit %d, stderr %q, stdout\n%s\nwant\n%s", code, errOut, out, want)
	}
	_, fromDir, _ := run(t, "", "preview", "--template", dir, "--repository", "shop/web", "--images", "testdata/images.json", "--now", now)
	_, fromFile, _ := run(t, "", "preview", "--template", filepath.Join(dir, "App.template.json"), "--repository", "shop/web", "--images", "testdata/images.json", "--now", now)
	if fromDir == "" || fromDir != fromFile {
		t.Errorf("the directory previews\n%s\nthe file\n%s", fromDir, fromFile)
	}
}

// A directory that is no cloud assembly, and one whose manifest names a
// template file that isn't there, are refused in one line.
func TestTemplateDirectoryRefused(t *testing.T) {
	empty := t.TempDir()
	missing := writeFiles(t, map[string]string{
		"manifest.json": `{"artifacts": {"App": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "App.template.json"}}}}`,
	})
	badManifest := writeFiles(t, map[string]string{"manifest.json": `{"artifacts": [}`})
	for _, tt := range []struct{ dir, want string }{
		{empty, empty + ": not a cloud assembly: no manifest.json\n"},
		{missing, missing + ": open " + filepath.Join(missing, "App.template.json") + ": no such file or directory\n"},
		{badManifest, filepath.Join(badManifest, "manifest.json") + ": invalid character '}' looking for beginning of value\n"},
	} {
		code, out, errOut := run(t, "", "validate", "--template", tt.dir)
		if code != ExitInvalid || out != "" || errOut != tt.want {
			t.Errorf("exit %d, stdout %q, stderr\n got %q\nwant %q", code, out, errOut, tt.want)
		}
	}
}
