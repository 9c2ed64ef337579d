// Package auditcmd is ecr-cdk audit: every repository of the account and
// Region against the controls the compliance pack (helpers/compliance)
// applies at synthesis, with the same ids and wording, plus the registry's
// own settings; with --template, what the templates declare against what
// the account has.
package auditcmd

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

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"

	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/ecr5"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
)

// Usage is ecr-cdk audit's help text, printed by --help.
const Usage = `ecr-cdk audit checks every repository of the account and Region against the
controls the compliance pack applies at synthesis (the same ids and wording),
and the registry's settings; with --template, compares what the templates
declare with what the account has, property by property.

Usage:
  ecr-cdk audit [--prefix PREFIX] [--level standard|strict] [--template FILE|cdk.out]
                [--profile PROFILE] [--region REGION] [--concurrency N] [--timeout DURATION]
                [--format table|json]

--level strict (the default) adds Security Hub ECR.5; standard leaves it out.
Registry findings: no registry scanning rule; no ROOT repository creation
template (unknown when the API can't be read). ECR.5 asks kms:DescribeKey who
manages a repository's key: a customer managed key passes; AES256 and the AWS
managed key aws/ecr fail; a key that can't be described (access denied, no
such key) is "unknown", with the reason. Credentials, Region and
endpoint come from the AWS SDK's default chain (AWS_ENDPOINT_URL and
AWS_ENDPOINT_URL_ECR honoured).

Exit status: 0 every control passes (and no drift; a registry without
repositories passes, in one line), 1 a control fails, drift, a --prefix
matching nothing, or the registry can't be read, 2 wrong usage.
`

// Results of a control: a Finding's Result.
const (
	Pass    = "PASS"    // the control passes
	Fail    = "FAIL"    // the control fails: audit exits 1
	Unknown = "UNKNOWN" // what the control needs couldn't be read
)

// result words one of package ecr5's decisions.
func result(r ecr5.Result) string {
	switch r {
	case ecr5.Pass:
		return Pass
	case ecr5.Fail:
		return Fail
	}
	return Unknown
}

// Finding is one control's result for one repository or the registry, an
// element of "findings" in the --format json report. Repository is "" for
// the registry's settings.
type Finding struct {
	Repository  string `json:"repositoryName,omitempty"`
	ID          string `json:"control"`
	Source      string `json:"source"`
	Rule        string `json:"rule"`
	Requirement string `json:"requirement"`
	Result      string `json:"result"`
	Detail      string `json:"detail,omitempty"`
}

// Run is ecr-cdk audit: args are its arguments, after "audit"; it returns
// the exit status (package cli's).
func Run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	prefix := fs.String("prefix", "", "")
	format := cli.AddFormat(fs)
	level := fs.String("level", string(compliance.LevelStrict), "")
	template := fs.String("template", "", "")
	var lf live.Flags
	lf.Register(fs)
	if code, ok := cli.Parse(fs, args, "ecr-cdk", Usage, stdout, stderr); !ok {
		return code
	}
	switch {
	case cli.CheckFormat(*format) != "":
		return cli.UsageError(stderr, "ecr-cdk", "audit", cli.CheckFormat(*format))
	case *level != string(compliance.LevelStandard) && *level != string(compliance.LevelStrict):
		return cli.UsageError(stderr, "ecr-cdk", "audit", fmt.Sprintf("--level %q: must be standard or strict", *level))
	case lf.Check() != "":
		return cli.UsageError(stderr, "ecr-cdk", "audit", lf.Check())
	}
	var declared []declaration
	if *template != "" {
		var err error
		if declared, err = readTemplates(*template); err != nil {
			fmt.Fprintf(stderr, "ecr-cdk audit: %s\n", err)
			return 1
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, err := live.Load(ctx, lf.Options(stderr))
	if err != nil {
		fmt.Fprintf(stderr, "ecr-cdk audit: %s\n", live.Message(err))
		return 1
	}
	states, err := c.RepositoryStates(ctx, live.Selection{Prefix: *prefix, All: *prefix == ""})
	switch {
	case errors.Is(err, live.ErrNoMatch) && *prefix == "" && len(declared) > 0:
		states = nil // an empty registry: every declared repository is missing
	case errors.Is(err, live.ErrNoMatch) && *prefix == "":
		// An empty registry: no repository fails a control. Its registry
		// settings protect repositories to come, not these: they are left
		// to the audit that finds some.
		w := bufio.NewWriter(stdout)
		if *format == cli.FormatJSON {
			writeJSON(w, nil, nil, 0, false)
		} else {
			fmt.Fprintf(w, "No repository in the registry in %s: nothing to audit, nothing fails.\n", c.Region)
		}
		if err := w.Flush(); err != nil {
			fmt.Fprintf(stderr, "ecr-cdk audit: %v\n", err)
			return 1
		}
		return 0
	case errors.Is(err, live.ErrNoMatch):
		fmt.Fprintf(stderr, "ecr-cdk audit: %s in %s\n", err, c.Region)
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "ecr-cdk audit: %s\n", live.Message(err))
		return 1
	}
	exit := 0
	var readable []live.RepositoryState
	for _, s := range states {
		if s.Err != nil {
			fmt.Fprintf(stderr, "ecr-cdk audit: %s: %s\n", s.Name(), live.Message(s.Err))
			exit = 1
			continue
		}
		readable = append(readable, s)
	}
	scanning, scanErr := c.ScanningConfiguration(ctx)
	templates, templateErr := c.CreationTemplates(ctx)
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "ecr-cdk audit: interrupted")
		return 1
	}
	controls := compliance.Controls(compliance.Level(*level))
	var findings []Finding
	for _, s := range readable {
		findings = append(findings, checkRepository(controls, &s, scanning)...)
	}
	findings = append(findings, checkRegistry(controls, scanning, scanErr, templates, templateErr)...)

	var drift []propertyDrift
	if len(declared) > 0 {
		drift, err = compare(ctx, c, declared, states)
		if err != nil {
			fmt.Fprintf(stderr, "ecr-cdk audit: --template: %s\n", live.Message(err))
			return 1
		}
	}
	for _, f := range findings {
		if f.Result == Fail {
			exit = 1
		}
	}
	if len(drift) > 0 {
		exit = 1
	}
	w := bufio.NewWriter(stdout)
	if *format == cli.FormatJSON {
		writeJSON(w, findings, drift, len(readable), *template != "")
	} else {
		writeTable(w, findings, drift, len(readable), *template != "")
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "ecr-cdk audit: %v\n", err)
		return 1
	}
	return exit
}

// scanRule returns the registry scanning rule that scans a repository
// (on push or continuously), or "".
func scanRule(scanning *ecrtypes.RegistryScanningConfiguration, repository string) string {
	if scanning == nil {
		return ""
	}
	for _, r := range scanning.Rules {
		for _, f := range r.RepositoryFilters {
			filter := aws.ToString(f.Filter)
			if wildcard(filter, repository) {
				return fmt.Sprintf("registry scanning %s (%s, filter %q)", scanning.ScanType, r.ScanFrequency, filter)
			}
		}
	}
	return ""
}

// wildcard matches a scanning filter of type WILDCARD: * stands for
// any characters, slashes included.
func wildcard(filter, name string) bool {
	parts := strings.Split(filter, "*")
	if len(parts) == 1 {
		return filter == name
	}
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	rest := name[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	return strings.HasSuffix(rest, parts[len(parts)-1])
}

// checkRepository checks one repository against the repository controls
// (the creation-template ones and ECR.4, of public repositories, aside).
func checkRepository(controls []compliance.Control, s *live.RepositoryState, scanning *ecrtypes.RegistryScanningConfiguration) []Finding {
	r := &s.Repository
	name := s.Name()
	scanOnPush := r.ImageScanningConfiguration != nil && r.ImageScanningConfiguration.ScanOnPush
	mutability := string(r.ImageTagMutability)
	encType, key := "AES256", ""
	if r.EncryptionConfiguration != nil {
		encType, key = string(r.EncryptionConfiguration.EncryptionType), aws.ToString(r.EncryptionConfiguration.KmsKey)
	}
	var out []Finding
	for _, c := range controls {
		if c.ID == "ECR.4" || strings.HasSuffix(c.Rule, "_TEMPLATE") {
			continue
		}
		f := Finding{Repository: name, ID: c.ID, Source: c.Source, Rule: c.Rule, Requirement: c.Requirement, Result: Pass}
		fail := func(detail string) { f.Result, f.Detail = Fail, detail }
		switch c.Rule {
		case "SECURITYHUB_ECR_1":
			if rule := scanRule(scanning, name); scanOnPush {
				f.Detail = "scan on push"
			} else if rule != "" {
				f.Detail = rule
			} else {
				fail("no scan on push, and no registry scanning rule covers it")
			}
		case "CHECKOV_CKV_AWS_163":
			if !scanOnPush {
				fail("no scan on push")
			}
		case "SECURITYHUB_ECR_2", "CHECKOV_CKV_AWS_51":
			if mutability != "IMMUTABLE" {
				fail("image tag mutability " + mutability)
			}
		case "SECURITYHUB_ECR_3":
			if !s.LifecyclePolicy.Found {
				fail("no lifecycle policy")
			}
		case "CHECKOV_CKV_AWS_136":
			if encType != "KMS" {
				fail("encryption " + encType)
			}
		case "SECURITYHUB_ECR_5":
			// The one decision ecr-cdk adopt reports too.
			decision, detail := ecr5.Decide(encType, key, "", s.DescribedKey())
			f.Result, f.Detail = result(decision), detail
			if decision == ecr5.Pass {
				f.Detail = ""
			}
		case "CHECKOV_CKV_AWS_32":
			if !s.RepositoryPolicy.Found {
				break
			}
			if stmts, err := openStatements(s.RepositoryPolicy.Text); err != nil {
				f.Result, f.Detail = Unknown, "the repository policy is not JSON: "+err.Error()
			} else if len(stmts) > 0 {
				fail("repository policy statement " + strings.Join(stmts, ", ") + " allows * without aws:PrincipalOrgID")
			}
		default:
			continue // a control this command doesn't know: left to synthesis
		}
		out = append(out, f)
	}
	return out
}

// limitingOperators are the condition operators that limit a principal
// to an organization (helpers/compliance/rules/ecr-policy.rego has the same).
var limitingOperators = map[string]bool{"StringEquals": true, "StringEqualsIgnoreCase": true, "StringLike": true, "ForAnyValue:StringEquals": true, "ForAnyValue:StringLike": true}

// openStatements returns the statements (index or Sid) of a policy
// that allow the * principal without an aws:PrincipalOrgID condition.
func openStatements(text string) ([]string, error) {
	var doc struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		return nil, err
	}
	type statement struct {
		Sid       string
		Effect    string
		Principal any
		Condition map[string]map[string]any
	}
	var stmts []statement
	if err := json.Unmarshal(doc.Statement, &stmts); err != nil {
		var one statement
		if err := json.Unmarshal(doc.Statement, &one); err != nil {
			return nil, err
		}
		stmts = []statement{one}
	}
	var open []string
	for i, s := range stmts {
		if s.Effect != "Allow" || !openPrincipal(s.Principal) {
			continue
		}
		limited := false
		for op, conds := range s.Condition {
			for k := range conds {
				if limitingOperators[op] && strings.EqualFold(k, "aws:PrincipalOrgID") {
					limited = true
				}
			}
		}
		if !limited {
			id := fmt.Sprint(i)
			if s.Sid != "" {
				id += " (" + s.Sid + ")"
			}
			open = append(open, id)
		}
	}
	return open, nil
}

func openPrincipal(p any) bool {
	switch p := p.(type) {
	case string:
		return p == "*"
	case map[string]any:
		switch aws := p["AWS"].(type) {
		case string:
			return aws == "*"
		case []any:
			for _, a := range aws {
				if a == "*" {
					return true
				}
			}
		}
	}
	return false
}

// checkRegistry checks the registry's settings: a scanning rule, and a ROOT
// creation template held to the template controls.
func checkRegistry(controls []compliance.Control, scanning *ecrtypes.RegistryScanningConfiguration, scanErr error, templates []ecrtypes.RepositoryCreationTemplate, templateErr error) []Finding {
	scan := Finding{ID: "scanning", Source: "Registry", Rule: "REGISTRY_SCANNING", Requirement: "a registry scanning configuration (counted for ECR.1)", Result: Pass}
	switch {
	case scanErr != nil:
		scan.Result, scan.Detail = Unknown, live.Message(scanErr)
	case scanning == nil || len(scanning.Rules) == 0:
		scan.Result, scan.Detail = Fail, "no scanning rule: every repository needs its own scan on push"
	default:
		scan.Detail = fmt.Sprintf("%s, %d rules", scanning.ScanType, len(scanning.Rules))
	}
	out := []Finding{scan}
	root := Finding{ID: "ROOT template", Source: "Registry", Rule: "REGISTRY_ROOT_TEMPLATE", Requirement: "a ROOT repository creation template (settings of the repositories ECR creates itself)", Result: Pass}
	var rootTemplate *ecrtypes.RepositoryCreationTemplate
	for i := range templates {
		if aws.ToString(templates[i].Prefix) == "ROOT" {
			rootTemplate = &templates[i]
		}
	}
	switch {
	case errors.Is(templateErr, live.ErrUnsupported):
		root.Result, root.Detail = Unknown, "the server does not implement the creation-template API, so whether there is one is unknown ("+live.Message(templateErr)+"; moto 5.2.1 has no creation-template API)"
	case templateErr != nil:
		root.Result, root.Detail = Unknown, live.Message(templateErr)
	case rootTemplate == nil:
		root.Result, root.Detail = Fail, fmt.Sprintf("no ROOT template (%d templates)", len(templates))
	}
	out = append(out, root)
	for _, t := range templates {
		out = append(out, checkTemplate(controls, &t)...)
	}
	return out
}

// checkTemplate holds a creation template to the *_TEMPLATE controls.
func checkTemplate(controls []compliance.Control, t *ecrtypes.RepositoryCreationTemplate) []Finding {
	name := "creation template " + aws.ToString(t.Prefix)
	encType, key := "AES256", ""
	if t.EncryptionConfiguration != nil {
		encType, key = string(t.EncryptionConfiguration.EncryptionType), aws.ToString(t.EncryptionConfiguration.KmsKey)
	}
	var out []Finding
	for _, c := range controls {
		if !strings.HasSuffix(c.Rule, "_TEMPLATE") {
			continue
		}
		f := Finding{Repository: name, ID: c.ID, Source: c.Source, Rule: c.Rule, Requirement: c.Requirement, Result: Pass}
		switch c.Rule {
		case "SECURITYHUB_ECR_2_TEMPLATE":
			if t.ImageTagMutability != ecrtypes.ImageTagMutabilityImmutable {
				f.Result, f.Detail = Fail, "image tag mutability "+string(t.ImageTagMutability)
			}
		case "SECURITYHUB_ECR_3_TEMPLATE":
			if aws.ToString(t.LifecyclePolicy) == "" {
				f.Result, f.Detail = Fail, "no lifecycle policy"
			}
		case "CHECKOV_CKV_AWS_136_TEMPLATE":
			if encType != "KMS" {
				f.Result, f.Detail = Fail, "encryption "+encType
			}
		case "SECURITYHUB_ECR_5_TEMPLATE":
			if encType != "KMS" || key == "" {
				f.Result, f.Detail = Fail, "no customer-managed key ("+encType+")"
			} else {
				f.Result, f.Detail = Unknown, "KMS key "+key+": its manager needs kms:DescribeKey"
			}
		default:
			continue
		}
		out = append(out, f)
	}
	return out
}

func writeTable(w *bufio.Writer, findings []Finding, drift []propertyDrift, repositories int, withTemplate bool) {
	nameWidth, controlWidth := len("REPOSITORY"), len("CONTROL")
	var shown []Finding
	fails, unknowns, failing := 0, 0, map[string]bool{}
	for _, f := range findings {
		if f.Result == Pass {
			continue
		}
		if f.Result == Fail {
			fails++
			failing[f.Repository] = true
		} else {
			unknowns++
		}
		shown = append(shown, f)
		nameWidth = max(nameWidth, len(where(f)))
		controlWidth = max(controlWidth, len(f.Source+" "+f.ID))
	}
	if len(shown) == 0 {
		w.WriteString("Every control passes.\n")
	} else {
		row := func(a, b, c, d string) {
			fmt.Fprintf(w, "%-*s  %-*s  %-7s  %s\n", nameWidth, a, controlWidth, b, c, d)
		}
		row("REPOSITORY", "CONTROL", "RESULT", "REQUIREMENT: FOUND")
		for _, f := range shown {
			row(where(f), f.Source+" "+f.ID, f.Result, f.Requirement+": "+f.Detail)
		}
	}
	fmt.Fprintf(w, "\n%d repositories: %d failures in %d repositories or registry settings, %d unknown.\n", repositories, fails, len(failing), unknowns)
	if withTemplate {
		writeDrift(w, drift)
	}
}

func where(f Finding) string {
	if f.Repository == "" {
		return "(registry)"
	}
	return f.Repository
}

func writeJSON(w *bufio.Writer, findings []Finding, drift []propertyDrift, repositories int, withTemplate bool) {
	out := struct {
		Findings     []Finding       `json:"findings"`
		Drift        []propertyDrift `json:"drift,omitempty"`
		Repositories int             `json:"repositories"`
		Failures     int             `json:"failures"`
		At           string          `json:"at"`
	}{Findings: findings, Repositories: repositories, At: time.Now().UTC().Format(time.RFC3339)}
	if out.Findings == nil {
		out.Findings = []Finding{}
	}
	if withTemplate {
		out.Drift = drift
		if out.Drift == nil {
			out.Drift = []propertyDrift{}
		}
	}
	for _, f := range findings {
		if f.Result == Fail {
			out.Failures++
		}
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	w.Write(append(b, '\n'))
}
