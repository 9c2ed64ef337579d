package lifecycle

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// Resource types whose lifecycle policies [ReadTemplate] finds.
const (
	// ResourceTypeRepository is a repository; its policy is
	// Properties.LifecyclePolicy.LifecyclePolicyText.
	ResourceTypeRepository = "AWS::ECR::Repository"
	// ResourceTypeRepositoryCreationTemplate is a repository creation
	// template; its policy is Properties.LifecyclePolicy.
	ResourceTypeRepositoryCreationTemplate = "AWS::ECR::RepositoryCreationTemplate"
)

// TemplatePolicy is one lifecycle policy of a synthesized CloudFormation
// template.
type TemplatePolicy struct {
	// LogicalID is the logical id of the resource that holds the policy.
	LogicalID string
	// Type is the resource's type: [ResourceTypeRepository] or
	// [ResourceTypeRepositoryCreationTemplate].
	Type string
	// Field is the path of the policy in the resource, such as
	// "Properties.LifecyclePolicy.LifecyclePolicyText".
	Field string
	// Text is the policy text; empty when Function is set.
	Text string
	// Function is, when the policy text is an unresolved CloudFormation
	// function such as {"Fn::Join": ...} or {"Ref": ...}, its name; the
	// text is then only known at deployment. Empty otherwise.
	Function string
	// RepositoryName is a repository's Properties.RepositoryName when it
	// is a string; empty when the template leaves the name to
	// CloudFormation or computes it, and for a repository creation template.
	RepositoryName string
}

// Parse parses the policy text as [Parse] does. Every problem's Path
// starts with the logical id: `ImagesRepo1234: rules[2] ("keep releases")`.
// A policy whose text is an unresolved CloudFormation function is refused
// as such, and a syntax error names its line and column in the policy text,
// in the message, since the text is a string inside the template.
func (tp TemplatePolicy) Parse() (*Policy, error) {
	if tp.Function != "" {
		return nil, Errors{&ValidationError{Package: "lifecycle", Path: tp.LogicalID, Field: tp.Field,
			Constraint: fmt.Sprintf("is an unresolved CloudFormation function (%s): its value is only known at deployment, so it can't be checked here", tp.Function)}}
	}
	policy, err := Parse([]byte(tp.Text))
	if err == nil {
		return policy, nil
	}
	problems := validation.List(err)
	out := make(Errors, len(problems))
	for i, e := range problems {
		c := *e
		if c.Path == "" {
			c.Path = tp.LogicalID
		} else {
			c.Path = tp.LogicalID + ": " + c.Path
		}
		if c.Line > 0 {
			if c.Field == "" {
				c.Field = tp.Field
			}
			c.Constraint = fmt.Sprintf("%s (at %d:%d of the policy text)", c.Constraint, c.Line, c.Column)
			c.Line, c.Column = 0, 0
		}
		out[i] = &c
	}
	return nil, out
}

// ReadTemplate returns the lifecycle policies of a synthesized
// CloudFormation template (JSON, as `cdk synth` writes it to cdk.out):
// each AWS::ECR::Repository's LifecyclePolicy.LifecyclePolicyText and each
// AWS::ECR::RepositoryCreationTemplate's LifecyclePolicy, in the order of
// their logical ids. Resources without a policy are left out, so the list
// may be empty. It refuses text that is not JSON (naming the line and
// column), a document that is not a CloudFormation template (no
// "Resources" object) and a policy that is neither a string nor a
// CloudFormation function, as [Errors].
func ReadTemplate(text []byte) ([]TemplatePolicy, error) {
	if e := syntaxError(text); e != nil {
		return nil, Errors{e}
	}
	templateError := func(path, field, constraint string) error {
		return Errors{&ValidationError{Package: "lifecycle", Path: path, Field: field, Constraint: constraint}}
	}
	var doc map[string]json.RawMessage
	if json.Unmarshal(text, &doc) != nil || doc == nil {
		return nil, templateError("", "", `must be a CloudFormation template, a JSON object with "Resources"`)
	}
	raw, ok := doc["Resources"]
	if !ok {
		return nil, templateError("", "", `is not a CloudFormation template: it has no "Resources"`)
	}
	var resources map[string]struct {
		Type       string                     `json:"Type"`
		Properties map[string]json.RawMessage `json:"Properties"`
	}
	if err := json.Unmarshal(raw, &resources); err != nil || resources == nil {
		return nil, templateError("", "Resources", "must be an object of resources, each with a Type")
	}
	var out []TemplatePolicy
	var problems Errors
	ids := make([]string, 0, len(resources))
	for id := range resources {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		r := resources[id]
		var value json.RawMessage
		tp := TemplatePolicy{LogicalID: id, Type: r.Type}
		switch r.Type {
		case ResourceTypeRepository:
			lp, ok := r.Properties["LifecyclePolicy"]
			if !ok {
				continue
			}
			var fields map[string]json.RawMessage
			if json.Unmarshal(lp, &fields) != nil || fields == nil {
				problems = append(problems, &ValidationError{Package: "lifecycle", Path: id, Field: "Properties.LifecyclePolicy", Value: string(snippet(lp)), Constraint: "must be an object"})
				continue
			}
			if value, ok = fields["LifecyclePolicyText"]; !ok {
				continue // only RegistryId
			}
			tp.Field = "Properties.LifecyclePolicy.LifecyclePolicyText"
			if name, ok := r.Properties["RepositoryName"]; ok {
				_ = json.Unmarshal(name, &tp.RepositoryName) // a function stays ""
			}
		case ResourceTypeRepositoryCreationTemplate:
			if value, ok = r.Properties["LifecyclePolicy"]; !ok {
				continue
			}
			tp.Field = "Properties.LifecyclePolicy"
		default:
			continue
		}
		if json.Unmarshal(value, &tp.Text) == nil {
			out = append(out, tp)
			continue
		}
		var fn map[string]json.RawMessage
		if json.Unmarshal(value, &fn) == nil && len(fn) == 1 {
			for name := range fn {
				if name == "Ref" || strings.HasPrefix(name, "Fn::") {
					tp.Function = name
				}
			}
		}
		if tp.Function == "" {
			problems = append(problems, &ValidationError{Package: "lifecycle", Path: id, Field: tp.Field, Value: string(snippet(value)),
				Constraint: "must be the policy text, a string, or a CloudFormation function"})
			continue
		}
		out = append(out, tp)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return out, nil
}
