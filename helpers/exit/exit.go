// Package exit ends a CDK app that the library refused, with one line on
// standard error instead of a panic, for the refusals of every package of
// the library (ecr, registry, organization, lifecycle, compliance, nag).
package exit

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/jsiiexit"
)

// OnError, deferred at the top of a CDK app's main, turns a refusal of
// this library into one line on standard error and exit status 1, instead of
// a panic and a goroutine dump:
//
//	func main() {
//		defer exit.OnError()
//		app := awscdk.NewApp(nil)
//		...
//		app.Synth(nil)
//		jsii.Close()
//	}
//
// A refusal is a panic with a validation error of any package of this
// library (ecr, lifecycle, compliance, nag, or your own constructs using
// validation.Collector), printed as its one-line message, or a synthesis
// stopped by failed validations, such as the compliance pack's findings,
// printed as the first line of CDK's message (CDK prints the findings
// themselves before it stops). The jsii runtime is closed before exiting.
// Any other panic continues unchanged.
func OnError() {
	v := recover()
	if v == nil {
		return
	}
	if line, ok := refusal(v); ok {
		fmt.Fprintln(os.Stderr, line)
		jsiiexit.Close()
		os.Exit(1)
	}
	panic(v)
}

// refusal returns the one line that reports a panic value, and whether it
// is a refusal of the library.
func refusal(v any) (string, bool) {
	err, ok := v.(error)
	if !ok {
		return "", false
	}
	var invalid *validation.Error
	if errors.As(err, &invalid) {
		return strings.ReplaceAll(err.Error(), "\n", "; "), true // errors.Join puts wrapped errors on lines of their own
	}
	// CDK's message when validations fail at synthesis (Node.validate, CDK's
	// policy validation report), as the jsii runtime passes it on.
	first, _, _ := strings.Cut(err.Error(), "\n")
	if strings.Contains(first, "Validation failed") {
		return strings.TrimSpace(first), true
	}
	return "", false
}
