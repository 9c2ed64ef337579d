package ecr_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
)

// BenchmarkSynth measures what the construct costs at synthesis against
// CDK's own awsecr.Repository with the same settings (scan on push,
// immutable tags, KMS, RETAIN, expire untagged images after 14 days): an
// app with n repositories is built and synthesized with one, then the
// other, alternating in every iteration so both see the same machine state.
// It reports each one's time per app and their ratio (target: at most 1.05).
func BenchmarkSynth(b *testing.B) {
	for _, n := range []int{1, 50, 200} {
		b.Run(fmt.Sprintf("repositories=%d", n), func(b *testing.B) {
			var library, raw time.Duration
			for range b.N {
				library += synthApp(b, n, func(stack awscdk.Stack, id *string) {
					ecr.NewRepository(stack, id, nil)
				})
				raw += synthApp(b, n, func(stack awscdk.Stack, id *string) {
					awsecr.NewRepository(stack, id, &awsecr.RepositoryProps{
						ImageScanOnPush:    jsii.Bool(true),
						ImageTagMutability: awsecr.TagMutability_IMMUTABLE,
						Encryption:         awsecr.RepositoryEncryption_KMS(),
						RemovalPolicy:      awscdk.RemovalPolicy_RETAIN,
						LifecycleRules: &[]*awsecr.LifecycleRule{{
							Description: jsii.String("Expire untagged images 14 days after push"),
							TagStatus:   awsecr.TagStatus_UNTAGGED,
							MaxImageAge: awscdk.Duration_Days(jsii.Number(14)),
						}},
					})
				})
			}
			b.ReportMetric(float64(library.Milliseconds())/float64(b.N), "ecr-ms/app")
			b.ReportMetric(float64(raw.Milliseconds())/float64(b.N), "cdk-ms/app")
			b.ReportMetric(float64(library)/float64(raw), "ratio")
			b.ReportMetric(0, "ns/op") // the two figures above are what counts
		})
	}
}

// synthApp builds an app of n repositories made by add and synthesizes it,
// returning the time taken.
func synthApp(b *testing.B, n int, add func(awscdk.Stack, *string)) time.Duration {
	b.Helper()
	start := time.Now()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(b.TempDir())})
	stack := awscdk.NewStack(app, jsii.String("Bench"), nil)
	for i := range n {
		add(stack, jsii.String(fmt.Sprintf("Repo%d", i)))
	}
	app.Synth(nil)
	return time.Since(start)
}

// BenchmarkSynthProcess measures what a whole `cdk synth` costs: the CDK
// CLI of the project (.tools) synthesizing a program that builds an app of
// 50 repositories, with ecr.NewRepository and with CDK's own
// awsecr.Repository given the same settings (testdata/synthprocess, built
// once beforehand, as `go run` would cache it), alternating the two in
// every iteration. Target: a ratio of at most 1.08. BenchmarkAppProcess
// measures the program alone, without the CLI's own start and reading of
// the cloud assembly, which is where the construct's cost shows most.
func BenchmarkSynthProcess(b *testing.B) {
	cli, err := filepath.Abs("../../.tools/node_modules/.bin/cdk")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(cli); err != nil {
		b.Fatalf("the CDK CLI is missing: run `make setup` (%v)", err)
	}
	benchProcesses(b, func(program, out string) *exec.Cmd {
		return exec.Command(cli, "synth", "--app", program, "--output", out, "--quiet")
	})
}

// BenchmarkAppProcess is BenchmarkSynthProcess without the CDK CLI: the
// program alone, from its start (the jsii runtime's Node.js included) to
// its end.
func BenchmarkAppProcess(b *testing.B) {
	benchProcesses(b, func(program, out string) *exec.Cmd {
		cmd := exec.Command(program)
		cmd.Env = append(os.Environ(), "CDK_OUTDIR="+out)
		return cmd
	})
}

// benchProcesses builds the two programs of testdata/synthprocess and
// times the command made for each, alternating them, reporting each one's
// time per process and their ratio.
func benchProcesses(b *testing.B, command func(program, out string) *exec.Cmd) {
	dir := b.TempDir()
	programs := map[string]string{}
	for _, name := range []string{"library", "cdk"} {
		programs[name] = filepath.Join(dir, name)
		build := exec.Command("go", "build", "-o", programs[name], "./testdata/synthprocess/"+name)
		if out, err := build.CombinedOutput(); err != nil {
			b.Fatalf("go build %s: %v\n%s", name, err, out)
		}
	}
	run := func(name string) time.Duration {
		cmd := command(programs[name], filepath.Join(dir, "out-"+name))
		cmd.Env = append(cmd.Environ(), "REPOSITORIES=50", "CDK_DISABLE_CLI_TELEMETRY=true")
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", name, err, out)
		}
		return time.Since(start)
	}
	var library, raw time.Duration
	for range b.N {
		library += run("library")
		raw += run("cdk")
	}
	b.ReportMetric(float64(library.Milliseconds())/float64(b.N), "ecr-ms/process")
	b.ReportMetric(float64(raw.Milliseconds())/float64(b.N), "cdk-ms/process")
	b.ReportMetric(float64(library)/float64(raw), "ratio")
	b.ReportMetric(0, "ns/op")
}
