// Command ecr-cdk works on CDK apps built with this library.
//
//	ecr-cdk diff OLD NEW [--allow LOGICAL_ID=REASON]... [--images NAME=FILE]... [--format table|json]
//
// Exit status: 0 success, 1 refused, 2 wrong usage.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a subcommand.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "ecr-cdk: no command given; see ecr-cdk diff --help")
		return 2
	}
	switch args[0] {
	case "diff":
		return runDiff(args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "ecr-cdk: unknown command %q; see ecr-cdk diff --help\n", args[0])
		return 2
	}
}
