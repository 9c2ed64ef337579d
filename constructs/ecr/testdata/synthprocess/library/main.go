// Command library synthesizes an app of REPOSITORIES (default 50)
// repositories made by ecr.NewRepository, for BenchmarkSynthProcess.
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
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
		ecr.NewRepository(stack, jsii.String(fmt.Sprintf("Repo%d", i)), nil)
	}
	app.Synth(nil)
	exit.Close()
}
