// Package startertest tries the starter (starter/ at the repository's root)
// the way a user does: a copy in a fresh folder outside the repository,
// with a replace directive pointing at this checkout as the README says,
// then its own tests, `cdk synth`, and a mistake in the input.
package startertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestStarterAsAUserRunsIt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds, tests and synthesizes a separate module")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	cdk := filepath.Join(root, ".tools", "node_modules", ".bin", "cdk")
	if _, err := os.Stat(cdk); err != nil {
		t.Fatalf("the CDK CLI is missing: run `make setup` (%v)", err)
	}
	dir := filepath.Join(t.TempDir(), "images")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(root, "starter"))); err != nil {
		t.Fatal(err)
	}
	run(t, dir, 0, "go", "mod", "edit", "-replace=github.com/secure-ecr/ecr-cdk-go="+root)
	run(t, dir, 0, "go", "mod", "tidy")

	// Its own tests: golden template, compliance pack, cdk-nag.
	if out := run(t, dir, 0, "go", "test", "./..."); !strings.Contains(out, "ok") {
		t.Errorf("go test: %s", out)
	}

	// `cdk synth` with the starter's cdk.json: a template, and no notice
	// about feature flags left unconfigured.
	out := run(t, dir, 0, cdk, "synth", "--quiet")
	if strings.Contains(out, "feature flags are not configured") {
		t.Errorf("cdk synth: %s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "cdk.out", "Images.template.json")); err != nil {
		t.Errorf("no template: %v\n%s", err, out)
	}

	// A control broken: under `cdk synth`, one line per finding (exit.OnError),
	// not the report's blocks of three lines that CDK or the CLI print.
	stack := filepath.Join(dir, "stack.go")
	src, err := os.ReadFile(stack)
	if err != nil {
		t.Fatal(err)
	}
	mutable := strings.Replace(string(src), `Tags: map[string]string{"team": "platform"},`, `Tags: map[string]string{"team": "platform"}, TagMutability: awsecr.TagMutability_MUTABLE,`, 1)
	mutable = strings.Replace(mutable, `"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"`, `"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"`, 1)
	if err := os.WriteFile(stack, []byte(mutable), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr := run(t, dir, 1, cdk, "synth", "--quiet")
	for _, rule := range []string{"SECURITYHUB_ECR_2", "CHECKOV_CKV_AWS_51"} {
		if !strings.Contains(stderr, "\nImages/Service/Resource: "+rule+" (CloudFormation Validate): ") && !strings.HasPrefix(stderr, "Images/Service/Resource: "+rule) {
			t.Errorf("cdk synth: no line for %s:\n%s", rule, stderr)
		}
	}
	if strings.Contains(stderr, "Acknowledge with") || strings.Contains(stderr, "aws-cdk-lib.aws_ecr.CfnRepository") {
		t.Errorf("cdk synth printed the report's blocks:\n%s", stderr)
	}

	// A mistake in the input: one line on standard error, exit status 1,
	// no goroutine dump.
	broken := strings.Replace(string(src), `"team/service"`, `"Team/Service"`, 1)
	if err := os.WriteFile(stack, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, 0, "go", "build", "-o", "images", ".") // `go run` would add its own "exit status 1"
	stderr = run(t, dir, 1, filepath.Join(dir, "images"))
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], `ecr: Images/Service: RepositoryName "Team/Service": must be lowercase`) {
		t.Errorf("standard error of a refused input:\n%s", stderr)
	}
}

// run runs a command in dir with the project's Node.js first on PATH and
// returns its standard output, or its standard error when the exit status
// wanted is not 0. Another exit status fails the test.
func run(t *testing.T, dir string, wantExit int, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "CDK_DISABLE_CLI_TELEMETRY=true")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if code != wantExit {
		t.Fatalf("%s %s: exit status %d, want %d\n%s%s", name, strings.Join(args, " "), code, wantExit, stdout.String(), stderr.String())
	}
	if wantExit != 0 {
		return stderr.String()
	}
	return stdout.String() + stderr.String()
}
