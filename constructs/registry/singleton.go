package registry

import (
	"fmt"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/secure-ecr/ecr-cdk-go/internal/check"
)

// singletons records the construct path of each registry singleton declared
// (the Registry itself, and the registry policy, which NewPolicy can
// also make), per stack — keyed by the stack's Go object, which the jsii
// runtime returns for every Stack_Of of its constructs — and per account and
// Region when the stack's environment is known, so two stacks of one app
// that deploy to the same account and Region are caught too.
var singletons sync.Map // awscdk.Stack or envKey -> *sync.Map (kind -> path)

// envKey records the singletons of a known account and Region within one
// app (Stage): other apps of the same program are deployed on their own.
type envKey struct {
	stage awscdk.Stage
	env   string // "account/region"
}

// singletonKeys returns the keys a stack's singletons are recorded under.
func singletonKeys(stack awscdk.Stack) []any {
	keys := []any{stack}
	account, region := *stack.Account(), *stack.Region()
	if !check.IsToken(account) && !check.IsToken(region) {
		keys = append(keys, envKey{awscdk.Stage_Of(stack), account + "/" + region})
	}
	return keys
}

// checkSingleton records a problem when the stack, or another stack of the
// same known account and Region, already has a construct of the kind.
func checkSingleton(stack awscdk.Stack, kind string, p *problems) {
	for _, key := range singletonKeys(stack) {
		m, ok := singletons.Load(key)
		if !ok {
			continue
		}
		if path, ok := m.(*sync.Map).Load(kind); ok {
			where := "an account and Region has one, so a stack declares at most one"
			if env, ok := key.(envKey); ok {
				where = fmt.Sprintf("account and Region %s have one, so one stack of them declares it", env.env)
			}
			p.Add("scope", *stack.StackName(), fmt.Sprintf("already has %s at %s; %s", kind, path, where))
			return
		}
	}
}

// claimSingleton records that the construct at path is the stack's
// construct of the kind.
func claimSingleton(stack awscdk.Stack, kind, path string) {
	for _, key := range singletonKeys(stack) {
		m, _ := singletons.LoadOrStore(key, &sync.Map{})
		m.(*sync.Map).Store(kind, path)
	}
}

// Kinds of what a registry holds one of per prefix.
const (
	templateKind = "a creation template"
	cacheKind    = "a pull-through cache rule"
)

// checkPrefix records a problem when the stack, or another stack of the
// same known account and Region, already has a construct of the kind for
// the prefix (a trailing "/" ignored). Token prefixes are not checked.
func checkPrefix(stack awscdk.Stack, kind, field, prefix string, p *problems) {
	if stack == nil || check.IsToken(prefix) {
		return
	}
	for _, key := range singletonKeys(stack) {
		if m, ok := singletons.Load(key); ok {
			if path, ok := m.(*sync.Map).Load(kind + " for " + trimSlash(prefix)); ok {
				p.Add(field, prefix, fmt.Sprintf("already has %s at %s; a registry has one per prefix", kind, path))
				return
			}
		}
	}
}

// claimPrefix records the construct at path as the stack's construct of
// the kind for the prefix.
func claimPrefix(stack awscdk.Stack, kind, prefix, path string) {
	if stack == nil || check.IsToken(prefix) {
		return
	}
	claimSingleton(stack, kind+" for "+trimSlash(prefix), path)
}
