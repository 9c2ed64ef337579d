// Package nag records cdk-nag rule suppressions as plain CloudFormation
// metadata, in the format cdk-nag reads (Metadata.cdk_nag.rules_to_suppress),
// so constructs and apps can document their exceptions without depending on
// cdk-nag. Teams that run cdk-nag see the suppressions honoured; teams that
// don't get a template that says why each exception exists.
package nag

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// MinReasonLength is the shortest reason cdk-nag accepts; a shorter one
// fails synthesis when cdk-nag runs.
const MinReasonLength = 10

// metadataKey is the CloudFormation metadata key cdk-nag reads.
const metadataKey = "cdk_nag"

// Suppression is one cdk-nag rule suppression.
type Suppression struct {
	// ID is the rule, such as "AwsSolutions-IAM5". Required.
	ID string
	// Reason says why the finding is acceptable: at least 10 characters.
	// Required.
	Reason string
	// AppliesTo limits the suppression to these findings, such as
	// "Resource::*". Default: every finding of the rule.
	AppliesTo []string
}

// ruleID is the form of a cdk-nag rule id: a pack name, a dash and the rule.
var ruleID = regexp.MustCompile(`^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+$`)

// Suppress records the suppressions on every CloudFormation resource in
// scope's subtree: for an L2 construct such as an IAM role, that is its own
// resource and its children's (the role's DefaultPolicy, where cdk-nag
// reports IAM5). Suppressions already there are kept; duplicates are dropped.
//
// It panics with validation.Errors, one line for each problem, before
// touching the tree, when a suppression has no rule id or a reason shorter
// than 10 characters, or when scope holds no CloudFormation resource.
func Suppress(scope constructs.IConstruct, suppressions ...Suppression) {
	problems := validation.Collector{Package: "nag", Path: *scope.Node().Path()}
	for _, s := range suppressions {
		s.check(&problems)
	}
	problems.PanicIfAny()
	var resources []awscdk.CfnResource
	for _, c := range *scope.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		if r, ok := c.(awscdk.CfnResource); ok && *awscdk.CfnResource_IsCfnResource(c) {
			resources = append(resources, r)
		}
	}
	if len(resources) == 0 {
		problems.Add("scope", nil, "holds no CloudFormation resource to suppress findings on")
		problems.PanicIfAny()
	}
	for _, r := range resources {
		merge(r, suppressions)
	}
}

// check records what cdk-nag would refuse.
func (s Suppression) check(p *validation.Collector) {
	switch {
	case !ruleID.MatchString(s.ID):
		p.Add("Suppression.ID", s.ID, `must be a cdk-nag rule id such as "AwsSolutions-IAM5"`)
	case len(strings.TrimSpace(s.Reason)) < MinReasonLength:
		p.Add("Suppression.Reason", s.Reason, fmt.Sprintf("must explain the %s exception in at least %d characters", s.ID, MinReasonLength))
	}
	if slices.Contains(s.AppliesTo, "") {
		p.Add("Suppression.AppliesTo", s.AppliesTo, fmt.Sprintf("of the %s suppression must not contain an empty finding", s.ID))
	}
}

// merge adds the suppressions to the resource's cdk_nag metadata. A
// suppression of findings already suppressed adds its reason to the
// existing one (so two grants that each need the same exception both say
// why), unless that reason is already there.
func merge(r awscdk.CfnResource, suppressions []Suppression) {
	var rules []any
	if existing, ok := r.GetMetadata(jsii.String(metadataKey)).(map[string]any); ok {
		if list, ok := existing["rules_to_suppress"].([]any); ok {
			rules = list
		}
	}
	for _, s := range suppressions {
		rule := map[string]any{"id": s.ID, "reason": s.Reason}
		if len(s.AppliesTo) > 0 {
			applies := make([]any, len(s.AppliesTo))
			for i, a := range s.AppliesTo {
				applies[i] = a
			}
			rule["applies_to"] = applies
		}
		i := slices.IndexFunc(rules, func(have any) bool { return sameFindings(have, rule) })
		if i < 0 {
			rules = append(rules, rule)
			continue
		}
		have := rules[i].(map[string]any)
		if reason, _ := have["reason"].(string); !slices.Contains(strings.Split(reason, reasonSeparator), s.Reason) {
			have["reason"] = reason + reasonSeparator + s.Reason
		}
	}
	r.AddMetadata(jsii.String(metadataKey), map[string]any{"rules_to_suppress": rules})
}

// reasonSeparator joins the reasons of suppressions of the same findings.
const reasonSeparator = "; "

// sameFindings reports whether two suppressions cover the same findings of
// the same rule.
func sameFindings(a any, b map[string]any) bool {
	am, ok := a.(map[string]any)
	return ok && am["id"] == b["id"] && fmt.Sprint(am["applies_to"]) == fmt.Sprint(b["applies_to"])
}
