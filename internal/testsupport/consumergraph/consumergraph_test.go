package consumergraph

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// forbidden are the modules a consumer of the constructs must not get, each
// with why. The library's go.mod requires each of the first three for its
// own tests and helpers, not for the constructs.
var forbidden = []struct {
	module string
	why    string
}{
	{"github.com/cdklabs/cdk-nag-go", "cdk-nag runs in the library's tests and in helpers/nag, which the constructs don't import; it is a second jsii bundle of its own"},
	{"github.com/gkampitakis/go-snaps", "snapshot testing of the library's own templates and command output"},
	{"github.com/goccy/go-json", "the JSON decoder of helpers/lifecycle/preview (the ecr-lifecycle command's image inventories), which the constructs don't import"},
	{"github.com/aws/aws-sdk-go-v2", "the constructs synthesize CloudFormation and call no AWS API; an SDK would mean a construct talks to AWS at synth time"},
}

// required must be in the consumer's go.mod.
const required = "github.com/aws/aws-cdk-go/awscdk/v2"

const library = "github.com/secure-ecr/ecr-cdk-go"

// consumerMain uses the constructs as a user's app does; it has to compile,
// not run.
const consumerMain = `package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/constructs/organization"
	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
	"github.com/secure-ecr/ecr-cdk-go/helpers/exit"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

func main() {
	defer exit.OnError()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Images"), nil)
	ecr.NewRepository(stack, jsii.String("Service"), &ecr.RepositoryProps{
		RepositoryName: jsii.String("team/service"),
		LifecycleRules: lifecycle.Concat(
			lifecycle.Protect("release-"),
			lifecycle.DeleteUntaggedAfterDays(14),
		),
	})
	organization.NewBaselineStackSet(stack, jsii.String("Baseline"), &organization.BaselineStackSetProps{
		Registry:            &registry.Props{},
		OrganizationalUnits: []string{"ou-ab12-11111111"},
		Regions:             []string{"eu-west-1"},
	})
	registry.New(stack, jsii.String("Registry"), nil)
	app.Synth(nil)
}
`

func TestConsumerModuleGraph(t *testing.T) {
	if testing.Short() {
		t.Skip("tidies and builds a separate module")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "consumer")
	if rel, err := filepath.Rel(root, dir); err == nil && !strings.HasPrefix(rel, "..") {
		t.Fatalf("the consumer module %s is inside the repository %s", dir, root)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// The library is required before tidy, as `go get` would leave it, so
	// tidy takes awscdk and jsii at the library's versions instead of asking
	// the proxy for the latest ones.
	goMod := "module example.com/consumer\n\ngo 1.26.0\n\n" +
		"require " + library + " v0.0.0-00010101000000-000000000000\n\n" +
		"replace " + library + " => " + root + "\n"
	write(t, filepath.Join(dir, "go.mod"), goMod)
	write(t, filepath.Join(dir, "main.go"), consumerMain)

	step(t, dir, "go", "mod", "tidy")
	step(t, dir, "go", "build", "./...")

	// The consumer's go.mod: awscdk, none of the forbidden modules.
	var mod struct {
		Require []struct{ Path, Version string }
	}
	if err := json.Unmarshal([]byte(step(t, dir, "go", "mod", "edit", "-json")), &mod); err != nil {
		t.Fatal(err)
	}
	requires := map[string]bool{}
	for _, r := range mod.Require {
		requires[r.Path] = true
	}
	if !requires[required] {
		t.Errorf("the consumer's go.mod doesn't require %s:\n%s", required, read(t, filepath.Join(dir, "go.mod")))
	}

	// The packages the binary is built from.
	packages := strings.Fields(step(t, dir, "go", "list", "-deps", "-f", "{{.ImportPath}}", "./..."))

	// The module graph. With module graph pruning (go 1.17 and later) it
	// holds the requirements of the library's go.mod too, test-only ones
	// included, even though the consumer never downloads or builds their
	// code: a forbidden module is excused there only while the library's
	// own go.mod requires it, and the test says so.
	graph := strings.Fields(step(t, dir, "go", "list", "-m", "-f", "{{.Path}}", "all"))
	libraryRequires := map[string]bool{}
	var libMod struct{ Require []struct{ Path string } }
	if err := json.Unmarshal([]byte(step(t, root, "go", "mod", "edit", "-json")), &libMod); err != nil {
		t.Fatal(err)
	}
	for _, r := range libMod.Require {
		libraryRequires[r.Path] = true
	}
	if !contains(graph, required) {
		t.Errorf("go list -m all of the consumer lacks %s", required)
	}

	for _, f := range forbidden {
		for path := range requires {
			if within(path, f.module) {
				t.Errorf("the consumer's go.mod requires %s (%s)", path, f.why)
			}
		}
		var built []string
		for _, pkg := range packages {
			if within(pkg, f.module) {
				built = append(built, pkg)
			}
		}
		if len(built) > 0 {
			t.Errorf("the consumer's binary is built with %d packages of %s, such as %s (%s)", len(built), f.module, built[0], f.why)
		}
		for _, path := range graph {
			if !within(path, f.module) {
				continue
			}
			if libraryRequires[path] {
				t.Logf("go list -m all lists %s only because the library's go.mod requires it: the consumer's go.mod doesn't, and no package of it is built", path)
			} else {
				t.Errorf("the consumer's module graph has %s, which the library's go.mod doesn't require (%s)", path, f.why)
			}
		}
	}
	if t.Failed() {
		t.Logf("go.mod of the consumer:\n%s", read(t, filepath.Join(dir, "go.mod")))
	}
}

// within reports whether path is module or in it (a package, a major
// version or a submodule below it).
func within(path, module string) bool {
	return path == module || strings.HasPrefix(path, module+"/")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// step runs a go command in dir, outside any workspace, with the module
// cache and proxy of the environment, and returns its standard output; it
// logs how long the command took and fails the test if it fails.
func step(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	t.Logf("%s %s: %s", name, strings.Join(args, " "), time.Since(start).Round(100*time.Millisecond))
	if err != nil {
		t.Fatalf("%s %s in %s: %v\n%s%s", name, strings.Join(args, " "), dir, err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
