package compliance

import (
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// ruleNamespace is the prefix aws-cdk-lib 2.277 gives the rules of a
// CloudFormationValidatePlugin in an acknowledgement's id: the plugin's
// name, "CloudFormation Validate", with its spaces as dashes. An id without
// it is taken for an annotation's and waives nothing of this pack.
const ruleNamespace = "CloudFormation-Validate::"

// Acknowledgment returns the acknowledgement of one of the pack's rules,
// such as "SECURITYHUB_ECR_2", with the reason it is broken on purpose, for
// awscdk.Validations_Of(construct).Acknowledge or
// ecr.RepositoryProps.Acknowledgments.
//
// In aws-cdk-lib 2.277 an acknowledgement is scoped: it waives the rule's
// findings for the construct it is made on and the constructs below it, and
// for no other. The same rule still fails synthesis for every other
// repository of the app. Waived findings stay in the validation report
// (under suppressedViolations, with the reason).
//
// It refuses, by panicking with validation.Errors, a rule the pack doesn't
// have (see [Controls]) and an empty reason.
func Acknowledgment(rule, reason string) *awscdk.Acknowledgment {
	p := validation.Collector{Package: "compliance", Path: "Acknowledgment"}
	var rules []string
	for _, c := range Controls(LevelStrict) {
		rules = append(rules, c.Rule)
	}
	if !slices.Contains(rules, rule) {
		p.Add("rule", rule, "must be a rule of the pack: "+strings.Join(rules, ", "))
	}
	if strings.TrimSpace(reason) == "" {
		p.Add("reason", reason, "must say why the rule is broken on purpose")
	}
	p.PanicIfAny()
	return &awscdk.Acknowledgment{Id: jsii.String(ruleNamespace + rule), Reason: jsii.String(reason)}
}
