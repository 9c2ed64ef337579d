// Command ecr-cdk works with the Amazon ECR repositories of an AWS CDK app
// built on github.com/secure-ecr/ecr-cdk-go.
//
//	go install github.com/secure-ecr/ecr-cdk-go/cmd/ecr-cdk@latest
//
//	ecr-cdk adopt --repositories describe-repositories.json --package adopted --out adopted
//	ecr-cdk diff deployed.json cdk.out
//	ecr-cdk audit --prefix team/
//	ecr-cdk local --port 5000
//
// Each subcommand is a package of internal/engine (adoptcmd, diffcmd,
// auditcmd, localcmd); [commands] lists them.
//
// Exit status: 0 success, 1 refused input, 2 wrong usage. A problem is one
// line on standard error; nothing is written when the status is not 0.
package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/adoptcmd"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/auditcmd"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/diffcmd"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/localcmd"
)

// command is one subcommand.
type command struct {
	// summary is one line for the command list.
	summary string
	// run runs the subcommand with its arguments and returns the exit status.
	run func(args []string, stdout, stderr io.Writer) int
}

// commands returns the subcommands by name: a table built when asked, not
// state of the package.
func commands() map[string]command {
	return map[string]command{
		"adopt": {summary: "write the CDK code that adopts existing repositories (for cdk import)", run: adoptcmd.Run},
		"diff":  {summary: "report what a change of templates would replace, orphan, delete or expire", run: diffcmd.Run},
		"audit": {summary: "check the account's repositories against the compliance pack's controls, and drift from templates", run: auditcmd.Run},
		"local": {summary: "run a local AWS API (moto, corrected for CDK) to deploy CDK apps to, until interrupted", run: localcmd.Run},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return cli.UsageError(stderr, "ecr-cdk", "", "no command given")
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage())
		return cli.ExitOK
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "ecr-cdk", cli.Version())
		return cli.ExitOK
	}
	c, ok := commands()[args[0]]
	if !ok {
		return cli.UsageError(stderr, "ecr-cdk", "", fmt.Sprintf("unknown command %q", args[0]))
	}
	return c.run(args[1:], stdout, stderr)
}

// usage lists the subcommands.
func usage() string {
	var b strings.Builder
	b.WriteString("ecr-cdk works with the Amazon ECR repositories of a CDK app built on\ngithub.com/secure-ecr/ecr-cdk-go.\n\nUsage:\n  ecr-cdk COMMAND [flags]   (ecr-cdk COMMAND --help for its flags)\n  ecr-cdk --version\n\nCommands:\n")
	all := commands()
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(&b, "  %-8s %s\n", n, all[n].summary)
	}
	b.WriteString("\nExit status: 0 success, 1 refused input, 2 wrong usage.\n")
	return b.String()
}
