// Command ecr-cdk works with the Amazon ECR repositories of an AWS CDK app
// built on github.com/secure-ecr/ecr-cdk-go.
//
//	ecr-cdk audit [--prefix P] [--format table|json] [--template FILE|cdk.out]
//
// This main dispatches audit only; the command's full main (with adopt and
// diff) registers runAudit beside its other subcommands.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "audit" {
		fmt.Fprintln(stderr, "ecr-cdk: usage: ecr-cdk audit [flags] (ecr-cdk audit --help)")
		return 2
	}
	return runAudit(args[1:], stdout, stderr)
}
