package cfn

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
)

// Walk goes through the resources of a template and of the templates they
// include: the one walk of stack sets and nested stacks. [Stack.Resources]
// walks with [Parse] and the files of a cloud assembly; helpers/lifecycle's
// ReadTemplateWith with its own reader, whose messages name a line and
// column, and its caller's way to open a nested stack's template. The zero
// Walk reads with [Parse] and leaves nested stacks out.
type Walk struct {
	// Parse reads the resources of an included template's text, each with
	// its logical id as Path, in any order; its error refuses the text.
	// nil means [Parse], then [ResourcesOf].
	Parse func(text []byte) ([]Resource, error)
	// Open returns the template of the nested stack at path, from its
	// aws:asset:path metadata and its TemplateURL ([NestedRef]; one at
	// least is set), or nil and no error when it is not at hand: the stack
	// is then left out. nil leaves every nested stack out.
	Open func(path, assetPath, templateURL string) ([]byte, error)
}

// IncludeError is a template that a resource includes and that can't be
// read, which a [Walk] yields instead of its resources.
type IncludeError struct {
	// Path is the path of the resource that includes the template.
	Path string
	// Field is where the resource gives the template:
	// "Properties.TemplateBody" or "Properties.TemplateURL".
	Field string
	// Source names the template's text for a message about a place in it:
	// "the TemplateBody", or a nested stack's file (its aws:asset:path,
	// else its TemplateURL). It is set only when the text was read and
	// Parse refused it, so that Err is Parse's error; empty otherwise.
	Source string
	// Err says what is wrong: Open's error, a TemplateBody that is not a
	// template ([TemplateBody]), Parse's error, or templates included more
	// than [MaxDepth] deep.
	Err error
}

// Error returns the problem on one line: "PATH: FIELD: ERR".
func (e *IncludeError) Error() string {
	return fmt.Sprintf("%s: %s: %v", e.Path, e.Field, e.Err)
}

// Unwrap returns Err.
func (e *IncludeError) Unwrap() error { return e.Err }

// All yields every resource of resources (a template's, as Parse returns
// them) with a nil error, sorted by logical id, each followed by those of
// the template it includes: a stack set's TemplateBody, unless it is a
// function, and a nested stack's template when Open gives it. An included
// resource's Path is prefixed with the including one's ("Outer/Inner"),
// and InStackSet is set inside a stack set's template. An included
// template that can't be read is yielded, after its resource, as an
// [IncludeError] with that resource; the walk then goes on with the next
// resource, until the caller stops it.
func (w Walk) All(resources []Resource) iter.Seq2[Resource, *IncludeError] {
	return func(yield func(Resource, *IncludeError) bool) {
		w.walk(resources, "", false, 0, yield)
	}
}

// walk yields the resources of one template and, depth first, of those it
// includes; false when the caller stopped.
func (w Walk) walk(resources []Resource, prefix string, inSet bool, depth int, yield func(Resource, *IncludeError) bool) bool {
	sorted := slices.SortedFunc(slices.Values(resources), func(a, b Resource) int { return cmp.Compare(a.Path, b.Path) })
	for _, r := range sorted {
		r.Path = prefix + r.Path
		r.InStackSet = inSet
		if !yield(r, nil) {
			return false
		}
		inner, err := w.include(r, depth)
		if err != nil {
			if !yield(r, err) {
				return false
			}
			continue
		}
		if !w.walk(inner, r.Path+"/", inSet || r.Type == TypeStackSet, depth+1, yield) {
			return false
		}
	}
	return true
}

// include returns the resources of the template r includes, read at depth;
// nil and no error when it includes none, or none at hand.
func (w Walk) include(r Resource, depth int) ([]Resource, *IncludeError) {
	var text []byte
	var err error
	var field, source string
	switch r.Type {
	case TypeStackSet:
		field, source = "Properties.TemplateBody", "the TemplateBody"
		if body, ok := r.Properties["TemplateBody"]; ok {
			text, _, err = TemplateBody(body)
		}
	case TypeStack:
		field = "Properties.TemplateURL"
		assetPath, templateURL := NestedRef(r.Properties, r.Metadata)
		if w.Open == nil || (assetPath == "" && templateURL == "") {
			return nil, nil
		}
		text, err = w.Open(r.Path, assetPath, templateURL)
		source = cmp.Or(assetPath, templateURL)
	default:
		return nil, nil
	}
	switch {
	case err != nil:
		return nil, &IncludeError{Path: r.Path, Field: field, Err: err}
	case text == nil:
		return nil, nil
	case depth >= MaxDepth:
		return nil, &IncludeError{Path: r.Path, Field: field, Err: fmt.Errorf("includes templates more than %d deep; is it including itself?", MaxDepth)}
	}
	parse := w.Parse
	if parse == nil {
		parse = parseResources
	}
	inner, err := parse(text)
	if err != nil {
		return nil, &IncludeError{Path: r.Path, Field: field, Source: source, Err: err}
	}
	return inner, nil
}

// parseResources is the Parse of the zero Walk.
func parseResources(text []byte) ([]Resource, error) {
	t, err := Parse(text)
	if err != nil {
		return nil, err
	}
	return ResourcesOf(t), nil
}

// ResourcesOf returns the resources of a parsed template ([Parse]), each
// with its logical id as Path, in no particular order; a resource that is
// not an object, or whose Type, Properties or Metadata is of another JSON
// type, has those fields empty.
func ResourcesOf(template map[string]any) []Resource {
	rs, _ := template["Resources"].(map[string]any)
	out := make([]Resource, 0, len(rs))
	for id, v := range rs {
		m, _ := v.(map[string]any)
		r := Resource{Path: id}
		r.Type, _ = m["Type"].(string)
		r.Properties, _ = m["Properties"].(map[string]any)
		r.Metadata, _ = m["Metadata"].(map[string]any)
		out = append(out, r)
	}
	return out
}
