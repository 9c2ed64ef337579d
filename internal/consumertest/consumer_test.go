// Package consumertest proves the library works from another module: it
// builds and runs testdata/consumer, a separate Go module that imports the
// library through a replace directive pointing at this checkout.
package consumertest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestSeparateModuleSynthesizes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a separate module")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/consumer/main.go")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	// The consumer starts from the library's go.sum, so it needs nothing the
	// library's own build did not already download.
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "go", "mod", "init", "example.com/consumer")
	run(t, dir, "go", "mod", "edit",
		"-require=github.com/secure-ecr/ecr-cdk-go@v0.0.0",
		"-replace=github.com/secure-ecr/ecr-cdk-go="+root)
	run(t, dir, "go", "mod", "tidy")

	t.Setenv("CDK_OUTDIR", filepath.Join(dir, "cdk.out"))
	out := strings.TrimSpace(run(t, dir, "go", "run", "."))
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("the consumer printed %q, not its template: %v", out, err)
	}
	var template struct {
		Resources map[string]struct{ Type string }
	}
	if err := json.Unmarshal(data, &template); err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, r := range template.Resources {
		found[r.Type] = true
	}
	for _, want := range []string{"AWS::ECR::Repository", "AWS::ECS::TaskDefinition", "AWS::Lambda::Function", "AWS::IAM::Policy"} {
		if !found[want] {
			t.Errorf("the consumer's template has no %s", want)
		}
	}
}

// run runs a command in dir and returns its standard output.
func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}
