package live

import (
	"flag"
	"fmt"
	"io"
	"time"
)

// Bounds of --concurrency, which [Flags.Check] enforces.
const (
	// MinConcurrency is the smallest --concurrency: one repository at a time.
	MinConcurrency = 1
	// MaxConcurrency is the largest --concurrency. ECR's read quotas are in
	// the tens of requests per second per account and Region; more readers
	// than this only queue on the adaptive retryer's client-side rate.
	MaxConcurrency = 64
)

// Flags are the command-line flags that say how the commands reach the
// account: --profile, --region, --concurrency and --timeout. Every command
// that reads the account registers them with [Flags.Register], so they have
// one spelling, one set of defaults and one check ([Flags.Check]). The
// endpoint is not a flag: the SDK takes it from AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_ECR (…_ECS, …_LAMBDA).
type Flags struct {
	// Profile is --profile: a profile of the shared config and credentials
	// files. Default "": the SDK's (AWS_PROFILE, else "default").
	Profile string
	// Region is --region. Default "": the SDK's default chain (AWS_REGION,
	// else the profile's).
	Region string
	// Concurrency is --concurrency: how many repositories are read at a
	// time, MinConcurrency to MaxConcurrency. Default DefaultConcurrency.
	Concurrency int
	// Timeout is --timeout: the bound of one attempt of one request; must be
	// positive. Default DefaultTimeout.
	Timeout time.Duration
}

// flagNames are the names Register defines, in the order usage lists them.
func flagNames() []string { return []string{"profile", "region", "concurrency", "timeout"} }

// Register defines --profile, --region, --concurrency and --timeout on fs,
// with their defaults, writing into f when fs parses.
func (f *Flags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Profile, "profile", "", "a profile of the shared config and credentials files")
	fs.StringVar(&f.Region, "region", "", "the Region (default: AWS_REGION, else the profile's)")
	fs.IntVar(&f.Concurrency, "concurrency", DefaultConcurrency, fmt.Sprintf("repositories read at a time (%d to %d)", MinConcurrency, MaxConcurrency))
	fs.DurationVar(&f.Timeout, "timeout", DefaultTimeout, "the bound of one attempt of one request")
}

// Given returns the names, without dashes, of the flags Register defines
// that the command line fs parsed gives, in the order of --profile,
// --region, --concurrency, --timeout; nil when none is given.
func (f *Flags) Given(fs *flag.FlagSet) []string {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	var names []string
	for _, n := range flagNames() {
		if given[n] {
			names = append(names, n)
		}
	}
	return names
}

// Check returns the one problem of the flags' values, as one line naming
// the flag and its value ("--concurrency 0: must be 1 to 64"), or "" when
// they are usable. The Region's name is checked by [Load], which knows
// whether it came from --region or from the SDK's chain.
func (f *Flags) Check() string {
	switch {
	case f.Concurrency < MinConcurrency || f.Concurrency > MaxConcurrency:
		return fmt.Sprintf("--concurrency %d: must be %d to %d", f.Concurrency, MinConcurrency, MaxConcurrency)
	case f.Timeout <= 0:
		return fmt.Sprintf("--timeout %s: must be positive, such as %s", f.Timeout, DefaultTimeout)
	}
	return ""
}

// Options returns the options of [Load] the flags give, with progress as
// Options.Progress (the commands pass their standard error).
func (f *Flags) Options(progress io.Writer) Options {
	return Options{Profile: f.Profile, Region: f.Region, Concurrency: f.Concurrency, Timeout: f.Timeout, Progress: progress}
}
