package cfn

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Resource types that include another template.
const (
	// TypeStackSet is a stack set; Properties.TemplateBody is the template
	// it deploys to its accounts and Regions
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-stackset.html).
	TypeStackSet = "AWS::CloudFormation::StackSet"
	// TypeStack is a nested stack; Properties.TemplateURL is its template,
	// which CDK writes to the cloud assembly and names in the resource's
	// aws:asset:path metadata
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-stack.html).
	TypeStack = "AWS::CloudFormation::Stack"
)

// MaxDepth bounds how deep stack sets and nested stacks are followed, so
// that a template that includes itself ends.
const MaxDepth = 8

// TemplateBody returns the text of a stack set's TemplateBody, given as
// encoding/json decodes it: a JSON string is the template's text, an
// object the template itself. When the body is an intrinsic function, fn
// is its name and text is nil: the template is only known at deployment.
// Anything else is an error.
func TemplateBody(v any) (text []byte, fn string, err error) {
	switch b := v.(type) {
	case string:
		return []byte(b), "", nil
	case map[string]any:
		if fn := Function(b); fn != "" {
			return nil, fn, nil
		}
		text, err := json.Marshal(b)
		return text, "", err
	}
	return nil, "", errors.New("must be a template, a JSON string or object")
}

// NestedFile returns the template of a nested stack when it is a file of
// dir (a cloud assembly): the file its aws:asset:path metadata names (such
// as AppInnerA1B2C3D4.nested.template.json) or, failing that, the last
// element of its TemplateURL when that is a string. It returns nil and no
// error when neither names a file of dir: the template is not at hand.
func NestedFile(dir, assetPath, templateURL string) ([]byte, error) {
	for _, ref := range []string{assetPath, templateURL} {
		if ref == "" {
			continue
		}
		if i := strings.IndexAny(ref, "?#"); i >= 0 && strings.Contains(ref, "://") {
			ref = ref[:i]
		}
		name := ref[strings.LastIndexAny(ref, `/\`)+1:]
		if name == "" || name == "." || name == ".." {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return data, nil
	}
	return nil, nil
}

// NestedRef returns where a nested stack's template is: its aws:asset:path
// metadata and its TemplateURL, each "" when absent or not a string (CDK
// writes the URL as a function).
func NestedRef(properties, metadata map[string]any) (assetPath, templateURL string) {
	assetPath, _ = metadata["aws:asset:path"].(string)
	templateURL, _ = properties["TemplateURL"].(string)
	return assetPath, templateURL
}

// Resource is one resource of a stack's template or of a template it
// includes.
type Resource struct {
	// Path is the resource's logical id; inside a stack set's or nested
	// stack's template, prefixed with the path of that resource:
	// "Outer/Inner".
	Path string
	// Type is the resource's Type.
	Type string
	// Properties is the resource's Properties; nil when it has none.
	Properties map[string]any
	// Metadata is the resource's Metadata; nil when it has none.
	Metadata map[string]any
	// InStackSet reports that the resource is in a stack set's template:
	// it is deployed to the stack set's accounts and Regions, not the
	// stack's.
	InStackSet bool
	// Raw is the resource as written in its template, for messages that
	// quote a value as written; nil when the reader of the template does
	// not keep it ([ResourcesOf] doesn't).
	Raw json.RawMessage
}

// Resources returns every resource of the stack's parsed template, sorted
// by logical id, each followed by those of the template it includes: a
// stack set's TemplateBody (unless a function) and a nested stack's
// template when it is a file of s.Dir ([NestedFile]), as a [Walk] with
// [Parse] yields them. An included template that can't be read, isn't one,
// or includes templates more than [MaxDepth] deep is refused, in one line
// naming the file and the resource's path.
func (s Stack) Resources() ([]Resource, error) {
	w := Walk{Open: func(_, assetPath, templateURL string) ([]byte, error) {
		return NestedFile(s.Dir, assetPath, templateURL)
	}}
	var out []Resource
	for r, err := range w.All(ResourcesOf(s.Template)) {
		if err != nil {
			return out, fmt.Errorf("%s: %v", s.source(), err)
		}
		out = append(out, r)
	}
	return out, nil
}

// source names the stack in messages: its file, or its name.
func (s Stack) source() string {
	if s.File != "" {
		return s.File
	}
	return s.Name
}
