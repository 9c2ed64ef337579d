package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/lifecyclecli"
)

// TestLiveFlagsOneCheck runs every subcommand of ecr-cdk and ecr-lifecycle
// that reads the account with each out-of-range --concurrency and
// --timeout: each is wrong usage (exit 2), one line of the same shape,
// before any request.
func TestLiveFlagsOneCheck(t *testing.T) {
	// Were a value let through, the command would fail to connect here
	// (exit 1), never reach AWS.
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	out := filepath.Join(t.TempDir(), "out")
	type runner func(args []string, stdout, stderr *bytes.Buffer) int
	ecrCDK := func(args []string, stdout, stderr *bytes.Buffer) int { return run(args, stdout, stderr) }
	ecrLifecycle := func(args []string, stdout, stderr *bytes.Buffer) int {
		return lifecyclecli.Run(args, strings.NewReader(""), stdout, stderr)
	}
	subcommands := []struct {
		command string
		run     runner
		args    []string // the subcommand and what it needs to reach the flags' check
	}{
		{"ecr-cdk", ecrCDK, []string{"audit"}},
		{"ecr-cdk", ecrCDK, []string{"diff", "old.json", "new.json", "--live-images"}},
		{"ecr-cdk", ecrCDK, []string{"adopt", "--live", "--package", "adopted", "--out", out}},
		{"ecr-lifecycle", ecrLifecycle, []string{"preview", "--policy", "policy.json", "--repository-name", "web"}},
		{"ecr-lifecycle", ecrLifecycle, []string{"diff", "--policy", "policy.json", "--repository-name", "web"}},
	}
	values := []struct {
		flags   []string
		problem string
	}{
		{[]string{"--concurrency", "0"}, "--concurrency 0: must be 1 to 64"},
		{[]string{"--concurrency", "5000"}, "--concurrency 5000: must be 1 to 64"},
		{[]string{"--concurrency", "-3"}, "--concurrency -3: must be 1 to 64"},
		{[]string{"--timeout", "-1s"}, "--timeout -1s: must be positive, such as 30s"},
		{[]string{"--timeout", "0"}, "--timeout 0s: must be positive, such as 30s"},
		{[]string{"--concurrency", "64", "--timeout", "-5s"}, "--timeout -5s: must be positive, such as 30s"},
	}
	for _, sc := range subcommands {
		for _, v := range values {
			args := append(append([]string{}, sc.args...), v.flags...)
			t.Run(sc.command+" "+sc.args[0]+" "+strings.Join(v.flags, " "), func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				code := sc.run(args, &stdout, &stderr)
				sub := sc.command + " " + sc.args[0]
				want := sub + ": " + v.problem + " (see " + sub + " --help)\n"
				if code != cli.ExitUsage || stderr.String() != want || stdout.Len() != 0 {
					t.Errorf("exit %d, stdout %q, stderr %q\nwant exit 2 and %q", code, stdout.String(), stderr.String(), want)
				}
			})
		}
	}
}

// TestLiveFlagsWithoutLiveMode: the live flags without the mode that reads
// the account are wrong usage, one line.
func TestLiveFlagsWithoutLiveMode(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"diff", "old.json", "new.json", "--concurrency", "4"}, "ecr-cdk diff: --profile, --region, --concurrency and --timeout go with --live-images (see ecr-cdk diff --help)\n"},
		{[]string{"diff", "old.json", "new.json", "--region", "eu-west-1"}, "ecr-cdk diff: --profile, --region, --concurrency and --timeout go with --live-images (see ecr-cdk diff --help)\n"},
		{[]string{"adopt", "--repositories", "r.json", "--package", "p", "--out", "o", "--timeout", "5s"}, "ecr-cdk adopt: --profile, --concurrency and --timeout go with --live (see ecr-cdk adopt --help)\n"},
	} {
		code, stdout, stderr := runCmd(t, tc.args...)
		if code != cli.ExitUsage || stderr != tc.want || stdout != "" {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}
