// Package badinput runs the bad-input tables of the construct packages
// (ecr, registry, organization): each invalid call of the Go API must be
// refused in Go, before jsii, with exactly the one-line message the table
// gives, and must leave the construct tree as it was. It is for tests only.
package badinput

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// Case is one invalid call and the message that must refuse it.
type Case struct {
	Name string
	// Setup builds what the call needs (a repository, a registry); it may
	// be nil.
	Setup func(stack awscdk.Stack) any
	// Call makes the invalid call with what Setup returned.
	Call func(stack awscdk.Stack, fixture any)
	// Want is the whole message. One that ends in "TOKEN." is a prefix, for
	// messages that quote a token's unpredictable number.
	Want string
	// Stack, when set, makes the stack the call gets (another Region, an
	// account); default: cdktest.NewStack.
	Stack func(t testing.TB) awscdk.Stack
}

// Run runs each case in a subtest of its own stack.
func Run(t *testing.T, cases []Case) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			newStack := cdktest.NewStack
			if tt.Stack != nil {
				newStack = tt.Stack
			}
			stack := newStack(t)
			var fixture any
			if tt.Setup != nil {
				fixture = tt.Setup(stack)
			}
			before := len(*stack.Node().FindAll(constructs.ConstructOrder_PREORDER))
			err := cdktest.Panic(t, func() { tt.Call(stack, fixture) })
			if err == nil {
				t.Fatal("the input was accepted")
			}
			msg := err.Error()
			if msg != tt.Want && !(strings.HasSuffix(tt.Want, "TOKEN.") && strings.HasPrefix(msg, tt.Want)) {
				t.Errorf("message\n got %s\nwant %s", msg, tt.Want)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("message spans several lines: %q", msg)
			}
			if strings.Contains(msg, ".js:") || strings.Contains(msg, "    at ") {
				t.Errorf("message carries a JavaScript stack trace: %s", msg)
			}
			var verr *validation.Error
			if !errors.As(err, &verr) {
				t.Errorf("%T does not unwrap to *validation.Error", err)
			}
			if after := len(*stack.Node().FindAll(constructs.ConstructOrder_PREORDER)); after != before {
				t.Errorf("the refused call added %d constructs to the tree", after-before)
			}
		})
	}
}
