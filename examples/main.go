// Command examples is the CDK app of the repository's root cdk.json: it
// composes every example stack, so one `cdk synth` (or `make synth`)
// synthesizes them all. Select one with `cdk synth EcrService`.
//
// The stacks are environment-agnostic: they deploy to whichever account and
// Region the CLI's credentials point at.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"

	"github.com/secure-ecr/ecr-cdk-go/examples/access"
	"github.com/secure-ecr/ecr-cdk-go/examples/defaults"
	"github.com/secure-ecr/ecr-cdk-go/examples/devprod"
	"github.com/secure-ecr/ecr-cdk-go/examples/service"
	"github.com/secure-ecr/ecr-cdk-go/internal/jsiiexit"
)

// Stacks adds every example stack to the app and returns them.
func Stacks(app constructs.Construct) []awscdk.Stack {
	return []awscdk.Stack{
		access.NewStack(app, "EcrAccess", nil),
		defaults.NewStack(app, "EcrDefaults", nil),
		devprod.NewDevStack(app, "EcrDev", nil),
		devprod.NewProdStack(app, "EcrProd", nil),
		service.NewStack(app, "EcrService", nil),
	}
}

func main() {
	defer jsiiexit.Close()
	defer exitOnInvalidInput()

	app := awscdk.NewApp(nil)
	Stacks(app)
	app.Synth(nil)
}

// exitOnInvalidInput prints the library's one-line validation error and
// exits, instead of a Go panic trace, when a stack is given invalid input.
func exitOnInvalidInput() {
	if v := recover(); v != nil {
		var invalid *ecr.ValidationError
		if err, ok := v.(error); ok && errors.As(err, &invalid) {
			fmt.Fprintln(os.Stderr, err)
			jsiiexit.Close()
			os.Exit(1)
		}
		panic(v)
	}
}
