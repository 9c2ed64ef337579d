// Package diffcmd is ecr-cdk diff: what deploying one set of templates
// over another would replace, orphan, delete or expire (package
// internal/library/changes compares them).
package diffcmd

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle/preview"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/changes"
)

// Usage is ecr-cdk diff's help text, printed by --help.
const Usage = `ecr-cdk diff tells what deploying NEW over OLD would lose.

Usage:
  ecr-cdk diff OLD NEW [--allow LOGICAL_ID=REASON]... [--images NAME=IMAGES.json]...
                       [--now TIME] [--format table|json]

OLD and NEW are each a CloudFormation template (JSON; the output of aws
cloudformation get-template too) or a cloud assembly directory (cdk.out),
whose stacks are matched by stack name. OLD is typically the deployed
template or the previous commit's cdk.out, NEW the one to deploy.

It prints one line per finding: stack/logical id (type), severity, kind and
what is lost and why. Errors: a stateful resource (ECR repository, KMS key,
S3 bucket, DynamoDB table, log group, database, file system, ...) replaced
(a create-only property changes, is added or removed), moved to another
logical id under the same name, removed (orphaned or deleted), its
DeletionPolicy or UpdateReplacePolicy weakened from Retain, a repository's
EmptyOnDelete switched on, an ECR registry setting (scanning, replication,
signing, registry policy) moved between stacks of one account and Region,
and a lifecycle policy that expires or archives images the old one keeps.
The same for other types are notes.

  --allow LOGICAL_ID=REASON  acknowledge the findings of a resource (or
                             STACK/LOGICAL_ID); they are still printed,
                             marked allowed with the reason. Repeatable.
  --images NAME=IMAGES.json  the output of aws ecr describe-images for the
                             repository NAME (its RepositoryName or logical
                             id): a changed lifecycle policy is previewed,
                             old and new, over these images. Repeatable.
  --live-images              read the images of every repository whose
                             lifecycle policy changes (by its RepositoryName
                             in NEW) from the account, as --images does from
                             files: the AWS SDK's default chain, with
                             --profile, --region, --concurrency, --timeout
                             (see docs/live.md). A repository not in the
                             account is a note; the others are still read.
  --now TIME                 the time of the previews, RFC 3339 or a date
                             (default: now).
  --format table|json        one line per finding (default), or JSON.

Exit status: 0 nothing would be lost (or all of it is acknowledged),
1 something would be lost or an input is unreadable, 2 wrong usage.
`

// Run is ecr-cdk diff: args are its arguments, after "diff"; it returns
// the exit status (package cli's).
func Run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	allow := changes.Allow{}
	imagePaths := map[string]string{}
	var order []string
	fs.Func("allow", "", func(v string) error {
		id, reason, ok := strings.Cut(v, "=")
		switch {
		case !ok || id == "":
			return errors.New("want LOGICAL_ID=REASON")
		case strings.TrimSpace(reason) == "":
			return fmt.Errorf("%s: a reason is required", id)
		}
		if _, dup := allow[id]; dup {
			return fmt.Errorf("%s is given twice", id)
		}
		allow[id] = reason
		return nil
	})
	fs.Func("images", "", func(v string) error {
		name, path, ok := strings.Cut(v, "=")
		if !ok || name == "" || path == "" {
			return errors.New("want NAME=IMAGES.json")
		}
		if _, dup := imagePaths[name]; dup {
			return fmt.Errorf("%s is given twice", name)
		}
		imagePaths[name] = path
		order = append(order, name)
		return nil
	})
	nowText := fs.String("now", "", "")
	liveImages := fs.Bool("live-images", false, "")
	var lf live.Flags
	lf.Register(fs)
	format := cli.AddFormat(fs)

	// Flags may come before, between or after OLD and NEW.
	var positional []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, Usage)
				return cli.ExitOK
			}
			return cli.UsageError(stderr, "ecr-cdk", "diff", err.Error())
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	switch {
	case len(positional) < 2:
		return cli.UsageError(stderr, "ecr-cdk", "diff", "OLD and NEW are required")
	case len(positional) > 2:
		return cli.UsageError(stderr, "ecr-cdk", "diff", fmt.Sprintf("unexpected argument %q", positional[2]))
	case cli.CheckFormat(*format) != "":
		return cli.UsageError(stderr, "ecr-cdk", "diff", cli.CheckFormat(*format))
	case !*liveImages && len(lf.Given(fs)) > 0:
		return cli.UsageError(stderr, "ecr-cdk", "diff", "--profile, --region, --concurrency and --timeout go with --live-images")
	case lf.Check() != "":
		return cli.UsageError(stderr, "ecr-cdk", "diff", lf.Check())
	}
	opts := &changes.Options{Allow: allow, Now: time.Now()}
	if *nowText != "" {
		t, err := preview.ParseTime(*nowText)
		if err != nil {
			return cli.UsageError(stderr, "ecr-cdk", "diff", "--now "+err.Error())
		}
		opts.Now = t
	}

	old, err := changes.Read(positional[0])
	if err != nil {
		fmt.Fprintf(stderr, "ecr-cdk diff: %v\n", err)
		return cli.ExitRefused
	}
	new, err := changes.Read(positional[1])
	if err != nil {
		fmt.Fprintf(stderr, "ecr-cdk diff: %v\n", err)
		return cli.ExitRefused
	}
	if len(order) > 0 {
		opts.Images = map[string][]preview.Image{}
	}
	for _, name := range order {
		images, code := readImages(imagePaths[name], stderr)
		if code != cli.ExitOK {
			return code
		}
		opts.Images[name] = images
	}

	if *liveImages {
		if code := readLiveImages(old, new, opts, lf.Options(stderr), stderr); code != cli.ExitOK {
			return code
		}
	}
	report := changes.Compare(old, new, opts)
	w := bufio.NewWriter(stdout)
	if *format == cli.FormatJSON {
		writeJSON(w, report)
	} else {
		writeTable(w, report)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "ecr-cdk diff: %v\n", err)
		return cli.ExitRefused
	}
	for _, id := range report.UnusedAllow {
		fmt.Fprintf(stderr, "ecr-cdk diff: --allow %s: no finding has this logical id\n", id)
	}
	for _, name := range report.UnusedImages {
		fmt.Fprintf(stderr, "ecr-cdk diff: --images %s: no repository of NEW has this name or logical id\n", name)
	}
	if n := len(report.Blocking()); n > 0 {
		fmt.Fprintf(stderr, "ecr-cdk diff: %s would lose something; once you accept a loss, acknowledge it with --allow LOGICAL_ID=REASON\n", plural(n, "finding", "findings"))
		return cli.ExitRefused
	}
	return cli.ExitOK
}

// readImages reads describe-images output, one line per problem.
func readImages(path string, stderr io.Writer) ([]preview.Image, int) {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(stderr, "ecr-cdk diff: %v\n", err)
		return nil, cli.ExitRefused
	}
	defer f.Close()
	images, err := preview.ReadImages(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		problems := validation.List(err)
		if problems == nil {
			fmt.Fprintf(stderr, "%s: %v\n", path, err)
		}
		for _, e := range problems {
			bare := *e
			bare.Package = ""
			bare.Line, bare.Column = 0, 0
			if e.Line > 0 {
				fmt.Fprintf(stderr, "%s:%d:%d: %s\n", path, e.Line, e.Column, bare.Error())
			} else {
				fmt.Fprintf(stderr, "%s: %s\n", path, bare.Error())
			}
		}
		return nil, cli.ExitRefused
	}
	return images, cli.ExitOK
}

// summary counts a report's findings.
type summary struct {
	Findings int `json:"findings"`
	Blocking int `json:"blocking"`
	Allowed  int `json:"allowed"`
	Notes    int `json:"notes"`
}

func summarize(r *changes.Report) summary {
	s := summary{Findings: len(r.Findings)}
	for _, f := range r.Findings {
		switch {
		case f.Blocks():
			s.Blocking++
		case f.Allowed:
			s.Allowed++
		default:
			s.Notes++
		}
	}
	return s
}

func writeTable(w io.Writer, r *changes.Report) {
	if len(r.Findings) == 0 {
		fmt.Fprintln(w, "No finding: nothing would be replaced, moved, orphaned, deleted or expired.")
		return
	}
	for _, f := range r.Findings {
		fmt.Fprintln(w, f.String())
	}
	s := summarize(r)
	fmt.Fprintf(w, "\n%s: %d would lose something, %d allowed, %s.\n", plural(s.Findings, "finding", "findings"), s.Blocking, s.Allowed, plural(s.Notes, "note", "notes"))
}

func writeJSON(w io.Writer, r *changes.Report) {
	findings := r.Findings
	if findings == nil {
		findings = []changes.Finding{}
	}
	out := struct {
		Findings []changes.Finding `json:"findings"`
		Summary  summary           `json:"summary"`
		Schemas  string            `json:"schemas"`
	}{findings, summarize(r), changes.SchemaSource}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// readLiveImages reads, from the account, the images of every repository
// whose lifecycle policy the change touches (a lifecycle-impact finding of
// a first comparison), by its RepositoryName in NEW, into opts.Images. A
// repository without a fixed name can't be found by name: one line says so,
// and its impact stays a note.
func readLiveImages(old, new []changes.Stack, opts *changes.Options, lo live.Options, stderr io.Writer) int {
	names := map[string]bool{}
	var order []string
	for _, f := range changes.Compare(old, new, &changes.Options{Now: opts.Now}).Findings {
		if f.Kind != changes.LifecycleImpact {
			continue
		}
		stack, id := f.Stack, f.LogicalID
		if f.NewLogicalID != "" {
			stack, id = f.NewStack, f.NewLogicalID
		}
		name := repositoryName(new, stack, id)
		if name == "" {
			fmt.Fprintf(stderr, "ecr-cdk diff: --live-images: %s/%s has no RepositoryName in NEW, so its images can't be read by name; give --images\n", stack, id)
			continue
		}
		if !names[name] {
			names[name] = true
			order = append(order, name)
		}
	}
	if len(order) == 0 {
		return cli.ExitOK
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, err := live.Load(ctx, lo)
	if err != nil {
		fmt.Fprintf(stderr, "ecr-cdk diff: %s\n", live.Message(err))
		return cli.ExitRefused
	}
	if opts.Images == nil {
		opts.Images = map[string][]preview.Image{}
	}
	for _, name := range order {
		if _, given := opts.Images[name]; given {
			continue // --images wins
		}
		inv, err := c.Images(ctx, name, nil)
		if live.IsNotFound(err) {
			// Reported as a note of its lifecycle impact; the other
			// repositories are still read and compared.
			if opts.ImagesUnread == nil {
				opts.ImagesUnread = map[string]string{}
			}
			opts.ImagesUnread[name] = fmt.Sprintf("the repository %s is not in the registry in %s (--live-images)", name, c.Region)
			continue
		}
		if err != nil {
			fmt.Fprintf(stderr, "ecr-cdk diff: --live-images: %s: %s\n", name, live.Message(err))
			return cli.ExitRefused
		}
		images, _, err := inv.Preview()
		if err != nil {
			fmt.Fprintf(stderr, "ecr-cdk diff: --live-images: %s: %s\n", name, live.Message(err))
			return cli.ExitRefused
		}
		opts.Images[name] = images
	}
	return cli.ExitOK
}

// repositoryName returns the literal RepositoryName of a stack's resource,
// or "".
func repositoryName(stacks []changes.Stack, stack, logicalID string) string {
	for _, s := range stacks {
		if s.Name != stack {
			continue
		}
		resources, _ := s.Template["Resources"].(map[string]any)
		r, _ := resources[logicalID].(map[string]any)
		props, _ := r["Properties"].(map[string]any)
		name, _ := props["RepositoryName"].(string)
		return name
	}
	return ""
}
