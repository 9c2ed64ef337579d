// Package construct holds what the library's construct packages (ecr,
// organization) share about building jsii constructs: the checks of a new
// construct's scope and id, tokens, and the defaults of optional props.
package construct

import (
	"fmt"
	"slices"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// ChildProblems returns a collector, for package pkg's messages, for the
// construct that id will name under scope, having recorded a missing scope
// or id and an id already taken. It asks the scope's node once for both the
// path and the sibling: every call into the jsii runtime is a round trip to
// Node.js.
func ChildProblems(pkg string, scope constructs.Construct, id *string) *validation.Collector {
	name := "<nil id>"
	if id != nil {
		name = *id
	}
	if scope == nil {
		p := &validation.Collector{Package: pkg, Path: name}
		p.Add("scope", nil, "must not be nil")
		return p
	}
	info := scopeOf(scope)
	node, parent := info.node, info.path
	path := name
	if parent != "" {
		path = parent + "/" + name
	}
	p := &validation.Collector{Package: pkg, Path: path}
	switch {
	case !info.inStack:
		p.Add("scope", nil, "must be a Stack or a construct inside one, not "+describe(parent))
	case id == nil || *id == "":
		p.Add("id", nil, "must not be empty")
	case node.TryFindChild(id) != nil:
		p.Add("id", *id, fmt.Sprintf("is already taken in %q; construct ids must be unique among siblings", parent))
	}
	return p
}

// scopeNodes caches the node and path of each scope constructs were added
// to, and whether it is in a stack: none of them ever changes, and asking the jsii runtime for them costs a
// round trip to Node.js each, for every construct of a large stack.
var scopeNodes sync.Map // constructs.Construct -> scopeInfo

// scopeInfo is what scopeNodes holds for a scope.
type scopeInfo struct {
	node    constructs.Node
	path    string
	inStack bool // the scope is a Stack or inside one
}

// scopeOf returns the node and the path of scope, and whether it is in a
// stack.
func scopeOf(scope constructs.Construct) scopeInfo {
	if info, ok := scopeNodes.Load(scope); ok {
		return info.(scopeInfo)
	}
	node := scope.Node()
	info := scopeInfo{node: node, path: *node.Path()}
	scopes := *node.Scopes()
	for i := len(scopes) - 1; i >= 0 && !info.inStack; i-- {
		info.inStack = *awscdk.Stack_IsStack(scopes[i])
	}
	scopeNodes.Store(scope, info)
	return info
}

// IsToken reports whether s is an unresolved CDK token, whose value is only
// known at deployment and so is not checked.
func IsToken(s string) bool {
	return *awscdk.Token_IsUnresolved(jsii.String(s))
}

// OrTrue returns b, or true when b is nil.
func OrTrue(b *bool) *bool {
	if b == nil {
		return jsii.Bool(true)
	}
	return b
}

// OrDefault returns v, or def when v is the zero value.
func OrDefault[T ~string](v, def T) T {
	if v == "" {
		return def
	}
	return v
}

// SortedKeys returns a map's keys in order, so problems and tags are
// reported and rendered deterministically.
func SortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// describe names a scope by its path for a message; the app's is empty.
func describe(path string) string {
	if path == "" {
		return "the App"
	}
	return fmt.Sprintf("%q", path)
}
