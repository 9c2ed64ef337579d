package ecr

import (
	"fmt"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
)

// singletons records, per stack, the construct path of each registry
// singleton declared in it: the Registry itself, and the registry policy
// (which NewRegistryPolicy can also make). Keyed by the stack's Go object,
// which the jsii runtime returns for every Stack_Of of its constructs.
var singletons sync.Map // awscdk.Stack -> *sync.Map (kind -> path)

// checkSingleton records a problem when the stack already has a construct
// of the kind.
func checkSingleton(stack awscdk.Stack, kind string, p *problems) {
	m, ok := singletons.Load(stack)
	if !ok {
		return
	}
	if path, ok := m.(*sync.Map).Load(kind); ok {
		p.Add("scope", *stack.StackName(), fmt.Sprintf("already has %s at %s; an account and Region has one, so a stack declares at most one", kind, path))
	}
}

// claimSingleton records that the construct at path is the stack's
// construct of the kind.
func claimSingleton(stack awscdk.Stack, kind, path string) {
	m, _ := singletons.LoadOrStore(stack, &sync.Map{})
	m.(*sync.Map).Store(kind, path)
}
