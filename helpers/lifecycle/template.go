package lifecycle

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/cfn"
)

// Resource types whose lifecycle policies [ReadTemplate] finds.
const (
	// ResourceTypeRepository is a repository; its policy is
	// Properties.LifecyclePolicy.LifecyclePolicyText.
	ResourceTypeRepository = "AWS::ECR::Repository"
	// ResourceTypeRepositoryCreationTemplate is a repository creation
	// template; its policy is Properties.LifecyclePolicy.
	ResourceTypeRepositoryCreationTemplate = "AWS::ECR::RepositoryCreationTemplate"
	// ResourceTypeStackSet is a stack set; the policies of the template
	// it embeds, Properties.TemplateBody, are found too.
	ResourceTypeStackSet = "AWS::CloudFormation::StackSet"
	// ResourceTypeStack is a nested stack; [ReadTemplateWith] finds the
	// policies of its template when given a way to read it.
	ResourceTypeStack = "AWS::CloudFormation::Stack"
)

// NestedStack is an AWS::CloudFormation::Stack of a template: where its
// template is.
type NestedStack struct {
	// LogicalID is the nested stack's path from the template read, such as
	// "Outer/InnerNestedStackA1B2C3D4".
	LogicalID string
	// TemplateURL is Properties.TemplateURL when it is a string; empty
	// when it is a CloudFormation function, as CDK writes it.
	TemplateURL string
	// AssetPath is Metadata["aws:asset:path"]: the file of the cloud
	// assembly CDK wrote the nested template to, such as
	// "AppInnerA1B2C3D4.nested.template.json"; empty when not given.
	AssetPath string
}

// TemplatePolicy is one lifecycle policy of a synthesized CloudFormation
// template.
type TemplatePolicy struct {
	// LogicalID is the logical id of the resource that holds the policy;
	// inside a stack set's template or a nested stack's, its path from the
	// template read: "STACKSET_LOGICAL_ID/REPO_LOGICAL_ID".
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

// Parse parses the policy text as [Parse] does. Every problem's Path, and
// every finding's of the policy returned, starts with the logical id: `ImagesRepo1234: rules[2] ("keep releases")`.
// A policy whose text is an unresolved CloudFormation function is refused
// as such, and a syntax error names its line and column in the policy text,
// in the message, since the text is a string inside the template.
func (tp TemplatePolicy) Parse() (*Policy, error) {
	if tp.Function != "" {
		return nil, validation.Errors{&validation.Error{Package: "lifecycle", Path: tp.LogicalID, Field: tp.Field,
			Constraint: fmt.Sprintf("is an unresolved CloudFormation function (%s): its value is only known at deployment, so it can't be checked here", tp.Function)}}
	}
	policy, err := Parse([]byte(tp.Text))
	if err == nil {
		for i, f := range policy.findings { // named like problems
			c := *f.Problem
			c.Path = tp.LogicalID + ": " + c.Path
			policy.findings[i].Problem = &c
		}
		return policy, nil
	}
	problems := validation.List(err)
	out := make(validation.Errors, len(problems))
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
// CloudFormation function, as [validation.Errors].
//
// The policies of the template an AWS::CloudFormation::StackSet embeds
// (Properties.TemplateBody, a JSON string or object) are found too, their
// LogicalID prefixed with the stack set's: "StackSet1A2B/ImagesRepo3C4D".
// Nested stacks are followed by [ReadTemplateWith].
func ReadTemplate(text []byte) ([]TemplatePolicy, error) {
	return ReadTemplateWith(text, nil)
}

// ReadTemplateWith is [ReadTemplate] that also finds the policies of nested
// stacks (AWS::CloudFormation::Stack): open returns a nested stack's
// template, or nil and no error when it is not at hand (the stack is then
// left out); its error is reported as a problem of that stack. The nested
// stack's policies have its LogicalID as prefix, as a stack set's do.
func ReadTemplateWith(text []byte, open func(NestedStack) ([]byte, error)) ([]TemplatePolicy, error) {
	return readTemplateAt(text, "", open, 0)
}

// within prefixes problems found in an included template (a stack set's
// or a nested stack's) with the path of the resource that includes it; a
// place in its text goes into the message, as the place is not in the
// template read.
func within(err error, prefix, field, what string) validation.Errors {
	var out validation.Errors
	for _, e := range validation.List(err) {
		c := *e
		switch {
		case c.Path == "" && c.Field == "":
			c.Path, c.Field = prefix, field
		case c.Path == "":
			c.Path = prefix
		case !strings.HasPrefix(c.Path, prefix+"/"):
			c.Path = prefix + ": " + c.Path
		}
		if c.Line > 0 {
			c.Constraint = fmt.Sprintf("%s (at %d:%d of %s)", c.Constraint, c.Line, c.Column, what)
			c.Line, c.Column = 0, 0
		}
		out = append(out, &c)
	}
	return out
}

func readTemplateAt(text []byte, prefix string, open func(NestedStack) ([]byte, error), depth int) ([]TemplatePolicy, error) {
	if e := syntaxError(text); e != nil {
		return nil, validation.Errors{e}
	}
	templateError := func(path, field, constraint string) error {
		return validation.Errors{&validation.Error{Package: "lifecycle", Path: path, Field: field, Constraint: constraint}}
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
		Metadata   map[string]json.RawMessage `json:"Metadata"`
	}
	if err := json.Unmarshal(raw, &resources); err != nil || resources == nil {
		return nil, templateError("", "Resources", "must be an object of resources, each with a Type")
	}
	var out []TemplatePolicy
	var problems validation.Errors
	ids := make([]string, 0, len(resources))
	for id := range resources {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, local := range ids {
		r := resources[local]
		id := prefix + local
		var value json.RawMessage
		tp := TemplatePolicy{LogicalID: id, Type: r.Type}
		switch r.Type {
		case ResourceTypeStackSet, ResourceTypeStack:
			body, field, what := included(r.Type, r.Properties, r.Metadata, id, open)
			if body.err != nil {
				problems = append(problems, &validation.Error{Package: "lifecycle", Path: id, Field: field, Constraint: body.err.Error()})
				continue
			}
			if body.text == nil {
				continue
			}
			if depth >= cfn.MaxDepth {
				problems = append(problems, &validation.Error{Package: "lifecycle", Path: id, Field: field,
					Constraint: fmt.Sprintf("includes templates more than %d deep; is it including itself?", cfn.MaxDepth)})
				continue
			}
			inner, err := readTemplateAt(body.text, id+"/", open, depth+1)
			if err != nil {
				problems = append(problems, within(err, id, field, what)...)
				continue
			}
			out = append(out, inner...)
			continue
		case ResourceTypeRepository:
			lp, ok := r.Properties["LifecyclePolicy"]
			if !ok {
				continue
			}
			var fields map[string]json.RawMessage
			if json.Unmarshal(lp, &fields) != nil || fields == nil {
				problems = append(problems, &validation.Error{Package: "lifecycle", Path: id, Field: "Properties.LifecyclePolicy", Value: string(snippet(lp)), Constraint: "must be an object"})
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
		var decoded any
		if json.Unmarshal(value, &decoded) == nil {
			tp.Function = cfn.Function(decoded)
		}
		if tp.Function == "" {
			problems = append(problems, &validation.Error{Package: "lifecycle", Path: id, Field: tp.Field, Value: string(snippet(value)),
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

// includedText is the text of a template a resource includes; nil when
// there is none at hand.
type includedText struct {
	text []byte
	err  error
}

// included returns the template a stack set embeds or a nested stack
// points at, the field it is in, and how messages name its text.
func included(typ string, props, metadata map[string]json.RawMessage, id string, open func(NestedStack) ([]byte, error)) (includedText, string, string) {
	if typ == ResourceTypeStackSet {
		const field = "Properties.TemplateBody"
		raw, ok := props["TemplateBody"]
		if !ok {
			return includedText{}, field, ""
		}
		var body any
		_ = json.Unmarshal(raw, &body) // the template is valid JSON
		text, fn, err := cfn.TemplateBody(body)
		switch {
		case err != nil:
			return includedText{err: err}, field, ""
		case fn != "":
			return includedText{}, field, "" // only known at deployment
		}
		return includedText{text: text}, field, "the TemplateBody"
	}
	const field = "Properties.TemplateURL"
	if open == nil {
		return includedText{}, field, ""
	}
	ns := NestedStack{LogicalID: id}
	if raw, ok := props["TemplateURL"]; ok {
		_ = json.Unmarshal(raw, &ns.TemplateURL) // a function stays ""
	}
	if raw, ok := metadata["aws:asset:path"]; ok {
		_ = json.Unmarshal(raw, &ns.AssetPath)
	}
	if ns.TemplateURL == "" && ns.AssetPath == "" {
		return includedText{}, field, ""
	}
	text, err := open(ns)
	what := ns.AssetPath
	if what == "" {
		what = ns.TemplateURL
	}
	return includedText{text: text, err: err}, field, what
}
