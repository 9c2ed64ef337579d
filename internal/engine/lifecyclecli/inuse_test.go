package lifecyclecli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A template whose repository keeps its 3 newest images and whose task
// definition deploys v0, the oldest of five: the preview keeps v0, says so
// in one line and exits 1; an --in-use file does the same for v1.
func TestPreviewMarksImagesInUse(t *testing.T) {
	dir := t.TempDir()
	policy := `{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":3},\"action\":{\"type\":\"expire\"}}]}`
	template := `{"Resources":{
	  "Repo":{"Type":"AWS::ECR::Repository","Properties":{"LifecyclePolicy":{"LifecyclePolicyText":"` + policy + `"}}},
	  "Task":{"Type":"AWS::ECS::TaskDefinition","Properties":{"ContainerDefinitions":[{"Image":{"Fn::Join":["",[
	    {"Fn::Select":[4,{"Fn::Split":[":",{"Fn::GetAtt":["Repo","Arn"]}]}]},".dkr.ecr.",
	    {"Fn::Select":[3,{"Fn::Split":[":",{"Fn::GetAtt":["Repo","Arn"]}]}]},".",{"Ref":"AWS::URLSuffix"},"/",{"Ref":"Repo"},":v0"]]}}]}}}}`
	var details []string
	for i := range 5 {
		details = append(details, fmt.Sprintf(`{"repositoryName":"team/web","imageDigest":"sha256:%064d","imageTags":["v%d"],"imagePushedAt":"2026-11-%02dT00:00:00Z","imageSizeInBytes":100}`, i, i, i+1))
	}
	files := map[string]string{
		"template.json": template,
		"images.json":   `{"imageDetails":[` + strings.Join(details, ",") + `]}`,
		"in-use.txt":    "# deployed by another team\nteam/web:v1\n",
		"bad.txt":       "team/web\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := Run(append([]string{"preview", "--now", "2026-12-01"}, args...), nil, &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	at := func(name string) string { return filepath.Join(dir, name) }

	code, _, errOut := run("--template", at("template.json"), "--images", at("images.json"))
	if code != ExitInvalid || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "team/web@sha256:") || !strings.Contains(errOut, "(v0): in use by template resource Task as v0; rule 1 would expire it (kept in this preview)") {
		t.Errorf("template: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = run("--template", at("template.json"), "--images", at("images.json"), "--in-use", at("in-use.txt"))
	if code != ExitInvalid || strings.Count(errOut, "\n") != 2 || !strings.Contains(errOut, "in use by "+at("in-use.txt")+":2 as v1") {
		t.Errorf("in-use file: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = run("--template", at("template.json"), "--images", at("images.json"), "--in-use", at("bad.txt"), "--format", "json")
	if code != ExitInvalid || !strings.Contains(errOut, `bad.txt:1: "team/web": must be an image URI, REPOSITORY:TAG or REPOSITORY@sha256:DIGEST`) {
		t.Errorf("bad file: exit %d, stderr %q", code, errOut)
	}
	// The JSON summary counts what the policy expires, less the image in use.
	code, out, _ := run("--template", at("template.json"), "--images", at("images.json"), "--format", "json")
	if code != ExitInvalid || !strings.Contains(out, `"expired":1`) {
		t.Errorf("json: exit %d, %s", code, out)
	}
}
