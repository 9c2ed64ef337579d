package live_test

import (
	"flag"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
)

func parseFlags(t *testing.T, args ...string) (*live.Flags, *flag.FlagSet) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f live.Flags
	f.Register(fs)
	fs.String("other", "", "")
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return &f, fs
}

func TestFlagsDefaults(t *testing.T) {
	f, fs := parseFlags(t)
	if *f != (live.Flags{Concurrency: live.DefaultConcurrency, Timeout: live.DefaultTimeout}) {
		t.Errorf("defaults %+v", *f)
	}
	if f.Check() != "" || f.Given(fs) != nil {
		t.Errorf("Check %q, Given %q", f.Check(), f.Given(fs))
	}
	o := f.Options(nil)
	if o.Concurrency != 8 || o.Timeout != 30*time.Second || o.Profile != "" || o.Region != "" {
		t.Errorf("options %+v", o)
	}
}

func TestFlagsGiven(t *testing.T) {
	f, fs := parseFlags(t, "--timeout", "5s", "--other", "x", "--profile", "dev", "--region", "eu-west-1", "--concurrency", "64")
	if got, want := f.Given(fs), []string{"profile", "region", "concurrency", "timeout"}; !slices.Equal(got, want) {
		t.Errorf("Given %q, want %q", got, want)
	}
	want := live.Options{Profile: "dev", Region: "eu-west-1", Concurrency: 64, Timeout: 5 * time.Second, Progress: io.Discard}
	if got := f.Options(io.Discard); got != want {
		t.Errorf("Options %+v, want %+v", got, want)
	}
	if f.Check() != "" {
		t.Errorf("Check %q", f.Check())
	}
	// A flag given at its default value is given.
	_, fs = parseFlags(t, "--concurrency", "8")
	if got := (&live.Flags{}).Given(fs); !slices.Equal(got, []string{"concurrency"}) {
		t.Errorf("Given %q", got)
	}
}

func TestFlagsCheck(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--concurrency", "1"}, ""},
		{[]string{"--concurrency", "64", "--timeout", "1ns"}, ""},
		{[]string{"--concurrency", "0"}, "--concurrency 0: must be 1 to 64"},
		{[]string{"--concurrency", "-3"}, "--concurrency -3: must be 1 to 64"},
		{[]string{"--concurrency", "65"}, "--concurrency 65: must be 1 to 64"},
		{[]string{"--concurrency", "5000"}, "--concurrency 5000: must be 1 to 64"},
		{[]string{"--timeout", "0"}, "--timeout 0s: must be positive, such as 30s"},
		{[]string{"--timeout", "-1s"}, "--timeout -1s: must be positive, such as 30s"},
		{[]string{"--concurrency", "0", "--timeout", "-1s"}, "--concurrency 0: must be 1 to 64"},
	} {
		f, _ := parseFlags(t, tc.args...)
		if got := f.Check(); got != tc.want {
			t.Errorf("%q: Check %q, want %q", tc.args, got, tc.want)
		}
	}
}
