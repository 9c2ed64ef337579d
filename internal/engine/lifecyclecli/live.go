package lifecyclecli

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
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle/preview"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
)

// liveFlags are the flags of the live modes: which repositories, and how
// to reach the account.
type liveFlags struct {
	name, prefix *string
	all          *bool
	conn         *live.Flags // --profile, --region, --concurrency, --timeout
	inUse        *string
	prices       *string
}

func addLiveFlags(fs *flag.FlagSet) liveFlags {
	l := liveFlags{
		name:   fs.String("repository-name", "", ""),
		prefix: fs.String("repository-prefix", "", ""),
		all:    fs.Bool("all-repositories", false, ""),
		conn:   &live.Flags{},
		inUse:  fs.String("in-use", "", ""),
		prices: fs.String("prices", "", ""),
	}
	l.conn.Register(fs)
	return l
}

// liveFlagsSet returns the first flag of the live modes given on the
// command line (not a selection), in the order of their names, or "".
func (l liveFlags) liveFlagsSet(fs *flag.FlagSet) string {
	given := l.conn.Given(fs)
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "in-use" || f.Name == "prices" {
			given = append(given, f.Name)
		}
	})
	if len(given) == 0 {
		return ""
	}
	return slices.Min(given)
}

// selected reports whether a live selection was given.
func (l liveFlags) selected() bool { return *l.name != "" || *l.prefix != "" || *l.all }

// many reports whether the selection is more than one named repository.
func (l liveFlags) many() bool { return *l.name == "" }

// check reports wrong usage of the live flags.
func (l liveFlags) check() string {
	n := 0
	for _, set := range []bool{*l.name != "", *l.prefix != "", *l.all} {
		if set {
			n++
		}
	}
	switch {
	case n > 1:
		return "give one of --repository-name, --repository-prefix and --all-repositories"
	case l.conn.Check() != "":
		return l.conn.Check()
	}
	if _, _, err := l.users(); err != nil {
		return err.Error()
	}
	if _, err := parsePrices(*l.prices); err != nil {
		return err.Error()
	}
	return ""
}

// users returns the readers of images in use --in-use names.
func (l liveFlags) users() (ecs, lambda bool, err error) {
	if *l.inUse == "" {
		return false, false, nil
	}
	for _, u := range strings.Split(*l.inUse, ",") {
		switch u {
		case "ecs":
			ecs = true
		case "lambda":
			lambda = true
		default:
			return false, false, fmt.Errorf("--in-use %q: must be ecs, lambda or ecs,lambda", *l.inUse)
		}
	}
	return ecs, lambda, nil
}

// connect makes the clients; ctx is cancelled on Ctrl-C or SIGTERM.
func (l liveFlags) connect(stderr io.Writer, command string) (context.Context, context.CancelFunc, *live.Clients, int) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	c, err := live.Load(ctx, l.conn.Options(stderr))
	if err != nil {
		stop()
		fmt.Fprintf(stderr, "ecr-lifecycle %s: %s\n", command, live.Message(err))
		return nil, nil, nil, ExitInvalid
	}
	return ctx, stop, c, ExitOK
}

// repositories reads the selection, reporting a missing name or a prefix
// matching nothing on one line.
func (l liveFlags) repositories(ctx context.Context, c *live.Clients, stderr io.Writer, command string) ([]ecrtypes.Repository, int) {
	repos, err := c.Repositories(ctx, live.Selection{Name: *l.name, Prefix: *l.prefix, All: *l.all})
	switch {
	case live.IsNotFound(err):
		fmt.Fprintf(stderr, "ecr-lifecycle %s: --repository-name %q: no such repository in %s\n", command, *l.name, c.Region)
	case errors.Is(err, live.ErrNoMatch):
		fmt.Fprintf(stderr, "ecr-lifecycle %s: %s in %s\n", command, err, c.Region)
	case err != nil:
		fmt.Fprintf(stderr, "ecr-lifecycle %s: %s\n", command, live.Message(err))
	default:
		return repos, ExitOK
	}
	return nil, ExitInvalid
}

// repoPreview is what was read and evaluated for one repository.
type repoPreview struct {
	name     string
	registry string
	policy   string // "live", "given" or "none"
	result   *preview.Result
	images   []preview.Image
	opts     *preview.Options
	problem  string // one line when the repository couldn't be read
	problems error  // the problems of its policy or inventory, for one repository
}

// readRepository reads a repository's images and, unless given, its
// lifecycle policy, and evaluates the policy.
func readRepository(ctx context.Context, c *live.Clients, repo ecrtypes.Repository, given *lifecycle.Policy, now time.Time, progress *live.Progress) repoPreview {
	name := aws.ToString(repo.RepositoryName)
	rp := repoPreview{name: name, registry: aws.ToString(repo.RegistryId), policy: "given"}
	policy := given
	if policy == nil {
		p, err := c.LifecyclePolicy(ctx, name)
		if err != nil {
			rp.problem = live.Message(err)
			return rp
		}
		rp.policy = "none"
		if p.Found {
			rp.policy = "live"
			parsed, err := lifecycle.Parse([]byte(p.Text))
			if err != nil {
				rp.problems = inPolicyText(err)
				rp.problem = "its lifecycle policy: " + joinProblems(rp.problems)
				return rp
			}
			policy = parsed
		}
	}
	inv, err := c.Images(ctx, name, progress)
	if err != nil {
		rp.problem = live.Message(err)
		return rp
	}
	images, manifests, err := inv.Preview()
	if err != nil {
		rp.problems = err
		rp.problem = "the server's answer: " + joinProblems(err)
		return rp
	}
	rp.images = images
	// The manifests of every manifest list were read, as --manifests gives
	// them offline.
	rp.opts = &preview.Options{Manifests: manifests}
	if policy != nil {
		res := preview.Evaluate(policy, images, now, rp.opts)
		rp.result = &res
	} else {
		rp.result = &preview.Result{Images: len(images), Kept: len(images)}
	}
	return rp
}

// joinProblems puts problems on one line.
func joinProblems(err error) string {
	list := validation.List(err)
	if list == nil {
		return err.Error()
	}
	parts := make([]string, len(list))
	for i, e := range list {
		c := *e
		c.Package = ""
		parts[i] = c.Error()
	}
	return strings.Join(parts, "; ")
}

// readAllRepositories reads repositories, c.Concurrency at a time, in the
// order given.
func readAllRepositories(ctx context.Context, c *live.Clients, repos []ecrtypes.Repository, given *lifecycle.Policy, now time.Time) []repoPreview {
	out := make([]repoPreview, len(repos))
	progress := c.NewProgress("repositories", len(repos))
	live.ForEach(ctx, len(repos), c.Concurrency, func(ctx context.Context, i int) {
		out[i] = readRepository(ctx, c, repos[i], given, now, progress)
		progress.Step(0)
	})
	progress.Done()
	for i := range out {
		if out[i].name == "" { // not started: interrupted
			out[i] = repoPreview{name: aws.ToString(repos[i].RepositoryName), problem: "interrupted"}
		}
	}
	return out
}

// givenPolicy reads --policy or --template when given; nil when neither is.
// A policy of a known repository (the template's RepositoryName, the
// repositoryName of get-lifecycle-policy output) other than the one
// --repository-name selects is refused.
func givenPolicy(src policySource, l liveFlags, command string, stdin io.Reader, stderr io.Writer) (*lifecycle.Policy, int) {
	var policy *lifecycle.Policy
	var name, whose string
	var code int
	switch {
	case *src.template != "":
		var chosen *stackPolicy
		policy, chosen, code = templatePolicy(command, *src.template, *src.repository, stdin, stderr)
		if chosen != nil {
			name, whose = chosen.RepositoryName, "the RepositoryName of "+chosen.LogicalID+" in "+source(*src.template)
		}
	case *src.policy != "":
		policy, name, code = readPolicyOf(*src.policy, stdin, stderr)
		whose = "the repositoryName of " + source(*src.policy)
	default:
		return nil, ExitOK
	}
	if policy != nil && name != "" && *l.name != "" && *l.name != name {
		fmt.Fprintf(stderr, "ecr-lifecycle %s: --repository-name %q: is not the policy's repository, %q (%s)\n", command, *l.name, name, whose)
		return nil, ExitInvalid
	}
	return policy, code
}

// open connects and reads what a live preview or diff starts from: the
// selected repositories and, with --in-use, the images in use. c is nil
// when it failed, with the exit status in code.
func (l liveFlags) open(stderr io.Writer, command string) (ctx context.Context, stop context.CancelFunc, c *live.Clients, repos []ecrtypes.Repository, refs []live.ImageRef, code int) {
	ctx, stop, c, code = l.connect(stderr, command)
	if c == nil {
		return nil, nil, nil, nil, nil, code
	}
	if repos, code = l.repositories(ctx, c, stderr, command); repos == nil {
		stop()
		return nil, nil, nil, nil, nil, code
	}
	if *l.inUse != "" {
		if refs, code = inUseImages(ctx, c, l, stderr, command); code != ExitOK {
			stop()
			return nil, nil, nil, nil, nil, code
		}
	}
	return ctx, stop, c, repos, refs, ExitOK
}

// inUseImages reads the images ECS services and Lambda functions use.
func inUseImages(ctx context.Context, c *live.Clients, l liveFlags, stderr io.Writer, command string) ([]live.ImageRef, int) {
	ecs, lambda, _ := l.users()
	var refs []live.ImageRef
	if ecs {
		r, err := c.ECSImages(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "ecr-lifecycle %s: --in-use ecs: %s\n", command, live.Message(err))
			return nil, ExitInvalid
		}
		refs = append(refs, r...)
	}
	if lambda {
		r, err := c.LambdaImages(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "ecr-lifecycle %s: --in-use lambda: %s\n", command, live.Message(err))
			return nil, ExitInvalid
		}
		refs = append(refs, r...)
	}
	return refs, ExitOK
}

// inUseProblems returns one line per in-use image a result expires or
// archives (archived images can't be pulled either), in this run or, for a
// deferred one, a later run.
func inUseProblems(rp *repoPreview, region string, refs []live.ImageRef) []string {
	if rp.result == nil || len(refs) == 0 {
		return nil
	}
	var here []live.ImageRef // the references to this registry
	for _, r := range refs {
		if (r.Region == "" || r.Region == region) && (r.Registry == "" || rp.registry == "" || r.Registry == rp.registry) {
			here = append(here, r)
		}
	}
	var lines []string
	check := func(o preview.Outcome, later string) {
		if users := usersOf(here, rp.name, o.Image); len(users) > 0 {
			lines = append(lines, inUseLine(rp.name, o, users, later))
		}
	}
	for _, o := range rp.result.Outcomes {
		check(o, "")
	}
	for _, o := range rp.result.Deferred {
		check(o, " in a later run, once its manifest list is gone")
	}
	return lines
}

// runLivePreview is preview without --images: from the registry.
func runLivePreview(src policySource, l liveFlags, now time.Time, format string, stdin io.Reader, stdout, stderr io.Writer) int {
	given, code := givenPolicy(src, l, "preview", stdin, stderr)
	if code != ExitOK {
		return code
	}
	ctx, stop, c, repos, refs, code := l.open(stderr, "preview")
	if c == nil {
		return code
	}
	defer stop()

	if !l.many() {
		var progress *live.Progress
		if len(repos) == 1 {
			progress = c.NewProgress("repositories", 1)
		}
		rp := readRepository(ctx, c, repos[0], given, now, progress)
		progress.Done()
		switch {
		case rp.problems != nil && rp.policy == "live" && rp.images == nil && strings.HasPrefix(rp.problem, "its lifecycle policy"):
			return invalid(stderr, rp.name+" lifecycle policy", rp.problems)
		case rp.problems != nil:
			return invalid(stderr, rp.name+" (describe-images, batch-get-image)", rp.problems)
		case rp.problem != "":
			fmt.Fprintf(stderr, "ecr-lifecycle preview: %s: %s\n", rp.name, rp.problem)
			return ExitInvalid
		case rp.policy == "none":
			fmt.Fprintf(stderr, "ecr-lifecycle preview: %s: has no lifecycle policy; give one with --policy or --template\n", rp.name)
			return ExitInvalid
		}
		if lines := inUseProblems(&rp, c.Region, refs); len(lines) > 0 {
			for _, line := range lines {
				fmt.Fprintln(stderr, line)
			}
			return ExitInvalid
		}
		return printPreview(rp.result, now, format, stdout, stderr)
	}

	prices, _ := parsePrices(*l.prices)
	results := readAllRepositories(ctx, c, repos, given, now)
	exit := ExitOK
	for i := range results {
		rp := &results[i]
		if rp.problem != "" {
			fmt.Fprintf(stderr, "ecr-lifecycle preview: %s: %s\n", rp.name, rp.problem)
			exit = ExitInvalid
		}
		if lines := inUseProblems(rp, c.Region, refs); len(lines) > 0 {
			for _, line := range lines {
				fmt.Fprintln(stderr, line)
			}
			exit = ExitInvalid
		}
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "ecr-lifecycle preview: interrupted")
		return ExitInvalid
	}
	if exit != ExitOK && len(refs) > 0 {
		return exit // an in-use image would go: no summary that counts it
	}
	w := bufio.NewWriterSize(stdout, 1<<16)
	if format == cli.FormatJSON {
		writeSummaryJSON(w, results, prices)
	} else {
		writeSummaryTable(w, results, prices)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "ecr-lifecycle: %v\n", err)
		return ExitInvalid
	}
	return exit
}

// printPreview prints one repository's result as the offline preview does.
func printPreview(result *preview.Result, now time.Time, format string, stdout, stderr io.Writer) int {
	w := bufio.NewWriterSize(stdout, 1<<16)
	if format == cli.FormatJSON {
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

// archivedBytes sums the sizes of the images a result archives.
func archivedBytes(res *preview.Result) int64 {
	var n int64
	for _, o := range res.Outcomes {
		if o.Action == lifecycle.ActionTransition {
			n += o.Image.SizeBytes
		}
	}
	return n
}

// totals of a registry-wide preview.
type totals struct {
	Repositories   int     `json:"repositories"`
	Unreadable     int     `json:"unreadable"`
	Images         int     `json:"images"`
	Expired        int     `json:"expired"`
	Archived       int     `json:"archived"`
	BytesFreed     int64   `json:"bytesFreed"`
	BytesExact     bool    `json:"bytesExact"`
	BytesArchived  int64   `json:"bytesArchived"`
	StandardFreed  float64 `json:"standardCostFreedPerMonth"`
	ArchiveCost    float64 `json:"archiveCostPerMonth"`
	StandardBefore float64 `json:"standardCostOfArchivedPerMonth"`
}

func sumTotals(results []repoPreview, p prices) totals {
	t := totals{Repositories: len(results), BytesExact: true}
	for _, rp := range results {
		if rp.result == nil {
			t.Unreadable++
			continue
		}
		r := rp.result
		t.Images += r.Images
		t.Expired += r.Expired
		t.Archived += r.Archived
		t.BytesFreed += r.BytesFreed
		t.BytesExact = t.BytesExact && (r.BytesExact || r.Expired == 0)
		t.BytesArchived += archivedBytes(r)
	}
	t.StandardFreed = p.standardCost(t.BytesFreed)
	t.ArchiveCost = p.archiveCost(t.BytesArchived)
	t.StandardBefore = p.standardCost(t.BytesArchived)
	return t
}

// writeSummaryTable prints a row per repository and the totals with their
// storage cost.
func writeSummaryTable(w *bufio.Writer, results []repoPreview, p prices) {
	nameWidth := len("REPOSITORY")
	for _, rp := range results {
		nameWidth = max(nameWidth, len(rp.name))
	}
	var buf []byte
	row := func(cols ...string) {
		buf = padRunes(buf[:0], cols[0], nameWidth)
		for i, c := range cols[1:] {
			widths := []int{6, 9, 9, 9, 11, 0}
			buf = padRunes(append(buf, "  "...), c, widths[i])
		}
		w.Write(append([]byte(strings.TrimRight(string(buf), " ")), '\n'))
	}
	row("REPOSITORY", "POLICY", "IMAGES", "EXPIRED", "ARCHIVED", "FREED", "ARCHIVED SIZE")
	for _, rp := range results {
		if rp.result == nil {
			row(rp.name, "-", "unreadable", "", "", "", "")
			continue
		}
		r := rp.result
		freed := byteSize(r.BytesFreed)
		if !r.BytesExact && r.Expired > 0 {
			freed = "≤" + freed
		}
		row(rp.name, rp.policy, count(r.Images), count(r.Expired), count(r.Archived), freed, byteSize(archivedBytes(r)))
	}
	t := sumTotals(results, p)
	fmt.Fprintf(w, "\n%s", counted(t.Repositories, "repository"))
	if t.Unreadable > 0 {
		fmt.Fprintf(w, " (%s unreadable)", count(t.Unreadable))
	}
	bound := ""
	if !t.BytesExact {
		bound = "at most "
	}
	fmt.Fprintf(w, ", %s: %s expired, %s archived.\n", counted(t.Images, "image"), count(t.Expired), count(t.Archived))
	fmt.Fprintf(w, "Expired: %s%s freed, $%.2f per month of standard storage.\n", bound, byteSize(t.BytesFreed), t.StandardFreed)
	fmt.Fprintf(w, "Archived: %s, $%.2f per month in archive storage instead of $%.2f in standard (billed for at least 90 days; $0.03 per GB to restore).\n",
		byteSize(t.BytesArchived), t.ArchiveCost, t.StandardBefore)
	source := "AWS's published prices as of " + p.Date + ", us-east-1"
	if p.Overridden {
		source = "--prices"
	}
	fmt.Fprintf(w, "Prices: standard %s, archive %s (first 150 TB) then %s per GB-month (GB = 2^30 bytes; %s).\n",
		usd(p.Standard), usd(p.Archive), usd(p.ArchiveOver150TB), source)
}

// writeSummaryJSON prints {"repositories": [...], "totals": {...}, "prices": {...}}.
func writeSummaryJSON(w *bufio.Writer, results []repoPreview, p prices) {
	type repo struct {
		Name          string `json:"repositoryName"`
		Policy        string `json:"policy,omitempty"`
		Images        int    `json:"images"`
		Expired       int    `json:"expired"`
		Archived      int    `json:"archived"`
		BytesFreed    int64  `json:"bytesFreed"`
		BytesExact    bool   `json:"bytesExact"`
		BytesArchived int64  `json:"bytesArchived"`
		Error         string `json:"error,omitempty"`
	}
	out := struct {
		Repositories []repo `json:"repositories"`
		Totals       totals `json:"totals"`
		Prices       prices `json:"prices"`
	}{Repositories: []repo{}, Totals: sumTotals(results, p), Prices: p}
	for _, rp := range results {
		r := repo{Name: rp.name, Policy: rp.policy, Error: rp.problem}
		if rp.result != nil {
			r.Images, r.Expired, r.Archived = rp.result.Images, rp.result.Expired, rp.result.Archived
			r.BytesFreed, r.BytesExact, r.BytesArchived = rp.result.BytesFreed, rp.result.BytesExact, archivedBytes(rp.result)
		}
		out.Repositories = append(out.Repositories, r)
	}
	b, _ := json.Marshal(out)
	w.Write(append(b, '\n'))
}

// runDiff compares what a new policy would do with what each selected
// repository's live policy does, image by image.
func runDiff(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	src := addPolicyFlags(fs, true)
	l := addLiveFlags(fs)
	nowText := fs.String("now", "", "")
	format := cli.AddFormat(fs)
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	switch {
	case src.check() != "":
		return usageError(stderr, "diff", src.check()+" (the new policy)")
	case !l.selected():
		return usageError(stderr, "diff", "--repository-name, --repository-prefix or --all-repositories is required")
	case l.check() != "":
		return usageError(stderr, "diff", l.check())
	case cli.CheckFormat(*format) != "":
		return usageError(stderr, "diff", cli.CheckFormat(*format))
	}
	now := time.Now()
	if *nowText != "" {
		t, err := preview.ParseTime(*nowText)
		if err != nil {
			return usageError(stderr, "diff", "--now "+err.Error())
		}
		now = t
	}
	next, code := givenPolicy(src, l, "diff", stdin, stderr)
	if next == nil {
		return code
	}
	ctx, stop, c, repos, refs, code := l.open(stderr, "diff")
	if c == nil {
		return code
	}
	defer stop()
	current := readAllRepositories(ctx, c, repos, nil, now)
	exit := ExitOK
	var changes []change
	sum := diffSummary{Repositories: len(repos)}
	for i := range current {
		rp := &current[i]
		if rp.problem != "" {
			fmt.Fprintf(stderr, "ecr-lifecycle diff: %s: %s\n", rp.name, rp.problem)
			exit = ExitInvalid
			continue
		}
		res := preview.Evaluate(next, rp.images, now, rp.opts)
		proposed := repoPreview{name: rp.name, registry: rp.registry, result: &res}
		if lines := inUseProblems(&proposed, c.Region, refs); len(lines) > 0 {
			for _, line := range lines {
				fmt.Fprintln(stderr, line)
			}
			exit = ExitInvalid
		}
		changes = append(changes, compare(rp.name, rp.images, rp.result, &res, &sum)...)
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "ecr-lifecycle diff: interrupted")
		return ExitInvalid
	}
	if exit != ExitOK && len(refs) > 0 {
		return exit
	}
	w := bufio.NewWriterSize(stdout, 1<<16)
	if *format == cli.FormatJSON {
		writeDiffJSON(w, changes, sum)
	} else {
		writeDiffTable(w, changes, sum, l.many(), now)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "ecr-lifecycle: %v\n", err)
		return ExitInvalid
	}
	return exit
}

// change is an image the two policies treat differently.
type change struct {
	Repository string   `json:"repositoryName"`
	Digest     string   `json:"imageDigest"`
	Tags       []string `json:"imageTags"`
	Current    string   `json:"current"`
	New        string   `json:"new"`
	pushedAt   int64
}

type diffSummary struct {
	Repositories     int `json:"repositories"`
	Images           int `json:"images"`
	Changed          int `json:"changed"`
	NewlyExpired     int `json:"newlyExpired"`
	NoLongerExpired  int `json:"noLongerExpired"`
	NewlyArchived    int `json:"newlyArchived"`
	NoLongerArchived int `json:"noLongerArchived"`
}

// actions maps each acted-on image's digest to "expire" or "archive".
func actions(res *preview.Result) map[string]string {
	m := map[string]string{}
	for _, o := range res.Outcomes {
		a := "expire"
		if o.Action == lifecycle.ActionTransition {
			a = "archive"
		}
		m[o.Image.Digest] = a
	}
	return m
}

func compare(repo string, images []preview.Image, current, next *preview.Result, sum *diffSummary) []change {
	cur, nxt := actions(current), actions(next)
	var out []change
	for i := range images {
		im := &images[i]
		a, b := cur[im.Digest], nxt[im.Digest]
		if a == "" {
			a = "keep"
		}
		if b == "" {
			b = "keep"
		}
		sum.Images++
		if a == b {
			continue
		}
		sum.Changed++
		switch {
		case b == "expire":
			sum.NewlyExpired++
		case a == "expire":
			sum.NoLongerExpired++
		}
		switch {
		case b == "archive":
			sum.NewlyArchived++
		case a == "archive":
			sum.NoLongerArchived++
		}
		out = append(out, change{Repository: repo, Digest: im.Digest, Tags: im.Tags, Current: a, New: b, pushedAt: im.PushedAt})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].pushedAt != out[j].pushedAt {
			return out[i].pushedAt < out[j].pushedAt
		}
		return out[i].Digest < out[j].Digest
	})
	return out
}

func writeDiffTable(w *bufio.Writer, changes []change, sum diffSummary, many bool, now time.Time) {
	if len(changes) == 0 {
		w.WriteString("The new policy acts on the same images as the current one.\n")
	} else {
		nameWidth, tagsWidth := len("REPOSITORY"), len("TAGS")
		for _, c := range changes {
			nameWidth = max(nameWidth, len(c.Repository))
			tagsWidth = max(tagsWidth, len(tagList(c.Tags)))
		}
		var buf []byte
		row := func(repo, digest, tags, pushed, cur, next string) {
			buf = buf[:0]
			if many {
				buf = append(pad(buf, repo, nameWidth), "  "...)
			}
			buf = pad(buf, digest, digestWidth)
			buf = pad(append(buf, "  "...), tags, tagsWidth)
			buf = pad(append(buf, "  "...), pushed, 6)
			buf = pad(append(buf, "  "...), cur, 7)
			buf = append(append(buf, "  "...), next...)
			w.Write(append(buf, '\n'))
		}
		row("REPOSITORY", "DIGEST", "TAGS", "PUSHED", "CURRENT", "NEW")
		for _, c := range changes {
			row(c.Repository, shortDigest(c.Digest), tagList(c.Tags), age(c.pushedAt, now), c.Current, c.New)
		}
	}
	fmt.Fprintf(w, "\n%s in %s: %s treated differently; the new policy expires %s that the current one doesn't and keeps or archives %s that it expires; archives %s more and %s fewer.\n",
		counted(sum.Images, "image"), counted(sum.Repositories, "repository"), count(sum.Changed), count(sum.NewlyExpired), count(sum.NoLongerExpired), count(sum.NewlyArchived), count(sum.NoLongerArchived))
}

func writeDiffJSON(w *bufio.Writer, changes []change, sum diffSummary) {
	if changes == nil {
		changes = []change{}
	}
	for i := range changes {
		if changes[i].Tags == nil {
			changes[i].Tags = []string{}
		}
	}
	b, _ := json.Marshal(struct {
		Changes []change    `json:"changes"`
		Summary diffSummary `json:"summary"`
	}{changes, sum})
	w.Write(append(b, '\n'))
}

// livePreview checks the usage of preview's live mode and runs it.
func livePreview(src policySource, l liveFlags, images, manifests, nowText, format string, stdin io.Reader, stdout, stderr io.Writer) int {
	switch {
	case images != "":
		return usageError(stderr, "preview", "give --images or --repository-name/--repository-prefix/--all-repositories, not both")
	case manifests != "":
		return usageError(stderr, "preview", "--manifests goes with --images; the live preview reads the manifest lists itself")
	case !l.selected():
		return usageError(stderr, "preview", "--repository-name, --repository-prefix or --all-repositories is required to read the registry")
	case *src.policy != "" && *src.template != "":
		return usageError(stderr, "preview", "give --policy or --template, not both")
	case *src.repository != "" && *src.template == "":
		return usageError(stderr, "preview", "--repository goes with --template")
	case l.check() != "":
		return usageError(stderr, "preview", l.check())
	case *l.prices != "" && !l.many():
		return usageError(stderr, "preview", "--prices goes with --repository-prefix or --all-repositories (the summary's cost)")
	case cli.CheckFormat(format) != "":
		return usageError(stderr, "preview", cli.CheckFormat(format))
	}
	now := time.Now()
	if nowText != "" {
		t, err := preview.ParseTime(nowText)
		if err != nil {
			return usageError(stderr, "preview", "--now "+err.Error())
		}
		now = t
	}
	return runLivePreview(src, l, now, format, stdin, stdout, stderr)
}

// padRunes is pad for text that isn't ASCII (≤ in the table).
func padRunes(buf []byte, s string, width int) []byte {
	buf = append(buf, s...)
	for n := utf8.RuneCountInString(s); n < width; n++ {
		buf = append(buf, ' ')
	}
	return buf
}

// usd prints a price: two decimals, more when it has them.
func usd(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i < 0 {
		s += ".00"
	} else if len(s)-i == 2 {
		s += "0"
	}
	return "$" + s
}
