package ecr

import (
	"fmt"
	"math"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// AddLifecycleRules implements Repository.
func (r *jsiiProxy_repository) AddLifecycleRules(rules ...lifecycle.Rule) {
	p := &validation.Collector{Package: "ecr", Path: *r.Node().Path()}
	if r.policy == nil {
		p.Add("AddLifecycleRules", nil, "the repository was created with NoLifecyclePolicy; drop it to add rules")
		p.PanicIfAny()
	}
	if len(rules) == 0 {
		return
	}
	all := slices.Concat(r.rules, rules)
	policy, err := lifecycle.NewPolicy(all...)
	if err != nil {
		p.Wrap("AddLifecycleRules", err)
		p.PanicIfAny()
	}
	r.rules, r.policy = all, policy
	r.applyPolicy()
}

// AddLifecycleRule accepts a rule in CDK's awsecr.LifecycleRule form, so code
// written for CDK's Repository keeps working: the rule is converted and
// added with AddLifecycleRules. (CDK's own method would be ignored, because
// this construct renders the lifecycle policy itself.)
func (r *jsiiProxy_repository) AddLifecycleRule(rule *awsecr.LifecycleRule) {
	converted, err := fromCDKRule(rule)
	if err != nil {
		p := &validation.Collector{Package: "ecr", Path: *r.Node().Path()}
		p.Add("AddLifecycleRule", nil, err.Error())
		p.PanicIfAny()
	}
	r.AddLifecycleRules(converted)
}

// fromCDKRule converts CDK's LifecycleRule, with CDK's defaults: tag status
// TAGGED when a tag list is given and ANY otherwise.
func fromCDKRule(rule *awsecr.LifecycleRule) (lifecycle.Rule, error) {
	if rule == nil {
		return lifecycle.Rule{}, fmt.Errorf("rule must not be nil")
	}
	out := lifecycle.Rule{Action: lifecycle.ActionExpire}
	if rule.Description != nil {
		out.Description = *rule.Description
	}
	if rule.RulePriority != nil {
		out.Priority = int(*rule.RulePriority)
	}
	out.TagPrefixes = derefAll(rule.TagPrefixList)
	out.TagPatterns = derefAll(rule.TagPatternList)
	switch rule.TagStatus {
	case awsecr.TagStatus_TAGGED:
		out.TagStatus = lifecycle.TagStatusTagged
	case awsecr.TagStatus_UNTAGGED:
		out.TagStatus = lifecycle.TagStatusUntagged
	case awsecr.TagStatus_ANY:
		out.TagStatus = lifecycle.TagStatusAny
	case "":
		out.TagStatus = lifecycle.TagStatusAny
		if out.TagPrefixes != nil || out.TagPatterns != nil {
			out.TagStatus = lifecycle.TagStatusTagged
		}
	default:
		return out, fmt.Errorf("TagStatus %q must be TAGGED, UNTAGGED or ANY", rule.TagStatus)
	}
	switch {
	case (rule.MaxImageAge == nil) == (rule.MaxImageCount == nil):
		return out, fmt.Errorf("exactly one of MaxImageAge and MaxImageCount must be given")
	case rule.MaxImageCount != nil:
		out.CountType = lifecycle.CountTypeImageCountMoreThan
		n := *rule.MaxImageCount
		if n != math.Trunc(n) {
			return out, fmt.Errorf("MaxImageCount %v must be a whole number", n)
		}
		out.CountNumber = int(n)
	default:
		out.CountType = lifecycle.CountTypeSinceImagePushed
		days := *rule.MaxImageAge.ToDays(&awscdk.TimeConversionOptions{Integral: jsii.Bool(false)})
		if days != math.Trunc(days) {
			return out, fmt.Errorf("MaxImageAge %s must be a whole number of days", *rule.MaxImageAge.ToHumanString())
		}
		out.CountNumber = int(days)
	}
	return out, nil
}

// derefAll converts a jsii string list, keeping nil as nil.
func derefAll(list *[]*string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, 0, len(*list))
	for _, s := range *list {
		if s != nil {
			out = append(out, *s)
		}
	}
	return out
}
