package cli

import (
	"strings"
	"testing"
)

func TestUsageErrorIsOneLineWithTheHint(t *testing.T) {
	var b strings.Builder
	if code := UsageError(&b, "ecr-cdk", "audit", "--concurrency 0: must be 1 to 64"); code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	if want := "ecr-cdk audit: --concurrency 0: must be 1 to 64 (see ecr-cdk audit --help)\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	b.Reset()
	UsageError(&b, "ecr-lifecycle", "", `unknown command "x"`)
	if want := "ecr-lifecycle: unknown command \"x\" (see ecr-lifecycle --help)\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestCheckFormat(t *testing.T) {
	for format, want := range map[string]string{"table": "", "json": "", "yaml": `--format "yaml": must be table or json`, "": `--format "": must be table or json`} {
		if got := CheckFormat(format); got != want {
			t.Errorf("CheckFormat(%q) = %q, want %q", format, got, want)
		}
	}
}
