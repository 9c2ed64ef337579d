// Package lifecyclecli is the ecr-lifecycle command: validate lifecycle
// policies, from a file or a synthesized CloudFormation template, and
// preview what one would do to a repository's images. It is a thin layer
// over helpers/lifecycle and helpers/lifecycle/preview.
package lifecyclecli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle/preview"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
	"github.com/secure-ecr/ecr-cdk-go/internal/leaf/jsonpos"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/cfn"
)

// Exit statuses: package cli's, the same for every command.
const (
	ExitOK      = cli.ExitOK
	ExitInvalid = cli.ExitRefused // the policy or the inventory is invalid or unreadable
	ExitUsage   = cli.ExitUsage
)

// Usage is the command's help text.
const Usage = `ecr-lifecycle validates Amazon ECR lifecycle policies and previews what a
policy would do to a repository's images, offline from files or live from the
registry.

Usage:
  ecr-lifecycle preview (--policy POLICY.json | --template TEMPLATE.json [--repository REPOSITORY])
                        --images IMAGES.json [--manifests MANIFESTS.json] [--in-use IN-USE.txt]
                        [--now TIME] [--format table|json]
  ecr-lifecycle preview [--policy POLICY.json | --template TEMPLATE.json [--repository REPOSITORY]]
                        (--repository-name NAME | --repository-prefix PREFIX | --all-repositories)
                        [--in-use ecs,lambda] [--prices standard=USD,archive=USD,archive-over-150tb=USD]
                        [LIVE FLAGS] [--now TIME] [--format table|json]
  ecr-lifecycle diff (--policy NEW.json | --template TEMPLATE.json [--repository REPOSITORY])
                     (--repository-name NAME | --repository-prefix PREFIX | --all-repositories)
                     [--in-use ecs,lambda] [LIVE FLAGS] [--now TIME] [--format table|json]
  ecr-lifecycle validate (--policy POLICY.json | --template TEMPLATE.json) [--strict]
  ecr-lifecycle --version

LIVE FLAGS: [--profile PROFILE] [--region REGION] [--concurrency N (default 8)]
[--timeout DURATION (per request attempt, default 30s)]. Credentials, Region
and endpoint come from the AWS SDK's default chain (environment, shared
config and credentials files, SSO, roles; AWS_ENDPOINT_URL and
AWS_ENDPOINT_URL_ECR are honoured).

Without --images, preview reads the repository's images (describe-images, and
batch-get-image for its manifest lists) and, unless --policy or --template
gives one, its lifecycle policy, and prints what the offline preview prints
for the same data. With --repository-prefix or --all-repositories it prints a
row per repository and totals, with the storage cost at AWS's published prices
(standard $0.10, archive $0.10 for the first 150 TB then $0.07 per GB-month,
as of 2026-03, us-east-1; --prices overrides). diff prints the images the new
policy treats differently from each repository's live policy. --in-use reads
the images ECS services (in every cluster) and Lambda functions use: if the
policy would expire or archive one, each is one line on stderr and the exit
status is 1. Offline, --in-use IN-USE.txt lists images deployed elsewhere,
one a line (an image URI, REPOSITORY:TAG or REPOSITORY@sha256:DIGEST), and
--template marks the images the same template deploys (ECS task
definitions, Lambda functions): images in use are never counted as expired,
and each the policy would expire or archive is one line and exit status 1.

POLICY.json is a lifecycle policy, {"rules": [...]}, or the output of
aws ecr get-lifecycle-policy. TEMPLATE.json is a synthesized CloudFormation
template (cdk.out/*.template.json), or a cloud assembly directory (cdk.out)
for the templates of all its stacks: validate checks every lifecycle policy in
it, preview takes the one of the resource REPOSITORY, its logical id or its
RepositoryName (required when there are several). The policies of stack sets'
templates (TemplateBody) and of nested stacks whose template is a file of the
template's directory are found too, named STACK_LOGICAL_ID/REPO_LOGICAL_ID;
those of a cloud assembly of several stacks are named STACK/LOGICAL_ID, after
the stack's name. IMAGES.json is the output of aws ecr describe-images; MANIFESTS.json
the output of aws ecr batch-get-image for the repository's images, which makes
the preview exact for manifest lists (multi-architecture images) and, with
every image's manifest, for the space freed. One input may be - for standard
input. TIME is RFC 3339, such as 2026-06-01T00:00:00Z, or a date, 2026-06-01
(midnight UTC); default: now.

preview prints one row per image that would be expired or archived, then a
summary; --format json prints {"actions": [...], "deferred": [...], "summary":
{...}} instead. validate prints every problem, one per line, then what the
static analysis of each policy finds: a protection that protects nothing (an
earlier rule that expires or archives takes its images) is a problem; a rule
that can never act (earlier rules take every image it selects), a policy
whose rules never fire, and a pattern without a wildcard in a rule that acts
are warnings, "warning:" on the line, which fail only with --strict.

Exit status: 0 success, 1 invalid policy (or warnings with --strict), template or inventory, a registry
that can't be read, or an in-use image the policy would expire; 2 wrong usage.
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
	case "diff":
		return runDiff(args[1:], stdin, stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "ecr-lifecycle", cli.Version())
		return ExitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, Usage)
		return ExitOK
	default:
		return usageError(stderr, "", fmt.Sprintf("unknown command %q", args[0]))
	}
}

// usageError reports wrong usage in one line, with the hint to the help:
// `ecr-lifecycle preview: --images is required (see ecr-lifecycle preview --help)`.
func usageError(stderr io.Writer, command, msg string) int {
	return cli.UsageError(stderr, "ecr-lifecycle", command, msg)
}

// invalid reports problems with an input, one per line, each prefixed with
// the input's name, and its line and column when the problem has a place:
// `policy.json:5:7: invalid character '{' after array element`.
func invalid(stderr io.Writer, source string, err error) int {
	problems := validation.List(err)
	if problems == nil {
		fmt.Fprintf(stderr, "%s: %s\n", source, err)
		return ExitInvalid
	}
	for _, e := range problems {
		bare := *e // the file names the input; the package adds nothing
		bare.Package = ""
		bare.Line, bare.Column = 0, 0
		if e.Line > 0 {
			fmt.Fprintf(stderr, "%s:%d:%d: %s\n", source, e.Line, e.Column, bare.Error())
		} else {
			fmt.Fprintf(stderr, "%s: %s\n", source, bare.Error())
		}
	}
	return ExitInvalid
}

// parseFlags parses a subcommand's flags; help asked for prints the usage.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (int, bool) {
	return cli.Parse(fs, args, "ecr-lifecycle", Usage, stdout, stderr)
}

// policySource is where a command takes its policy: --policy, or
// --template with --repository.
type policySource struct {
	policy, template, repository *string
}

func addPolicyFlags(fs *flag.FlagSet, repository bool) policySource {
	s := policySource{policy: fs.String("policy", "", ""), template: fs.String("template", "", "")}
	if repository {
		s.repository = fs.String("repository", "", "")
	} else {
		s.repository = new(string)
	}
	return s
}

// check reports wrong usage of the policy flags.
func (s policySource) check() string {
	switch {
	case *s.policy == "" && *s.template == "":
		return "--policy or --template is required"
	case *s.policy != "" && *s.template != "":
		return "give --policy or --template, not both"
	case *s.repository != "" && *s.template == "":
		return "--repository goes with --template"
	}
	return ""
}

func runValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	src := addPolicyFlags(fs, false)
	strict := fs.Bool("strict", false, "")
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	if msg := src.check(); msg != "" {
		return usageError(stderr, "validate", msg)
	}
	if *src.template == "" {
		policy, code := readPolicy(*src.policy, stdin, stderr)
		if policy == nil {
			return code
		}
		name := source(*src.policy)
		if code := findings(stderr, name, policy.Findings(), *strict); code != ExitOK {
			return code
		}
		fmt.Fprintf(stdout, "%s: valid, %s%s\n", name, counted(len(policy.Rules()), "rule"), warned(policy.Findings()))
		return ExitOK
	}

	name := source(*src.template)
	policies, code := readTemplate(*src.template, stdin, stderr)
	if policies == nil {
		return code
	}
	var report strings.Builder
	var problems validation.Errors
	var found []lifecycle.Finding
	for _, tp := range policies {
		policy, err := tp.Parse()
		if err != nil {
			problems = append(problems, validation.List(err)...)
			continue
		}
		found = append(found, policy.Findings()...)
		fmt.Fprintf(&report, "%s: %s: valid, %s%s\n", name, tp.LogicalID, counted(len(policy.Rules()), "rule"), warned(policy.Findings()))
	}
	if len(problems) > 0 {
		invalid(stderr, name, problems)
		findings(stderr, name, found, *strict)
		return ExitInvalid
	}
	if code := findings(stderr, name, found, *strict); code != ExitOK {
		return code
	}
	fmt.Fprint(stdout, report.String())
	return ExitOK
}

// findings prints what the static analysis of the policies found, one line
// each, errors as any problem and warnings marked as such, and returns
// ExitInvalid when there is an error, or a warning and strict is set.
func findings(stderr io.Writer, source string, list []lifecycle.Finding, strict bool) int {
	code := ExitOK
	slices.SortStableFunc(list, func(a, b lifecycle.Finding) int { return strings.Compare(string(a.Severity), string(b.Severity)) })
	for _, f := range list {
		bare := *f.Problem
		bare.Package = ""
		if f.Severity == lifecycle.SeverityError {
			fmt.Fprintf(stderr, "%s: %s\n", source, bare.Error())
			code = ExitInvalid
			continue
		}
		fmt.Fprintf(stderr, "%s: warning: %s\n", source, bare.Error())
		if strict {
			code = ExitInvalid
		}
	}
	return code
}

// warned counts a policy's warnings for the line that says it is valid.
func warned(list []lifecycle.Finding) string {
	if len(list) == 0 {
		return ""
	}
	return ", " + counted(len(list), "warning")
}

func runPreview(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("preview", flag.ContinueOnError)
	src := addPolicyFlags(fs, true)
	imagesPath := fs.String("images", "", "")
	manifestsPath := fs.String("manifests", "", "")
	nowText := fs.String("now", "", "")
	format := cli.AddFormat(fs)
	liveSel := addLiveFlags(fs)
	if code, ok := parseFlags(fs, args, stdout, stderr); !ok {
		return code
	}
	inUseFile := ""
	if v := *liveSel.inUse; v != "" && !isLiveUsers(v) {
		inUseFile = v // a file of images in use, offline
	}
	liveOnly := liveSel.liveFlagsSet(fs)
	if liveOnly == "in-use" && inUseFile != "" && !liveSel.selected() {
		liveOnly = ""
	}
	if liveSel.selected() || (*imagesPath == "" && liveOnly != "") {
		return livePreview(src, liveSel, *imagesPath, *manifestsPath, *nowText, *format, stdin, stdout, stderr)
	} else if liveOnly != "" {
		return usageError(stderr, "preview", "--"+liveOnly+" goes with --repository-name, --repository-prefix or --all-repositories, not --images")
	}
	stdins := 0
	for _, p := range []string{*src.policy, *src.template, *imagesPath, *manifestsPath} {
		if p == "-" {
			stdins++
		}
	}
	switch {
	case src.check() != "":
		return usageError(stderr, "preview", src.check())
	case *imagesPath == "":
		return usageError(stderr, "preview", "--images is required, or --repository-name, --repository-prefix or --all-repositories to read the registry")
	case stdins > 1:
		return usageError(stderr, "preview", "only one of --policy, --template, --images and --manifests can be - (standard input)")
	case cli.CheckFormat(*format) != "":
		return usageError(stderr, "preview", cli.CheckFormat(*format))
	}
	now := time.Now()
	if *nowText != "" {
		t, err := preview.ParseTime(*nowText)
		if err != nil {
			return usageError(stderr, "preview", "--now "+err.Error())
		}
		now = t
	}

	var policy *lifecycle.Policy
	var code int
	var chosen *stackPolicy            // the template's repository
	var policyRepo, policyWhose string // the policy's repository's name, when known, and what names it
	if *src.template != "" {
		policy, chosen, code = templatePolicy("preview", *src.template, *src.repository, stdin, stderr)
		if chosen != nil {
			policyRepo, policyWhose = chosen.RepositoryName, "the RepositoryName of "+chosen.LogicalID+" in "+source(*src.template)
		}
	} else {
		policy, policyRepo, code = readPolicyOf(*src.policy, stdin, stderr)
		policyWhose = "the repositoryName of " + source(*src.policy)
	}
	if policy == nil {
		return code
	}
	var images []preview.Image
	if policyRepo != "" {
		images, code = readImagesOf(*imagesPath, policyRepo, policyWhose, stdin, stderr)
	} else {
		images, code = readImages(*imagesPath, stdin, stderr)
	}
	if code != ExitOK {
		return code
	}
	var refs []live.ImageRef // images in use
	repository := ""         // the repository's name, when known
	if inUseFile != "" {
		if refs, code = readInUse(inUseFile, stdin, stderr); code != ExitOK {
			return code
		}
	}
	if *src.template != "" && *src.template != "-" {
		var deployed []live.ImageRef
		deployed, repository = templateInUse(chosen.text, chosen.id)
		refs = append(refs, deployed...)
		if repository == "" {
			repository = chosen.RepositoryName // in a stack set or nested stack
		}
	}
	if len(refs) > 0 && repository == "" && *imagesPath != "-" {
		if data, err := os.ReadFile(*imagesPath); err == nil {
			repository = inventoryRepository(data)
		}
	}
	opts := &preview.Options{}
	if len(refs) > 0 {
		opts.InUse = inUseOf(refs, repository)
	}
	if *manifestsPath != "" {
		manifests, code := readManifests(*manifestsPath, stdin, stderr)
		if manifests == nil {
			return code
		}
		opts.Manifests = manifests
	}
	result := preview.Evaluate(policy, images, now, opts)

	w := bufio.NewWriterSize(stdout, 1<<16)
	if *format == "json" {
		writeJSON(w, &result)
		for _, note := range result.Notes() {
			fmt.Fprintln(stderr, "Note: "+note)
		}
	} else {
		writeTable(w, &result, now)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "ecr-lifecycle: %v\n", err)
		return ExitInvalid
	}
	if lines := inUseLines(&result, refs, repository); len(lines) > 0 {
		for _, line := range lines {
			fmt.Fprintln(stderr, "ecr-lifecycle preview: "+line)
		}
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

// readAll reads a whole input, reporting problems on stderr.
func readAll(path string, stdin io.Reader, stderr io.Writer) ([]byte, int) {
	f, err := open(path, stdin)
	if err != nil {
		return nil, invalid(stderr, source(path), err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, invalid(stderr, source(path), err)
	}
	return data, ExitOK
}

// readPolicy reads and parses a policy, reporting problems on stderr.
func readPolicy(path string, stdin io.Reader, stderr io.Writer) (*lifecycle.Policy, int) {
	policy, _, code := readPolicyOf(path, stdin, stderr)
	return policy, code
}

// readPolicyOf is readPolicy that also returns the repositoryName of
// get-lifecycle-policy output, "" for a bare policy.
func readPolicyOf(path string, stdin io.Reader, stderr io.Writer) (*lifecycle.Policy, string, int) {
	data, code := readAll(path, stdin, stderr)
	if data == nil && code != ExitOK {
		return nil, "", code
	}
	var named struct {
		RepositoryName string `json:"repositoryName"`
	}
	_ = json.Unmarshal(data, &named)
	text, wrapped := unwrapPolicyText(data)
	policy, err := lifecycle.Parse(text)
	if err != nil && wrapped {
		err = inPolicyText(err)
	}
	if err != nil {
		return nil, "", invalid(stderr, source(path), err)
	}
	if !wrapped {
		named.RepositoryName = ""
	}
	return policy, named.RepositoryName, ExitOK
}

// inPolicyText moves the line and column of problems found in the policy
// text of get-lifecycle-policy output into their message: they are places
// in the text, a string of the file, not in the file.
func inPolicyText(err error) error {
	problems := validation.List(err)
	out := make(validation.Errors, len(problems))
	for i, e := range problems {
		c := *e
		if c.Line > 0 {
			if c.Field == "" {
				c.Field = "lifecyclePolicyText"
			}
			c.Constraint = fmt.Sprintf("%s (at %d:%d of the policy text)", c.Constraint, c.Line, c.Column)
			c.Line, c.Column = 0, 0
		}
		out[i] = &c
	}
	return out
}

// unwrapPolicyText returns the policy inside `aws ecr get-lifecycle-policy`
// output ({"lifecyclePolicyText": "...", ...}), or data as it is.
func unwrapPolicyText(data []byte) ([]byte, bool) {
	var wrapped struct {
		LifecyclePolicyText *string `json:"lifecyclePolicyText"`
	}
	if json.Unmarshal(data, &wrapped) == nil && wrapped.LifecyclePolicyText != nil {
		return []byte(*wrapped.LifecyclePolicyText), true
	}
	return data, false
}

// stackPolicy is a lifecycle policy of --template, with the template of
// its stack.
type stackPolicy struct {
	lifecycle.TemplatePolicy
	// text is its stack's template; nil for standard input.
	text []byte
	// id is its LogicalID in that template, without the stack's name.
	id string
}

// readTemplate reads the lifecycle policies of a template, or of every
// stack of a cloud assembly directory (cdk.out), reporting problems (and
// templates without any) on stderr. Nested stacks whose template is a file
// of the template's directory are followed (internal/library/cfn reads both). When
// the directory has several stacks, each LogicalID is prefixed with its
// stack's name: STACK/LOGICAL_ID.
func readTemplate(path string, stdin io.Reader, stderr io.Writer) ([]stackPolicy, int) {
	var stacks []cfn.Stack
	if path == "-" {
		data, code := readAll(path, stdin, stderr)
		if data == nil && code != ExitOK {
			return nil, code
		}
		stacks = []cfn.Stack{{Text: data}}
	} else {
		var err error
		if stacks, err = cfn.Load(path); err != nil {
			if msg := err.Error(); strings.HasPrefix(msg, path) || strings.HasPrefix(msg, filepath.Clean(path)) { // names its file

				fmt.Fprintln(stderr, err)
				return nil, ExitInvalid
			}
			return nil, invalid(stderr, source(path), err)
		}
	}
	var out []stackPolicy
	code := ExitOK
	for _, s := range stacks {
		var nested func(lifecycle.NestedStack) ([]byte, error)
		if s.File != "" {
			nested = func(ns lifecycle.NestedStack) ([]byte, error) {
				return cfn.NestedFile(s.Dir, ns.AssetPath, ns.TemplateURL)
			}
		}
		policies, err := lifecycle.ReadTemplateWith(s.Text, nested)
		if err != nil {
			name := s.File
			if name == "" {
				name = source(path)
			}
			code = invalid(stderr, name, err)
			continue
		}
		for _, tp := range policies {
			id := tp.LogicalID
			if len(stacks) > 1 {
				tp.LogicalID = s.Name + "/" + id
			}
			if path == "-" {
				out = append(out, stackPolicy{TemplatePolicy: tp, id: id})
			} else {
				out = append(out, stackPolicy{TemplatePolicy: tp, text: s.Text, id: id})
			}
		}
	}
	if code != ExitOK {
		return nil, code
	}
	if len(out) == 0 {
		fmt.Fprintf(stderr, "%s: has no lifecycle policy: no %s with a LifecyclePolicy.LifecyclePolicyText and no %s with a LifecyclePolicy\n",
			source(path), lifecycle.ResourceTypeRepository, lifecycle.ResourceTypeRepositoryCreationTemplate)
		return nil, ExitInvalid
	}
	return out, ExitOK
}

// templatePolicy returns the policy of the resource a template's
// --repository names, by its logical id or its repository's name, or the
// template's only policy when repository is empty, and that resource. The
// command (preview, diff) names wrong usage.
func templatePolicy(command, path, repository string, stdin io.Reader, stderr io.Writer) (*lifecycle.Policy, *stackPolicy, int) {
	policies, code := readTemplate(path, stdin, stderr)
	if policies == nil {
		return nil, nil, code
	}
	ids := make([]string, len(policies))
	for i, tp := range policies {
		ids[i] = tp.LogicalID
		if tp.RepositoryName != "" {
			ids[i] += " (" + tp.RepositoryName + ")"
		}
	}
	var chosen *stackPolicy
	switch {
	case repository == "" && len(policies) > 1:
		return nil, nil, usageError(stderr, command, fmt.Sprintf("--repository is required: %s has %d lifecycle policies: %s",
			source(path), len(policies), strings.Join(ids, ", ")))
	case repository == "":
		chosen = &policies[0]
	default:
		var named []*stackPolicy
		for i := range policies {
			if policies[i].LogicalID == repository {
				chosen = &policies[i]
			}
			if policies[i].RepositoryName == repository {
				named = append(named, &policies[i])
			}
		}
		if chosen == nil && len(named) > 1 {
			fmt.Fprintf(stderr, "%s: --repository %q: %d repositories have this name; give the logical id of one: %s\n",
				source(path), repository, len(named), strings.Join(ids, ", "))
			return nil, nil, ExitInvalid
		}
		if chosen == nil && len(named) == 1 {
			chosen = named[0]
		}
	}
	if chosen == nil {
		fmt.Fprintf(stderr, "%s: --repository %q: no lifecycle policy has this logical id or repository name; the template's are %s\n",
			source(path), repository, strings.Join(ids, ", "))
		return nil, nil, ExitInvalid
	}
	policy, err := chosen.Parse()
	if err != nil {
		return nil, nil, invalid(stderr, source(path), err)
	}
	return policy, chosen, ExitOK
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

// readImagesOf is readImages for the policy of the repository name (which
// whose names): an image of another repository is refused, in one line that
// names its repositoryName's place in the inventory.
func readImagesOf(path, name, whose string, stdin io.Reader, stderr io.Writer) ([]preview.Image, int) {
	data, code := readAll(path, stdin, stderr)
	if data == nil && code != ExitOK {
		return nil, code
	}
	images, err := preview.ReadImages(bytes.NewReader(data))
	if err != nil {
		return nil, invalid(stderr, source(path), err)
	}
	var inv struct {
		ImageDetails []struct {
			RepositoryName string `json:"repositoryName"`
		} `json:"imageDetails"`
	}
	_ = json.Unmarshal(data, &inv)
	for i, d := range inv.ImageDetails {
		if d.RepositoryName == "" || d.RepositoryName == name {
			continue
		}
		place := source(path)
		if off, ok := jsonpos.LocatePath(data, "imageDetails", i, "repositoryName"); ok {
			line, col := jsonpos.Locate(data, off)
			place = fmt.Sprintf("%s:%d:%d", place, line, col)
		}
		fmt.Fprintf(stderr, "%s: imageDetails[%d].repositoryName %q: is not the policy's repository, %q (%s)\n", place, i, d.RepositoryName, name, whose)
		return nil, ExitInvalid
	}
	return images, ExitOK
}

// readManifests reads batch-get-image output, reporting problems on stderr.
func readManifests(path string, stdin io.Reader, stderr io.Writer) (*preview.Manifests, int) {
	f, err := open(path, stdin)
	if err != nil {
		return nil, invalid(stderr, source(path), err)
	}
	defer f.Close()
	m, err := preview.ReadManifests(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, invalid(stderr, source(path), err)
	}
	return m, ExitOK
}
