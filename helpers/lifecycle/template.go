package lifecycle

import (
	"encoding/json"
	"fmt"

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
	resources, err := templateResources(text)
	if err != nil {
		return nil, err
	}
	walk := cfn.Walk{Parse: templateResources}
	if open != nil {
		walk.Open = func(path, assetPath, templateURL string) ([]byte, error) {
			return open(NestedStack{LogicalID: path, TemplateURL: templateURL, AssetPath: assetPath})
		}
	}
	p := newProblems()
	var out []TemplatePolicy
	for r, unread := range walk.All(resources) {
		if unread != nil {
			p.Append(included(unread)...)
			continue
		}
		if tp, ok := policyOf(r, p); ok {
			out = append(out, tp)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// templateResources reads the resources of a template's text for
// ReadTemplate's walk, each keeping its text (Raw) for messages that quote
// a value. It refuses text that is not JSON (naming the line and column),
// a document without "Resources", and resources that are not objects with
// a Type.
func templateResources(text []byte) ([]cfn.Resource, error) {
	if e := syntaxError(text); e != nil {
		return nil, validation.Errors{e}
	}
	refuse := func(field, constraint string) error {
		return validation.Errors{{Package: "lifecycle", Field: field, Constraint: constraint}}
	}
	var doc map[string]json.RawMessage
	if json.Unmarshal(text, &doc) != nil || doc == nil {
		return nil, refuse("", `must be a CloudFormation template, a JSON object with "Resources"`)
	}
	raw, ok := doc["Resources"]
	if !ok {
		return nil, refuse("", `is not a CloudFormation template: it has no "Resources"`)
	}
	var resources map[string]struct {
		Type       string         `json:"Type"`
		Properties map[string]any `json:"Properties"`
		Metadata   map[string]any `json:"Metadata"`
	}
	var texts map[string]json.RawMessage
	if json.Unmarshal(raw, &resources) != nil || resources == nil || json.Unmarshal(raw, &texts) != nil {
		return nil, refuse("Resources", "must be an object of resources, each with a Type")
	}
	out := make([]cfn.Resource, 0, len(resources))
	for id, r := range resources {
		out = append(out, cfn.Resource{Path: id, Type: r.Type, Properties: r.Properties, Metadata: r.Metadata, Raw: texts[id]})
	}
	return out, nil
}

// included returns the problems of a template that a resource includes and
// that can't be read. When its text is not a template, they are the
// problems templateResources found, under the path and field of the
// resource that includes it; a place in the text goes into the message, as
// the place is not in the template read. Otherwise it is one problem saying
// why.
func included(unread *cfn.IncludeError) validation.Errors {
	if unread.Source == "" {
		return validation.Errors{{Package: "lifecycle", Path: unread.Path, Field: unread.Field, Constraint: unread.Err.Error()}}
	}
	var out validation.Errors
	for _, e := range validation.List(unread.Err) {
		c := *e
		c.Path = unread.Path
		if c.Field == "" {
			c.Field = unread.Field
		}
		if c.Line > 0 {
			c.Constraint = fmt.Sprintf("%s (at %d:%d of %s)", c.Constraint, c.Line, c.Column, unread.Source)
			c.Line, c.Column = 0, 0
		}
		out = append(out, &c)
	}
	return out
}

// policyOf returns the lifecycle policy of a resource, a repository's or a
// repository creation template's, recording in p a policy that is neither
// text nor a function; false when the resource has none.
func policyOf(r cfn.Resource, p *validation.Collector) (TemplatePolicy, bool) {
	tp := TemplatePolicy{LogicalID: r.Path, Type: r.Type}
	var resource struct {
		Properties map[string]json.RawMessage `json:"Properties"`
	}
	_ = json.Unmarshal(r.Raw, &resource) // templateResources read it as an object
	props := resource.Properties
	at := validation.Place{Path: r.Path}
	var value json.RawMessage
	var ok bool
	switch r.Type {
	case ResourceTypeRepository:
		var lp json.RawMessage
		if lp, ok = props["LifecyclePolicy"]; !ok {
			return tp, false
		}
		var fields map[string]json.RawMessage
		if json.Unmarshal(lp, &fields) != nil || fields == nil {
			p.AddAt(at, "Properties.LifecyclePolicy", snippet(lp), "must be an object")
			return tp, false
		}
		if value, ok = fields["LifecyclePolicyText"]; !ok {
			return tp, false // only RegistryId
		}
		tp.Field = "Properties.LifecyclePolicy.LifecyclePolicyText"
		if name, ok := props["RepositoryName"]; ok {
			_ = json.Unmarshal(name, &tp.RepositoryName) // a function stays ""
		}
	case ResourceTypeRepositoryCreationTemplate:
		if value, ok = props["LifecyclePolicy"]; !ok {
			return tp, false
		}
		tp.Field = "Properties.LifecyclePolicy"
	default:
		return tp, false
	}
	if json.Unmarshal(value, &tp.Text) == nil {
		return tp, true
	}
	var decoded any
	if json.Unmarshal(value, &decoded) == nil {
		tp.Function = cfn.Function(decoded)
	}
	if tp.Function == "" {
		p.AddAt(at, tp.Field, snippet(value), "must be the policy text, a string, or a CloudFormation function")
		return tp, false
	}
	return tp, true
}
