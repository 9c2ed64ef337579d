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
