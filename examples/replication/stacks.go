// Package replication replicates images to a second Region and to another
// account, with the destination account's side: its registry policy and its
// creation templates, so replicas get the library's defaults.
package replication

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/constructs/registry"
)

// Accounts and Regions of the example. Replace them with yours.
const (
	SourceAccount      = "111111111111"
	SourceRegion       = "us-east-1"
	SecondRegion       = "eu-west-1"
	DestinationAccount = "222222222222"
	DestinationRegion  = "us-east-1"
)

// NewStacks returns the destination account's stack and the source
// account's, which depends on it: the destination's registry policy must let
// the source in before replication starts.
func NewStacks(scope constructs.Construct, sourceID, destinationID string) (source, destination awscdk.Stack) {
	destination = awscdk.NewStack(scope, jsii.String(destinationID), &awscdk.StackProps{
		Env:         &awscdk.Environment{Account: jsii.String(DestinationAccount), Region: jsii.String(DestinationRegion)},
		Description: jsii.String("Receives images replicated from account " + SourceAccount),
	})
	// The destination's baseline: scanning, the ROOT template (which applies
	// to REPLICATION, so replicas get immutable tags, KMS and a lifecycle
	// policy) and a registry policy letting the source account replicate
	// in and create the repositories.
	registry.New(destination, jsii.String("Registry"), &registry.Props{
		ReplicationSourceAccounts: []string{SourceAccount},
	})

	source = awscdk.NewStack(scope, jsii.String(sourceID), &awscdk.StackProps{
		Env:         &awscdk.Environment{Account: jsii.String(SourceAccount), Region: jsii.String(SourceRegion)},
		Description: jsii.String("Replicates production images to " + SecondRegion + " and to account " + DestinationAccount),
	})
	registry.New(source, jsii.String("Registry"), &registry.Props{
		ReplicationRules: []registry.ReplicationRule{{
			Destinations: []registry.ReplicationDestination{
				{Region: SecondRegion},
				{Region: DestinationRegion, Account: jsii.String(DestinationAccount)},
			},
			RepositoryPrefixes: []string{"prod"},
		}},
	})
	ecr.NewRepository(source, jsii.String("Images"), &ecr.RepositoryProps{RepositoryName: jsii.String("prod/web")})
	source.AddStackDependency(destination, jsii.String("the destination's registry policy must allow the source account first"))
	return source, destination
}
