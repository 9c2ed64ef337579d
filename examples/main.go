// Command examples is the CDK app of the repository's root cdk.json: it
// composes every example stack, so one `cdk synth` (or `make synth`)
// synthesizes them all. Select one with `cdk synth EcrService`.
//
// The stacks are environment-agnostic: they deploy to whichever account and
// Region the CLI's credentials point at, except EcrPublic, which is pinned to
// us-east-1, the only Region of ECR Public.
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/secure-ecr/ecr-cdk-go/examples/access"
	"github.com/secure-ecr/ecr-cdk-go/examples/defaults"
	"github.com/secure-ecr/ecr-cdk-go/examples/devprod"
	"github.com/secure-ecr/ecr-cdk-go/examples/organization"
	"github.com/secure-ecr/ecr-cdk-go/examples/public"
	"github.com/secure-ecr/ecr-cdk-go/examples/registry"
	"github.com/secure-ecr/ecr-cdk-go/examples/replication"
	"github.com/secure-ecr/ecr-cdk-go/examples/service"
	"github.com/secure-ecr/ecr-cdk-go/helpers/exit"
)

// Stacks adds every example stack to the app and returns them.
func Stacks(app constructs.Construct) []awscdk.Stack {
	source, destination := replication.NewStacks(app, "EcrReplicationSource", "EcrReplicationDestination")
	images, workloads := service.NewStacks(app, "EcrServiceImages", "EcrService", nil)
	return []awscdk.Stack{
		access.NewStack(app, "EcrAccess", nil),
		defaults.NewStack(app, "EcrDefaults", nil),
		devprod.NewDevStack(app, "EcrDev", nil),
		devprod.NewProdStack(app, "EcrProd", nil),
		organization.NewManagementStack(app, "EcrOrganization", nil),
		organization.NewCentralStack(app, "EcrOrganizationCentral"),
		public.NewStack(app, "EcrPublic", nil),
		registry.NewStack(app, "EcrRegistry", nil),
		source,
		destination,
		images,
		workloads,
	}
}

func main() {
	// A refusal of the library (invalid input, or the compliance pack's
	// findings) ends in one line on standard error, not a goroutine dump.
	defer exit.OnError()

	app := awscdk.NewApp(nil)
	Stacks(app)
	app.Synth(nil)
	exit.Close() // jsii.Close, without a spurious line on standard error
}
