// Package construct holds what the library's construct packages (ecr,
// registry, organization) share about building jsii constructs: the check
// of a new construct's scope and id, and the defaults of optional props.
// The checks of values, which need no jsii, are in package check.
package construct

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// ChildProblems returns a collector, for package pkg's messages, for the
// construct that id will name under scope, having recorded a missing scope
// or id and an id already taken.
func ChildProblems(pkg string, scope constructs.Construct, id *string) *validation.Collector {
	p, _ := Child(pkg, scope, id)
	return p
}

// Scope is what Child learnt of a valid scope: its node, and the stack it
// is (nil when it is a construct inside a stack).
type Scope struct {
	Node  constructs.Node
	Stack awscdk.Stack
}

// Child is ChildProblems, also returning what it learnt of the scope, so
// the caller needn't ask again: every call into the jsii runtime is a round
// trip to Node.js, and a large app makes thousands. A scope that is a Stack
// (the usual case) is known as one without a call.
func Child(pkg string, scope constructs.Construct, id *string) (*validation.Collector, Scope) {
	name := "<nil id>"
	if id != nil {
		name = *id
	}
	if scope == nil {
		p := &validation.Collector{Package: pkg, Path: name}
		p.Add("scope", nil, "must not be nil")
		return p, Scope{}
	}
	node := scope.Node()
	parent := *node.Path()
	path := name
	if parent != "" {
		path = parent + "/" + name
	}
	p := &validation.Collector{Package: pkg, Path: path}
	stack, isStack := scope.(awscdk.Stack)
	if !isStack && !inStack(scope) {
		p.Add("scope", nil, "must be a Stack or a construct inside one, not "+describe(parent))
		return p, Scope{}
	}
	checkID(node, parent, id, p)
	return p, Scope{Node: node, Stack: stack}
}

// CheckID records a missing id, and an id already taken under scope, for a
// construct that a method of scope adds (an alert rule of a repository).
func CheckID(scope constructs.Construct, id *string, p *validation.Collector) {
	node := scope.Node()
	checkID(node, *node.Path(), id, p)
}

// checkID is the one check of a new construct's id.
func checkID(node constructs.Node, parent string, id *string, p *validation.Collector) {
	switch {
	case id == nil || *id == "":
		p.Add("id", nil, "must not be empty")
	case node.TryFindChild(id) != nil:
		p.Add("id", *id, fmt.Sprintf("is already taken in %q; construct ids must be unique among siblings", parent))
	}
}

// inStack reports whether scope is a Stack or inside one, in one call into
// the jsii runtime: awscdk.Stack_Of refuses a construct outside any stack,
// and that refusal is caught here (it never reaches the user), where
// walking the scope's ancestors would cost a call for each.
func inStack(scope constructs.Construct) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	awscdk.Stack_Of(scope)
	return true
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

// describe names a scope by its path for a message; the app's is empty.
func describe(path string) string {
	if path == "" {
		return "the App"
	}
	return fmt.Sprintf("%q", path)
}

// WarnLifecycle adds to scope a CDK warning for each warning of the static
// analysis of its lifecycle policy (lifecycle.Policy.Findings), given as
// field, not already in warned (which it updates; nil to warn of all): a
// rule that can never act, a policy that expires nothing, a pattern without
// a wildcard. Each warning's id is "@secure-ecr/ecr-cdk-go:lifecycle-" and
// the finding's check ("lifecycle-deadRule"), which
// awscdk.Annotations_Of(scope).AcknowledgeWarning takes.
func WarnLifecycle(scope constructs.IConstruct, field string, policy *lifecycle.Policy, warned map[string]bool) {
	for _, f := range policy.Findings() {
		if f.Severity != lifecycle.SeverityWarning {
			continue
		}
		bare := *f.Problem
		bare.Package = ""
		msg := field + ": " + bare.Error()
		if warned[msg] {
			continue
		}
		if warned != nil {
			warned[msg] = true
		}
		awscdk.Annotations_Of(scope).AddWarningV2(jsii.String("@secure-ecr/ecr-cdk-go:lifecycle-"+f.Check), jsii.String(msg), nil)
	}
}
