package ecr

import (
	"fmt"
	"sync"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// ValidationError is one invalid value given to a construct of this package:
// the construct's path, the field, the value and the constraint it breaks.
// It is validation.Error, the one error type of the whole library, so
// errors.As with a *ValidationError also finds the refusals of packages
// lifecycle, compliance and nag. Constructors and methods panic with an
// [Errors] holding every problem found, before anything is added to the
// construct tree, so no template is written and no JavaScript stack trace is
// involved.
type ValidationError = validation.Error

// Errors is every problem found in one call: what the constructors and
// methods of this package panic with. It is validation.Errors.
type Errors = validation.Errors

// problems collects the problems of one construct path.
type problems = validation.Collector

// newProblems returns a collector for the construct at path.
func newProblems(path string) *problems {
	return &problems{Package: "ecr", Path: path}
}

// childProblems returns a collector for the construct that id will name
// under scope, having recorded a missing scope or id and an id already
// taken. It asks the scope's node once for both the path and the sibling:
// every call into the jsii runtime is a round trip to Node.js.
func childProblems(scope constructs.Construct, id *string) *problems {
	name := "<nil id>"
	if id != nil {
		name = *id
	}
	if scope == nil {
		p := newProblems(name)
		p.Add("scope", nil, "must not be nil")
		return p
	}
	node, parent := scopeNode(scope)
	path := name
	if parent != "" {
		path = parent + "/" + name
	}
	p := newProblems(path)
	switch {
	case id == nil || *id == "":
		p.Add("id", nil, "must not be empty")
	case node.TryFindChild(id) != nil:
		p.Add("id", *id, fmt.Sprintf("is already taken in %q; construct ids must be unique among siblings", parent))
	}
	return p
}

// scopeNodes caches the node and path of each scope constructs were added
// to: neither ever changes, and asking the jsii runtime for them costs a
// round trip to Node.js each, for every construct of a large stack.
var scopeNodes sync.Map // constructs.Construct -> scopeInfo

// scopeInfo is what scopeNodes holds for a scope.
type scopeInfo struct {
	node constructs.Node
	path string
}

// scopeNode returns the node and the path of scope.
func scopeNode(scope constructs.Construct) (constructs.Node, string) {
	if info, ok := scopeNodes.Load(scope); ok {
		return info.(scopeInfo).node, info.(scopeInfo).path
	}
	node := scope.Node()
	info := scopeInfo{node: node, path: *node.Path()}
	scopeNodes.Store(scope, info)
	return info.node, info.path
}

// nested runs check with a collector of its own and records its problems in
// p with their field names prefixed by prefix
// ("PullThroughCacheRules[0].CreationTemplate."), for props nested in other
// props.
func nested(p *problems, prefix string, check func(q *problems)) {
	q := newProblems(p.Path)
	check(q)
	for _, e := range validation.List(q.Err()) {
		e.Field = prefix + e.Field
		p.Append(e)
	}
}
