// Command cdk synthesizes an app of REPOSITORIES (default 50) repositories
// made by CDK's own awsecr.Repository with the library's default settings,
// for BenchmarkSynthProcess.
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/exit"
)

func main() {
	n, err := strconv.Atoi(os.Getenv("REPOSITORIES"))
	if err != nil {
		n = 50
	}
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Bench"), nil)
	for i := range n {
		awsecr.NewRepository(stack, jsii.String(fmt.Sprintf("Repo%d", i)), &awsecr.RepositoryProps{
			ImageScanOnPush:    jsii.Bool(true),
			ImageTagMutability: awsecr.TagMutability_IMMUTABLE,
			Encryption:         awsecr.RepositoryEncryption_KMS(),
			RemovalPolicy:      awscdk.RemovalPolicy_RETAIN,
			LifecycleRules: &[]*awsecr.LifecycleRule{{
				Description: jsii.String("Expire untagged images 14 days after push"),
				TagStatus:   awsecr.TagStatus_UNTAGGED,
				MaxImageAge: awscdk.Duration_Days(jsii.Number(14)),
			}},
		})
	}
	app.Synth(nil)
	exit.Close()
}
