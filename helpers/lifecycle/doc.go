// Package lifecycle models Amazon ECR lifecycle policies: every rule ECR
// accepts, the helpers that build the common ones, validation that mirrors
// ECR's own, deterministic rendering to the policy JSON that
// AWS::ECR::Repository's LifecyclePolicyText takes, and parsing of existing
// policies, from their text or from a synthesized CloudFormation template.
// Package preview (helpers/lifecycle/preview) computes, offline, what a
// policy would do to a repository's images.
//
// The package is plain Go: it does not start the jsii runtime, so the
// ecr-lifecycle command and tests that use it run instantly.
//
// # Rules and priorities
//
// A [Rule] is one entry of a policy's "rules" array. Its Priority is ECR's
// rulePriority; zero means automatic. [NewPolicy] numbers automatic rules in the
// order given, after the highest explicit priority, and always places a rule
// that selects any tag status after every other rule of its storage class, as
// ECR requires. Rules with explicit priorities are never renumbered.
//
// # Rule, Rules and Concat
//
// A policy is a []Rule, which NewPolicy takes as its arguments. Helpers that build
// several rules ([Protect], [KeepLastNTagged], the presets) return [Rules],
// a named []Rule, so that [Concat] can join single rules and rule lists in
// one call without append or a slice literal per helper:
// Concat(Protect("release-"), DeleteUntaggedAfterDays(14)). slices.Concat
// would need every argument to be a []Rule (Rules{DeleteUntaggedAfterDays(14)});
// append needs the "..." dance. [RuleSet] is the closed interface Concat
// takes, and nothing else: a Go user who prefers plain slices can ignore
// it, since Rules converts to []Rule and []Rule to Rules.
//
// # How ECR applies a policy
//
// ECR evaluates every rule against every image of the rule's storage class at
// the same time, then applies the results in priority order. An image is
// expired or archived by at most one rule, and an image whose tags match the
// selection of a rule can never be touched by a rule of lower priority (though
// it still counts towards that rule's imageCountMoreThan). [Protect] builds on
// that: ECR has no "keep" action, so protection is a high-priority rule that
// selects the protected tags and can never fire. preview.Evaluate computes
// the outcome offline from `aws ecr describe-images` output.
//
// # Problems
//
// [NewPolicy], [Parse] and [ReadTemplate] return every problem found as a
// validation.Errors (package helpers/validation), each a validation.Error,
// the one error type of the whole library: Package is "lifecycle", Path
// names the rule by its position in the list given (to NewPolicy, or in the
// policy's "rules" array for Parse) and its description, `rules[2] ("keep
// releases")` ([RuleName]), or is "policy" for the policy as a whole; Field
// is the field's path in ECR's policy JSON, such as "selection.countNumber";
// Value is the offending value as JSON. The problems come in the order of
// the rules given, those of the whole policy first.
package lifecycle
