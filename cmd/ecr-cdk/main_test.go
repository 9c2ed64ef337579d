package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
)

// runCmd runs the command and returns its exit status and output.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, errOut := runCmd(t, args...)
		if code != cli.ExitOK || errOut != "" || !strings.HasPrefix(out, "ecr-cdk ") || strings.Count(out, "\n") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// TestUsage: no command and an unknown one are wrong usage, one line;
// --help lists the subcommands, and each subcommand's --help is its own.
func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "ecr-cdk: no command given (see ecr-cdk --help)\n"},
		{[]string{"adapt"}, "ecr-cdk: unknown command \"adapt\" (see ecr-cdk --help)\n"},
	} {
		code, stdout, stderr := runCmd(t, tc.args...)
		if code != cli.ExitUsage || stdout != "" || stderr != tc.want {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, stdout, stderr, tc.want)
		}
	}
	code, stdout, _ := runCmd(t, "--help")
	for name := range commands() {
		if code != cli.ExitOK || !strings.Contains(stdout, "\n  "+name+" ") {
			t.Errorf("--help: exit %d, %q lacks %s", code, stdout, name)
		}
		code, sub, stderr := runCmd(t, name, "--help")
		if code != cli.ExitOK || stderr != "" || !strings.HasPrefix(sub, "ecr-cdk "+name+" ") {
			t.Errorf("%s --help: exit %d, stdout %q, stderr %q", name, code, sub, stderr)
		}
	}
}
