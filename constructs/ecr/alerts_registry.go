package ecr

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/construct"
)

// RegistryScanFindingsOptions configures [OnRegistryScanFindings]: the
// options of [ScanFindingsOptions], for every repository of the account or
// those whose names start with one of RepositoryPrefixes. The embedded
// awsevents.OnEventOptions are CDK's own rule options: Target, RuleName,
// Description, an EventPattern merged into the rule's own, and
// CrossStackScope.
type RegistryScanFindingsOptions struct {
	awsevents.OnEventOptions
	// RepositoryPrefixes limits the rule to repositories whose names start
	// with one of these prefixes ("team-a/", "shop-"), as EventBridge prefix
	// matching does: "team-a" also matches "team-ab/web", "team-a/" does
	// not. Each is 1 to 256 characters of repository names (a-z 0-9 . _ -
	// /), starting with a letter or digit.
	// Default: every repository of the account.
	RepositoryPrefixes []string
	// MinimumSeverity makes the rule fire when a scan finds at least one
	// vulnerability of this severity or a higher one.
	// Default: SeverityHigh (HIGH or CRITICAL findings).
	MinimumSeverity Severity
	// Enhanced listens to Amazon Inspector's enhanced scanning ("Inspector2
	// Scan" events, which name the repository by its ARN: prefixes then
	// match the ARN of the stack's account and Region,
	// arn:PARTITION:ecr:REGION:ACCOUNT:repository/PREFIX) instead of basic
	// scanning ("ECR Image Scan"). As in ScanFindingsOptions, a LOW
	// threshold can miss images whose findings are all LOW.
	// Default: false, basic scanning.
	Enhanced *bool
	// ImageTags limits the rule to images carrying one of these tags; "*" is
	// a wildcard ("release-*").
	// Default: every image.
	ImageTags []string
}

// RegistryImageActionOptions configures [OnRegistryImagePushed] and
// [OnRegistryImageDeleted]: the options of [ImageActionOptions], for every
// repository of the account or those whose names start with one of
// RepositoryPrefixes. The embedded awsevents.OnEventOptions are CDK's own
// rule options (Target, RuleName, Description, an extra EventPattern,
// CrossStackScope).
type RegistryImageActionOptions struct {
	awsevents.OnEventOptions
	// RepositoryPrefixes limits the rule to repositories whose names start
	// with one of these prefixes, as in RegistryScanFindingsOptions.
	// Default: every repository of the account.
	RepositoryPrefixes []string
	// ImageTags limits the rule to events for one of these tags; "*" is a
	// wildcard ("release-*").
	// Default: every image.
	ImageTags []string
}

// OnRegistryScanFindings returns one EventBridge rule, a child of scope,
// that fires when an image scan of any repository of the stack's account,
// or of any repository whose name starts with one of opts.RepositoryPrefixes,
// finds vulnerabilities at or above opts.MinimumSeverity (default HIGH):
// [OnScanFindings] for a whole registry. Basic scanning by default,
// Inspector's enhanced scanning with Enhanced.
//
// An event bus holds 300 rules by default, so one rule per repository and
// alert runs out at about 100 repositories with three alerts each; a
// registry rule is one rule for all of them, including repositories
// created later (by creation templates, pull-through cache or
// replication). The rule matches the events of the stack's account (the
// event's account field); an EventPattern with more accounts in the options
// adds them, as CDK merges lists.
//
// nil opts means all defaults. It panics with [validation.Errors] for a scope
// outside a stack, an empty or taken id, or invalid options, before anything
// is added to the construct tree.
func OnRegistryScanFindings(scope constructs.Construct, id *string, opts *RegistryScanFindingsOptions) awsevents.Rule {
	p := construct.ChildProblems("ecr", scope, id)
	if opts == nil {
		opts = &RegistryScanFindingsOptions{}
	}
	s := checkScanFindings(&ScanFindingsOptions{
		MinimumSeverity: opts.MinimumSeverity,
		Enhanced:        opts.Enhanced,
		ImageTags:       opts.ImageTags,
		OnEventOptions:  opts.OnEventOptions,
	}, p)
	checkRepositoryPrefixes(opts.RepositoryPrefixes, p)
	p.PanicIfAny()
	w, where := registryWatched(scope, opts.RepositoryPrefixes)
	description := fmt.Sprintf("Any repository %s: %s", where, s.description())
	return newRule(scope, id, s.pattern(w), &opts.OnEventOptions, description)
}

// OnRegistryImagePushed returns one EventBridge rule, a child of scope,
// that fires when an image push succeeds to any repository of the stack's
// account, or to one whose name starts with one of opts.RepositoryPrefixes,
// optionally only for some tags: [OnImagePushed] for a whole registry, as
// [OnRegistryScanFindings] is for scans. nil opts means every successful
// push. It panics with [validation.Errors] like OnRegistryScanFindings.
func OnRegistryImagePushed(scope constructs.Construct, id *string, opts *RegistryImageActionOptions) awsevents.Rule {
	return onRegistryImageAction(scope, id, imagePushed, opts)
}

// OnRegistryImageDeleted returns one EventBridge rule, a child of scope,
// that fires when an image is deleted from any repository of the stack's
// account, or from one whose name starts with one of
// opts.RepositoryPrefixes, optionally only for some tags: [OnImageDeleted]
// for a whole registry. nil opts means every deletion. It panics with
// [validation.Errors] like OnRegistryScanFindings.
func OnRegistryImageDeleted(scope constructs.Construct, id *string, opts *RegistryImageActionOptions) awsevents.Rule {
	return onRegistryImageAction(scope, id, imageDeleted, opts)
}

// onRegistryImageAction builds a registry's rule on successful "ECR Image
// Action" events.
func onRegistryImageAction(scope constructs.Construct, id *string, action imageAction, opts *RegistryImageActionOptions) awsevents.Rule {
	p := construct.ChildProblems("ecr", scope, id)
	if opts == nil {
		opts = &RegistryImageActionOptions{}
	}
	checkRuleOptions(opts.ImageTags, opts.RuleName, p)
	checkRepositoryPrefixes(opts.RepositoryPrefixes, p)
	p.PanicIfAny()
	w, where := registryWatched(scope, opts.RepositoryPrefixes)
	return newRule(scope, id, action.pattern(w, opts.ImageTags), &opts.OnEventOptions, action.description("a repository "+where))
}

// registryWatched returns the repositories of the stack's account that
// the prefixes name (all for none), and how descriptions say so.
func registryWatched(scope constructs.Construct, prefixes []string) (watched, string) {
	stack := awscdk.Stack_Of(scope)
	w := watched{account: stack.Account()}
	if len(prefixes) == 0 {
		return w, "of the account"
	}
	for _, prefix := range prefixes {
		w.name = append(w.name, map[string]any{"prefix": prefix})
		// Inspector names the repository by ARN: the prefix of the ARN the
		// repository would have in the stack's account and Region.
		w.arn = append(w.arn, map[string]any{"prefix": stack.FormatArn(&awscdk.ArnComponents{
			Service:      jsii.String("ecr"),
			Resource:     jsii.String("repository"),
			ResourceName: jsii.String(prefix),
		})})
	}
	where := "named " + strings.Join(prefixes, "*, ") + "*"
	if len(where) > maxDescribedPrefixes {
		where = fmt.Sprintf("named %s* or under %d other prefixes", prefixes[0], len(prefixes)-1)
	}
	return w, where
}

// maxDescribedPrefixes is how long the list of prefixes in a default
// description may be: a rule's description takes at most 512 characters.
const maxDescribedPrefixes = 400

// repositoryPrefixPattern is what a prefix of repository names can be: the
// characters of repositoryNamePattern, starting as a name does. Whether a
// name can continue it (no ".." or "/-") is not checked here.
var repositoryPrefixPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._/-]*$`)

// checkRepositoryPrefixes records prefixes that no repository name could
// start with, by their characters and length, and prefixes given twice.
func checkRepositoryPrefixes(prefixes []string, p *validation.Collector) {
	seen := map[string]bool{}
	for i, prefix := range prefixes {
		field := "RepositoryPrefixes[" + strconv.Itoa(i) + "]"
		switch {
		case check.IsToken(prefix):
			continue
		case prefix == "":
			p.Add(field, prefix, "must not be empty; leave RepositoryPrefixes out for every repository")
		case len(prefix) > check.MaxNameLength:
			p.Add(field, prefix, fmt.Sprintf("must be at most %d characters, as repository names are, not %d", check.MaxNameLength, len(prefix)))
		case !repositoryPrefixPattern.MatchString(prefix):
			p.Add(field, prefix, "must start with a lowercase letter or digit and hold only a-z 0-9 . _ - /, as repository names do")
		case seen[prefix]:
			p.Add(field, prefix, "is given twice")
		}
		seen[prefix] = true
	}
}
