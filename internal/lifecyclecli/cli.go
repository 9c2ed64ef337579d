// Package lifecyclecli is the ecr-lifecycle command: validate a lifecycle
// policy, and preview what it would do to a repository's images.
package lifecyclecli

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle/preview"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// Exit statuses.
const (
	ExitOK      = 0 // success
	ExitInvalid = 1 // the policy or the inventory is invalid or unreadable
	ExitUsage   = 2 // wrong usage
)

// Usage is the command's help text.
const Usage = `ecr-lifecycle validates Amazon ECR lifecycle policies and previews, offline,
what a policy would do to a repository's images.

Usage:
  ecr-lifecycle preview --policy POLICY.json --images IMAGES.json [--now TIME] [--format table|json]
  ecr-lifecycle validate --policy POLICY.json

POLICY.json is a lifecycle policy, {"rules": [...]}, or the output of
aws ecr get-lifecycle-policy. IMAGES.json is the output of aws ecr describe-images.
Either may be - for standard input. TIME is RFC 3339, such as 2026-06-01T00:00:00Z
(default: now).

preview prints one row per image that would be expired or archived, then a
summary; --format json prints {"actions": [...]} instead. validate prints every
problem, one per line.

Exit status: 0 success, 1 invalid policy or inventory, 2 wrong usage.
`

// Run runs the command with its arguments (without the program name) and
// returns the exit status. Results go to stdout, problems to stderr; when the
// status is not 0, nothing is written to stdout.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return usageError(stderr, "", "no command given")
	}
	switch args[0] {
	case "preview":
		return runPreview(args[1:], stdin, stdout, stderr)
	case "validate":
		return runValidate(args[1:], stdin, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, Usage)
		return ExitOK
	default:
		return usageError(stderr, "", fmt.Sprintf("unknown command %q", args[0]))
	}
}

// usageError reports wrong usage.
func usageError(stderr io.Writer, command, msg string) int {
	prefix := "ecr-lifecycle"
	if command != "" {
		prefix += " " + command
	}
	fmt.Fprintf(stderr, "%s: %s\n\n%s", prefix, msg, Usage)
	return ExitUsage
}

// invalid reports problems with the input, one per line.
func invalid(stderr io.Writer, source string, err error) int {
	problems := validation.List(err)
	if problems == nil {
		fmt.Fprintf(stderr, "%s: %s\n", source, err)
		return ExitInvalid
	}
	for _, e := range problems {
		bare := *e // the file names the input; the package adds nothing
		bare.Package = ""
		fmt.Fprintf(stderr, "%s: %s\n", source, bare.Error())
	}
	return ExitInvalid
}

// parseFlags parses a subcommand's flags; help asked for prints the usage.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (int, bool) {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, Usage)
			return ExitOK, false
		}
		return usageError(stderr, fs.Name(), err.Error()), false
	}
	if fs.NArg() > 0 {
		return usageError(stderr, fs.Name(), fmt.Sprintf("unexpected argument %q", fs.Arg(0))), false
	}
	return 0, true
}

func runValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	policyPath := fs.String("policy", "", "")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if *policyPath == "" {
		return usageError(stderr, "validate", "--policy is required")
	}
	policy, code := readPolicy(*policyPath, stdin, stderr)
	if policy == nil {
		return code
	}
	fmt.Fprintf(stdout, "%s: valid, %d rules\n", source(*policyPath), len(policy.Rules()))
	return ExitOK
}

func runPreview(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("preview", flag.ContinueOnError)
	policyPath := fs.String("policy", "", "")
	imagesPath := fs.String("images", "", "")
	nowText := fs.String("now", "", "")
	format := fs.String("format", "table", "")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	switch {
	case *policyPath == "":
		return usageError(stderr, "preview", "--policy is required")
	case *imagesPath == "":
		return usageError(stderr, "preview", "--images is required")
	case *policyPath == "-" && *imagesPath == "-":
		return usageError(stderr, "preview", "only one of --policy and --images can be - (standard input)")
	case *format != "table" && *format != "json":
		return usageError(stderr, "preview", fmt.Sprintf("--format %q: must be table or json", *format))
	}
	now := time.Now()
	if *nowText != "" {
		t, err := preview.ParseTime(*nowText)
		if err != nil {
			return usageError(stderr, "preview", "--now "+err.Error())
		}
		now = t
	}

	policy, code := readPolicy(*policyPath, stdin, stderr)
	if policy == nil {
		return code
	}
	images, code := readImages(*imagesPath, stdin, stderr)
	if images == nil && code != ExitOK {
		return code
	}
	result := preview.Evaluate(policy, images, now, nil)

	w := bufio.NewWriterSize(stdout, 1<<16)
	if *format == "json" {
		writeJSON(w, result)
		for _, note := range result.Notes() {
			fmt.Fprintln(stderr, "Note: "+note)
		}
	} else {
		writeTable(w, result, now)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "ecr-lifecycle: %v\n", err)
		return ExitInvalid
	}
	return ExitOK
}

// source names an input in messages.
func source(path string) string {
	if path == "-" {
		return "<stdin>"
	}
	return path
}

// open returns the named file, or stdin for "-".
func open(path string, stdin io.Reader) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(stdin), nil
	}
	return os.Open(path)
}

// readPolicy reads and parses a policy, reporting problems on stderr.
func readPolicy(path string, stdin io.Reader, stderr io.Writer) (*lifecycle.Policy, int) {
	f, err := open(path, stdin)
	if err != nil {
		return nil, invalid(stderr, source(path), err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, invalid(stderr, source(path), err)
	}
	policy, err := lifecycle.Parse(unwrapPolicyText(data))
	if err != nil {
		return nil, invalid(stderr, source(path), err)
	}
	return policy, ExitOK
}

// unwrapPolicyText returns the policy inside `aws ecr get-lifecycle-policy`
// output ({"lifecyclePolicyText": "...", ...}), or data as it is.
func unwrapPolicyText(data []byte) []byte {
	var wrapped struct {
		LifecyclePolicyText *string `json:"lifecyclePolicyText"`
	}
	if json.Unmarshal(data, &wrapped) == nil && wrapped.LifecyclePolicyText != nil {
		return []byte(*wrapped.LifecyclePolicyText)
	}
	return data
}

// readImages reads an inventory, reporting problems on stderr.
func readImages(path string, stdin io.Reader, stderr io.Writer) ([]preview.Image, int) {
	f, err := open(path, stdin)
	if err != nil {
		return nil, invalid(stderr, source(path), err)
	}
	defer f.Close()
	images, err := preview.ReadImages(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, invalid(stderr, source(path), err)
	}
	return images, ExitOK
}
