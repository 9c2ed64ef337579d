// Command images is a CDK app built with github.com/secure-ecr/ecr-cdk-go:
// `cdk synth` runs it (see cdk.json).
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
	"github.com/secure-ecr/ecr-cdk-go/helpers/exit"
)

func main() {
	// A refusal of the library (a mistake in the input, or the compliance
	// pack's findings) ends in one line on standard error and exit status 1.
	defer exit.OnError()

	app := awscdk.NewApp(nil)
	// Synthesis fails when a repository breaks an ECR control.
	compliance.Enable(app, nil)
	NewImagesStack(app, "Images", nil)
	app.Synth(nil)
	exit.Close() // jsii.Close, without a spurious line on standard error
}
