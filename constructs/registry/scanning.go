package registry

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/check"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/construct"
)

// ScanType is a registry's scanning type.
type ScanType string

const (
	// ScanTypeBasic is ECR's own scanning of operating-system packages, on
	// push only; it costs nothing.
	ScanTypeBasic ScanType = "BASIC"
	// ScanTypeEnhanced is Amazon Inspector's scanning of operating-system
	// and language packages, on push or continuously. Inspector bills each
	// image scanned on push and each image scanned continuously, per month.
	ScanTypeEnhanced ScanType = "ENHANCED"
)

// Values returns every scan type.
func (ScanType) Values() []ScanType { return []ScanType{ScanTypeBasic, ScanTypeEnhanced} }

// ScanFrequency is when a scanning rule scans the images of the
// repositories it matches.
type ScanFrequency string

const (
	// ScanFrequencyOnPush scans each image when it is pushed.
	ScanFrequencyOnPush ScanFrequency = "SCAN_ON_PUSH"
	// ScanFrequencyContinuous (enhanced scanning only) scans on push and again
	// whenever Inspector learns of a new vulnerability; it lapses for
	// images not pushed (or pulled, per Inspector's re-scan duration) in 30
	// days by default.
	ScanFrequencyContinuous ScanFrequency = "CONTINUOUS_SCAN"
)

// Values returns every scan frequency CloudFormation accepts (the API's
// MANUAL is not among them).
func (ScanFrequency) Values() []ScanFrequency {
	return []ScanFrequency{ScanFrequencyOnPush, ScanFrequencyContinuous}
}

// ScanningRule scans the repositories whose names match its filters.
type ScanningRule struct {
	// Frequency of the scans.
	// Default: ScanFrequencyOnPush.
	Frequency ScanFrequency
	// RepositoryFilters are wildcard filters on repository names: "*"
	// matches any run of characters, and a filter without "*" matches any
	// name that contains it. 1 to 100 filters, each 1 to 255 characters
	// matching ^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$.
	// Default: ["*"], every repository.
	RepositoryFilters []string
}

// ScanningProps configures the registry's scanning: one
// AWS::ECR::RegistryScanningConfiguration per account and Region, which
// overrides every repository's own scan-on-push setting.
//
// Enhanced scanning costs money (Amazon Inspector's per-image prices) and
// enables Amazon Inspector's ECR scanning for the account. Deleting an
// ENHANCED configuration through CloudFormation (removing it from the stack,
// or deleting the stack) makes CloudFormation try to disable Amazon
// Inspector's ECR scanning account-wide (inspector2:Disable;
// cloudformation-coverage-roadmap #2516), which also stops the scanning any
// other team set up outside the stack. Switch back to BASIC before removing
// it, or keep the stack.
type ScanningProps struct {
	// ScanType is BASIC (free, on push) or ENHANCED (Amazon Inspector, paid).
	// With BASIC, repositories no rule matches can still be scanned manually;
	// with ENHANCED they are not scanned at all.
	// Default: ScanTypeBasic.
	ScanType ScanType
	// Rules are at most 2 rules, one per frequency; when both match a
	// repository, continuous scanning wins. BASIC takes only ScanFrequencyOnPush.
	// Default: one ScanFrequencyOnPush rule for every repository ("*"), which keeps
	// Security Hub ECR.1 satisfied for repositories no stack declares.
	Rules []ScanningRule
}

// scanFilterPattern is the schema's pattern for a scanning filter.
var scanFilterPattern = regexp.MustCompile(`^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$`)

// Limits of AWS::ECR::RegistryScanningConfiguration.
const (
	maxScanRules         = 2
	maxScanFilters       = 100
	maxScanFilterLength  = 255
	maxFilterListEntries = 100
)

// scanning is the checked, defaulted scanning configuration.
type scanning struct {
	scanType ScanType
	rules    []ScanningRule
}

// checkScanning records every problem with the scanning props under field
// ("Scanning").
func checkScanning(props *ScanningProps, field string, p *validation.Collector) scanning {
	if props == nil {
		props = &ScanningProps{}
	}
	s := scanning{scanType: construct.OrDefault(props.ScanType, ScanTypeBasic), rules: props.Rules}
	if !slices.Contains(s.scanType.Values(), s.scanType) {
		p.Add(field+".ScanType", string(s.scanType), "must be "+validation.OneOf(s.scanType.Values()))
	}
	if s.rules == nil {
		s.rules = []ScanningRule{{}}
	}
	if len(s.rules) > maxScanRules {
		p.Add(field+".Rules", fmt.Sprintf("(%d rules)", len(s.rules)), fmt.Sprintf("a registry takes at most %d scanning rules, one per frequency", maxScanRules))
	}
	if len(s.rules) == 0 {
		p.Add(field+".Rules", "(0 rules)", "must hold at least one rule; to scan nothing, set NoScanning")
	}
	seen := map[ScanFrequency]bool{}
	for i, r := range s.rules {
		rf := field + ".Rules[" + strconv.Itoa(i) + "]"
		freq := construct.OrDefault(r.Frequency, ScanFrequencyOnPush)
		switch {
		case !slices.Contains(freq.Values(), freq):
			p.Add(rf+".Frequency", string(freq), "must be "+validation.OneOf(freq.Values()))
		case s.scanType == ScanTypeBasic && freq != ScanFrequencyOnPush:
			p.Add(rf+".Frequency", string(freq), "BASIC scanning only scans on push; continuous scanning needs ScanType ENHANCED")
		case seen[freq]:
			p.Add(rf+".Frequency", string(freq), "another rule already has this frequency; put its filters in one rule")
		}
		seen[freq] = true
		checkWildcardFilters(rf+".RepositoryFilters", r.RepositoryFilters, maxScanFilterLength, p)
	}
	return s
}

// checkWildcardFilters records wildcard repository filters (scanning,
// signing) ECR would refuse.
func checkWildcardFilters(field string, filters []string, maxLength int, p *validation.Collector) {
	if len(filters) > maxFilterListEntries {
		p.Add(field, fmt.Sprintf("(%d filters)", len(filters)), fmt.Sprintf("takes at most %d filters", maxFilterListEntries))
	}
	for i, f := range filters {
		switch {
		case check.IsToken(f):
		case len(f) < 1 || len(f) > maxLength:
			p.Add(field+"["+strconv.Itoa(i)+"]", f, fmt.Sprintf("must be 1 to %d characters long, not %d", maxLength, len(f)))
		case !scanFilterPattern.MatchString(f):
			p.Add(field+"["+strconv.Itoa(i)+"]", f, "must be lowercase letters, digits, . _ - / and the * wildcard, starting and ending with a letter, digit or *, matching "+scanFilterPattern.String())
		case slices.Index(filters, f) < i:
			p.Add(field+"["+strconv.Itoa(i)+"]", f, "is listed twice")
		}
	}
}

// cfnProps renders the scanning configuration.
func (s scanning) cfnProps() *awsecr.CfnRegistryScanningConfigurationProps {
	rules := make([]any, len(s.rules))
	for i, r := range s.rules {
		filters := r.RepositoryFilters
		if len(filters) == 0 {
			filters = []string{"*"}
		}
		list := make([]any, len(filters))
		for j, f := range filters {
			list[j] = &awsecr.CfnRegistryScanningConfiguration_RepositoryFilterProperty{Filter: jsii.String(f), FilterType: jsii.String("WILDCARD")}
		}
		rules[i] = &awsecr.CfnRegistryScanningConfiguration_ScanningRuleProperty{
			ScanFrequency:     jsii.String(string(construct.OrDefault(r.Frequency, ScanFrequencyOnPush))),
			RepositoryFilters: list,
		}
	}
	return &awsecr.CfnRegistryScanningConfigurationProps{ScanType: jsii.String(string(s.scanType)), Rules: rules}
}
