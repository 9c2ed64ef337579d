package lifecyclecli

import (
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
