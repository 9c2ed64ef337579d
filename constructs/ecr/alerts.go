package ecr

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/construct"
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

// ScanFindingsOptions configures [OnScanFindings] and
// [Repository.OnScanFindings]. The embedded
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

// ImageActionOptions configures [OnImagePushed] and [OnImageDeleted], and
// the Repository methods of the same names. The embedded
// awsevents.OnEventOptions are CDK's own rule options (Target, RuleName,
// Description, an extra EventPattern, CrossStackScope); Description
// defaults to one naming the repository and the action.
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

// OnScanFindings implements Repository: it is [OnScanFindings] on the
// repository.
func (r *jsiiProxy_repository) OnScanFindings(id *string, opts *ScanFindingsOptions) awsevents.Rule {
	return OnScanFindings(r, id, opts)
}

// OnImagePushed implements Repository: it is [OnImagePushed] on the
// repository.
func (r *jsiiProxy_repository) OnImagePushed(id *string, opts *ImageActionOptions) awsevents.Rule {
	return OnImagePushed(r, id, opts)
}

// OnImageDeleted implements Repository: it is [OnImageDeleted] on the
// repository.
func (r *jsiiProxy_repository) OnImageDeleted(id *string, opts *ImageActionOptions) awsevents.Rule {
	return OnImageDeleted(r, id, opts)
}

// OnScanFindings returns an EventBridge rule, a child of repo, that fires
// only when an image scan of repo finds vulnerabilities at or above
// opts.MinimumSeverity (default HIGH), for basic scanning or, with
// Enhanced, Amazon Inspector's enhanced scanning; optionally only for some
// image tags. Unlike CDK's OnImageScanCompleted it stays silent for clean
// scans.
//
// repo is any awsecr.IRepository: a [Repository], CDK's awsecr.Repository,
// or an import ([FromRepositoryName], awsecr.Repository_FromRepositoryArn,
// ...). The rule receives the events of its stack's account and Region:
// for a repository of another account, its events must be sent to this
// account's bus. Repository.OnScanFindings is this function. For many
// repositories, one [OnRegistryScanFindings] rule replaces one rule each.
//
// nil opts means all defaults. It panics with [validation.Errors] for a nil
// repo, an empty or taken id, or invalid options, before anything is added to
// the construct tree.
func OnScanFindings(repo awsecr.IRepository, id *string, opts *ScanFindingsOptions) awsevents.Rule {
	scope, p := repositoryProblems(repo, "OnScanFindings", id)
	if opts == nil {
		opts = &ScanFindingsOptions{}
	}
	s := checkScanFindings(opts, p)
	p.PanicIfAny()
	// Only the one the pattern needs: each is a call into the jsii runtime.
	var w watched
	if s.enhanced {
		w.arn = []any{repo.RepositoryArn()}
	} else {
		w.name = []any{repo.RepositoryName()}
	}
	rule := newRule(scope, id, s.pattern(w), &opts.OnEventOptions, fmt.Sprintf("%s %s", *scope.Node().Path(), s.description()))
	warnIfElsewhere(repo, rule)
	return rule
}

// OnImagePushed returns an EventBridge rule, a child of repo, that fires when
// an image push to repo succeeds ("ECR Image Action" PUSH), optionally only
// for some tags. repo is any awsecr.IRepository, as in [OnScanFindings];
// Repository.OnImagePushed is this function. nil opts means every successful
// push. It panics with [validation.Errors] for a nil repo, an empty or taken
// id, or invalid options.
func OnImagePushed(repo awsecr.IRepository, id *string, opts *ImageActionOptions) awsevents.Rule {
	return onImageAction(repo, "OnImagePushed", id, imagePushed, opts)
}

// OnImageDeleted returns an EventBridge rule, a child of repo, that fires
// when an image is deleted from repo ("ECR Image Action" DELETE), optionally
// only for some tags. repo is any awsecr.IRepository, as in [OnScanFindings];
// Repository.OnImageDeleted is this function. nil opts means every deletion.
// It panics with [validation.Errors] for a nil repo, an empty or taken id, or
// invalid options.
func OnImageDeleted(repo awsecr.IRepository, id *string, opts *ImageActionOptions) awsevents.Rule {
	return onImageAction(repo, "OnImageDeleted", id, imageDeleted, opts)
}

// onImageAction builds a repository's rule on successful "ECR Image Action"
// events.
func onImageAction(repo awsecr.IRepository, function string, id *string, action imageAction, opts *ImageActionOptions) awsevents.Rule {
	scope, p := repositoryProblems(repo, function, id)
	if opts == nil {
		opts = &ImageActionOptions{}
	}
	checkRuleOptions(opts.ImageTags, opts.RuleName, p)
	p.PanicIfAny()
	rule := newRule(scope, id, action.pattern(watched{name: []any{repo.RepositoryName()}}, opts.ImageTags),
		&opts.OnEventOptions, action.description(*scope.Node().Path()))
	warnIfElsewhere(repo, rule)
	return rule
}

// warnIfElsewhere warns, on the rule, when the repository is known to be
// in another account or Region than the rule's stack: ECR sends a
// repository's events to the default event bus of the repository's own
// account and Region (the ECR User Guide, "Amazon ECR events and
// EventBridge"), so the rule fires only if they are forwarded to it. An
// environment that is a token (an environment-agnostic stack) can't be
// compared, and isn't.
func warnIfElsewhere(repo awsecr.IRepository, rule awsevents.Rule) {
	env := repo.Env()
	stack := awscdk.Stack_Of(rule)
	repoAccount, repoRegion, account, region := *env.Account, *env.Region, *stack.Account(), *stack.Region()
	if !check.Known(repoAccount) || !check.Known(repoRegion) || !check.Known(account) || !check.Known(region) ||
		(repoAccount == account && repoRegion == region) {
		return
	}
	awscdk.Annotations_Of(rule).AddWarningV2(jsii.String("@secure-ecr/ecr-cdk-go:alertElsewhere"), jsii.String(fmt.Sprintf(
		"the repository is in account %s, Region %s, and this rule in account %s, Region %s: ECR sends a repository's events to the default event bus of its own account and Region, so the rule fires only if they reach this bus; create the alert in a stack of that account and Region, or forward the events from there with an EventBridge rule whose target is this account's event bus",
		repoAccount, repoRegion, account, region)), nil)
}

// repositoryProblems returns repo as the scope of its rules and a
// collector for its path, having recorded a nil repo, one that is not a
// construct, and an empty or taken id. function names the call in messages
// when there is no repository to name.
func repositoryProblems(repo awsecr.IRepository, function string, id *string) (constructs.Construct, *validation.Collector) {
	scope, _ := repo.(constructs.Construct)
	if scope == nil {
		p := &validation.Collector{Package: "ecr", Path: function}
		if repo == nil {
			p.Add("repo", nil, "must not be nil")
		} else {
			p.Add("repo", fmt.Sprintf("%T", repo), "must be a construct, such as a Repository, an awsecr.Repository or an import, to hold the rule")
		}
		return nil, p
	}
	p := &validation.Collector{Package: "ecr", Path: *scope.Node().Path()}
	construct.CheckID(scope, id, p)
	return scope, p
}

// scanFindings is what valid ScanFindingsOptions ask for.
type scanFindings struct {
	minimum  Severity
	enhanced bool
	tags     []string
}

// checkScanFindings records the problems of the options of a scan findings
// rule, for a repository or a registry, and returns what they ask for.
func checkScanFindings(opts *ScanFindingsOptions, p *validation.Collector) scanFindings {
	minimum := construct.OrDefault(opts.MinimumSeverity, SeverityHigh)
	if !slices.Contains(minimum.Values(), minimum) {
		p.Add("MinimumSeverity", string(minimum), "must be "+validation.OneOf(minimum.Values()))
	}
	checkRuleOptions(opts.ImageTags, opts.RuleName, p)
	return scanFindings{minimum: minimum, enhanced: opts.Enhanced != nil && *opts.Enhanced, tags: opts.ImageTags}
}

// watched is which repositories a rule watches, as matchers of an event's
// detail.repository-name: by name in ECR's events, by ARN in Inspector's. A
// nil list watches every repository.
type watched struct {
	name, arn []any
	// account, when set, limits the rule to the events of one account.
	account *string
}

// kind names the scanning the rule listens to, for descriptions.
func (s scanFindings) kind() string {
	if s.enhanced {
		return "enhanced"
	}
	return "basic"
}

// description ends the rule's default description, after what it watches.
func (s scanFindings) description() string {
	return fmt.Sprintf("%s scanning finds vulnerabilities of severity %s or higher", s.kind(), s.minimum)
}

// pattern returns the event pattern of a scan findings rule on the
// repositories w.
func (s scanFindings) pattern(w watched) *awsevents.EventPattern {
	// A severity counts only when its number is above zero: basic scanning
	// leaves zero counts out, Inspector may list them as 0.
	var atLeast []any
	for _, sev := range s.minimum.Values()[:slices.Index(s.minimum.Values(), s.minimum)+1] {
		atLeast = append(atLeast, map[string]any{"finding-severity-counts": map[string]any{string(sev): []any{map[string]any{"numeric": []any{">", 0}}}}})
	}
	detail := map[string]any{}
	if len(atLeast) == 1 {
		detail = atLeast[0].(map[string]any)
	} else {
		detail["$or"] = atLeast
	}
	if tags := tagMatchers(s.tags); tags != nil {
		detail["image-tags"] = tags
	}
	pattern := &awsevents.EventPattern{Detail: &detail}
	if s.enhanced {
		pattern.Source = jsii.Strings("aws.inspector2")
		pattern.DetailType = jsii.Strings("Inspector2 Scan")
		if w.arn != nil {
			detail["repository-name"] = w.arn
		}
	} else {
		pattern.Source = jsii.Strings("aws.ecr")
		pattern.DetailType = jsii.Strings("ECR Image Scan")
		if w.name != nil {
			detail["repository-name"] = w.name
		}
		detail["scan-status"] = []any{"COMPLETE"}
	}
	if w.account != nil {
		pattern.Account = &[]*string{w.account}
	}
	return pattern
}

// imageAction is an "ECR Image Action" a rule listens to.
type imageAction struct {
	action, what string // action-type, and what happens for descriptions
}

var (
	imagePushed  = imageAction{"PUSH", "an image is pushed to"}
	imageDeleted = imageAction{"DELETE", "an image is deleted from"}
)

// description is the rule's default description, for the repositories
// named by where.
func (a imageAction) description(where string) string {
	return fmt.Sprintf("Fires when %s %s", a.what, where)
}

// pattern returns the event pattern of successful actions on the
// repositories w, for images with one of the tags (any image for none).
func (a imageAction) pattern(w watched, tags []string) *awsevents.EventPattern {
	detail := map[string]any{
		"action-type": []any{a.action},
		"result":      []any{"SUCCESS"},
	}
	if w.name != nil {
		detail["repository-name"] = w.name
	}
	if tags := tagMatchers(tags); tags != nil {
		detail["image-tag"] = tags
	}
	pattern := &awsevents.EventPattern{
		Source:     jsii.Strings("aws.ecr"),
		DetailType: jsii.Strings("ECR Image Action"),
		Detail:     &detail,
	}
	if w.account != nil {
		pattern.Account = &[]*string{w.account}
	}
	return pattern
}

// newRule creates the EventBridge rule under scope, with CDK's rule
// options: the pattern given is merged into the rule's, as CDK's own
// OnEvent does.
func newRule(scope constructs.Construct, id *string, pattern *awsevents.EventPattern, opts *awsevents.OnEventOptions, defaultDescription string) awsevents.Rule {
	description := opts.Description
	if description == nil {
		description = jsii.String(defaultDescription)
	}
	var targets *[]awsevents.IRuleTarget
	if opts.Target != nil {
		targets = &[]awsevents.IRuleTarget{opts.Target}
	}
	rule := awsevents.NewRule(scope, id, &awsevents.RuleProps{
		EventPattern:    pattern,
		RuleName:        opts.RuleName,
		Description:     description,
		Targets:         targets,
		CrossStackScope: opts.CrossStackScope,
	})
	if opts.EventPattern != nil {
		rule.AddEventPattern(opts.EventPattern)
	}
	awscdk.Aspects_Of(rule).Add(&targetCheck{rule: rule}, nil)
	return rule
}

// targetCheck warns, at synthesis, about an alert rule that has no target
// then (none given in the options, none added with AddTarget): it matches
// events and does nothing with them. An aspect, so that targets added
// after the rule was made count.
type targetCheck struct{ rule awsevents.Rule }

// Visit implements awscdk.IAspect; it looks at the rule's resource once.
func (c *targetCheck) Visit(node constructs.IConstruct) {
	cfn, ok := node.(awsevents.CfnRule)
	if !ok {
		return
	}
	targets, _ := awscdk.Stack_Of(cfn).Resolve(cfn.Targets()).([]any)
	if len(targets) > 0 {
		return
	}
	awscdk.Annotations_Of(c.rule).AddWarningV2(jsii.String("@secure-ecr/ecr-cdk-go:alertWithoutTarget"), jsii.String(
		"the alert rule has no target, so it matches events and does nothing with them; give OnEventOptions.Target (an SNS topic, a Lambda function, ...) or call AddTarget on the rule"), nil)
}

// checkRuleOptions records invalid tag filters and rule names.
func checkRuleOptions(tags []string, name *string, p *validation.Collector) {
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
