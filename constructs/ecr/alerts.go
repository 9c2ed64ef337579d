package ecr

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/construct"
)

// Severity is a vulnerability severity as scan findings report it.
type Severity string

const (
	SeverityCritical Severity = "CRITICAL" // critical findings only
	SeverityHigh     Severity = "HIGH"     // high or critical
	SeverityMedium   Severity = "MEDIUM"   // medium, high or critical
	SeverityLow      Severity = "LOW"      // low and above
)

// Values returns every severity a threshold can name, from the highest
// down.
func (Severity) Values() []Severity {
	return []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow}
}

// ScanFindingsOptions configures [Repository.OnScanFindings]. The embedded
// awsevents.OnEventOptions are CDK's own rule options, as in
// Repository.OnEvent: Target, RuleName, Description, an EventPattern that is
// merged into the rule's own (to narrow it further), and CrossStackScope.
type ScanFindingsOptions struct {
	awsevents.OnEventOptions
	// MinimumSeverity makes the rule fire when a scan finds at least one
	// vulnerability of this severity or a higher one.
	// Default: SeverityHigh (HIGH or CRITICAL findings).
	MinimumSeverity Severity
	// Enhanced listens to Amazon Inspector's enhanced scanning ("Inspector2
	// Scan" events, which name the repository by its ARN) instead of basic
	// scanning ("ECR Image Scan"). Inspector's scan events may list only the
	// CRITICAL, HIGH and MEDIUM counts, so a LOW threshold can miss images
	// whose findings are all LOW.
	// Default: false, basic scanning.
	Enhanced *bool
	// ImageTags limits the rule to images carrying one of these tags; "*" is
	// a wildcard ("release-*").
	// Default: every image.
	ImageTags []string
}

// ImageActionOptions configures [Repository.OnImagePushed] and
// [Repository.OnImageDeleted]. The embedded awsevents.OnEventOptions are
// CDK's own rule options (Target, RuleName, Description, an extra
// EventPattern, CrossStackScope); Description defaults to one naming the
// repository and the action.
type ImageActionOptions struct {
	awsevents.OnEventOptions
	// ImageTags limits the rule to events for one of these tags; "*" is a
	// wildcard ("release-*").
	// Default: every image.
	ImageTags []string
}

var (
	ruleNamePattern  = regexp.MustCompile(`^[.\-_A-Za-z0-9]{1,64}$`)
	tagFilterPattern = regexp.MustCompile(`^[A-Za-z0-9_.*-]{1,128}$`)
)

// OnScanFindings implements Repository.
func (r *jsiiProxy_repository) OnScanFindings(id *string, opts *ScanFindingsOptions) awsevents.Rule {
	if opts == nil {
		opts = &ScanFindingsOptions{}
	}
	p := newProblems(*r.Node().Path())
	construct.CheckID(r, id, p)
	minimum := construct.OrDefault(opts.MinimumSeverity, SeverityHigh)
	if !slices.Contains(minimum.Values(), minimum) {
		p.Add("MinimumSeverity", string(minimum), "must be "+validation.OneOf(minimum.Values()))
	}
	checkRuleOptions(opts.ImageTags, opts.RuleName, p)
	p.PanicIfAny()

	enhanced := opts.Enhanced != nil && *opts.Enhanced
	// A severity counts only when its number is above zero: basic scanning
	// leaves zero counts out, Inspector may list them as 0.
	var atLeast []any
	for _, s := range minimum.Values()[:slices.Index(minimum.Values(), minimum)+1] {
		atLeast = append(atLeast, map[string]any{"finding-severity-counts": map[string]any{string(s): []any{map[string]any{"numeric": []any{">", 0}}}}})
	}
	detail := map[string]any{}
	if len(atLeast) == 1 {
		detail = atLeast[0].(map[string]any)
	} else {
		detail["$or"] = atLeast
	}
	if tags := tagMatchers(opts.ImageTags); tags != nil {
		detail["image-tags"] = tags
	}
	pattern := &awsevents.EventPattern{Detail: &detail}
	kind := "basic"
	if enhanced {
		kind = "enhanced"
		pattern.Source = jsii.Strings("aws.inspector2")
		pattern.DetailType = jsii.Strings("Inspector2 Scan")
		detail["repository-name"] = []any{r.RepositoryArn()}
	} else {
		pattern.Source = jsii.Strings("aws.ecr")
		pattern.DetailType = jsii.Strings("ECR Image Scan")
		detail["repository-name"] = []any{r.RepositoryName()}
		detail["scan-status"] = []any{"COMPLETE"}
	}
	description := fmt.Sprintf("%s %s scanning finds vulnerabilities of severity %s or higher", *r.Node().Path(), kind, minimum)
	return r.newRule(id, pattern, &opts.OnEventOptions, description)
}

// OnImagePushed implements Repository.
func (r *jsiiProxy_repository) OnImagePushed(id *string, opts *ImageActionOptions) awsevents.Rule {
	return r.onImageAction(id, "PUSH", "an image is pushed to", opts)
}

// OnImageDeleted implements Repository.
func (r *jsiiProxy_repository) OnImageDeleted(id *string, opts *ImageActionOptions) awsevents.Rule {
	return r.onImageAction(id, "DELETE", "an image is deleted from", opts)
}

// onImageAction builds a rule on successful "ECR Image Action" events.
func (r *jsiiProxy_repository) onImageAction(id *string, action, what string, opts *ImageActionOptions) awsevents.Rule {
	if opts == nil {
		opts = &ImageActionOptions{}
	}
	p := newProblems(*r.Node().Path())
	construct.CheckID(r, id, p)
	checkRuleOptions(opts.ImageTags, opts.RuleName, p)
	p.PanicIfAny()

	detail := map[string]any{
		"action-type":     []any{action},
		"result":          []any{"SUCCESS"},
		"repository-name": []any{r.RepositoryName()},
	}
	if tags := tagMatchers(opts.ImageTags); tags != nil {
		detail["image-tag"] = tags
	}
	pattern := &awsevents.EventPattern{
		Source:     jsii.Strings("aws.ecr"),
		DetailType: jsii.Strings("ECR Image Action"),
		Detail:     &detail,
	}
	return r.newRule(id, pattern, &opts.OnEventOptions, fmt.Sprintf("Fires when %s %s", what, *r.Node().Path()))
}

// newRule creates the EventBridge rule as a child of the repository, with
// CDK's rule options: the pattern given is merged into the rule's, as
// CDK's own OnEvent does.
func (r *jsiiProxy_repository) newRule(id *string, pattern *awsevents.EventPattern, opts *awsevents.OnEventOptions, defaultDescription string) awsevents.Rule {
	description := opts.Description
	if description == nil {
		description = jsii.String(defaultDescription)
	}
	var targets *[]awsevents.IRuleTarget
	if opts.Target != nil {
		targets = &[]awsevents.IRuleTarget{opts.Target}
	}
	rule := awsevents.NewRule(r, id, &awsevents.RuleProps{
		EventPattern:    pattern,
		RuleName:        opts.RuleName,
		Description:     description,
		Targets:         targets,
		CrossStackScope: opts.CrossStackScope,
	})
	if opts.EventPattern != nil {
		rule.AddEventPattern(opts.EventPattern)
	}
	return rule
}

// checkRuleOptions records invalid tag filters and rule names.
func checkRuleOptions(tags []string, name *string, p *problems) {
	for i, t := range tags {
		switch {
		case check.IsToken(t):
		case !tagFilterPattern.MatchString(t):
			p.Add("ImageTags["+strconv.Itoa(i)+"]", t, "must be 1 to 128 characters from A-Z a-z 0-9 _ . - and the * wildcard")
		case strings.Contains(t, "**"):
			p.Add("ImageTags["+strconv.Itoa(i)+"]", t, `must not hold "**": EventBridge wildcards take one "*" at a time`)
		}
	}
	if name != nil && !check.IsToken(*name) && !ruleNamePattern.MatchString(*name) {
		p.Add("RuleName", *name, "must be 1 to 64 characters from A-Z a-z 0-9 . - _")
	}
}

// tagMatchers turns tag filters into EventBridge matchers: a tag itself, a
// prefix for "release-*", a wildcard otherwise. nil for no filter.
func tagMatchers(tags []string) []any {
	var out []any
	for _, t := range tags {
		switch stars := strings.Count(t, "*"); {
		case stars == 0:
			out = append(out, t)
		case stars == 1 && strings.HasSuffix(t, "*"):
			out = append(out, map[string]any{"prefix": strings.TrimSuffix(t, "*")})
		default:
			out = append(out, map[string]any{"wildcard": t})
		}
	}
	return out
}
