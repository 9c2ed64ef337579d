// Package cli holds what the commands ecr-cdk and ecr-lifecycle share
// about being commands: their exit statuses, the one-line usage error with
// its hint to --help, the --format flag and their version.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// Exit statuses, the same for every command and subcommand.
const (
	ExitOK      = 0 // success
	ExitRefused = 1 // an input is invalid or refused, a check failed, or the account couldn't be read
	ExitUsage   = 2 // wrong usage
)

// UsageError reports wrong usage in one line, with the hint to the help,
// and returns ExitUsage:
// `ecr-lifecycle preview: --images is required (see ecr-lifecycle preview --help)`.
// command is "" for the program itself.
func UsageError(stderr io.Writer, program, command, msg string) int {
	prefix := program
	if command != "" {
		prefix += " " + command
	}
	fmt.Fprintf(stderr, "%s: %s (see %s --help)\n", prefix, msg, prefix)
	return ExitUsage
}

// Formats a command's --format takes.
const (
	FormatTable = "table"
	FormatJSON  = "json"
)

// AddFormat defines --format on fs, default FormatTable.
func AddFormat(fs *flag.FlagSet) *string { return fs.String("format", FormatTable, "") }

// CheckFormat returns the usage problem of a --format value, "" when it is
// table or json.
func CheckFormat(format string) string {
	if format == FormatTable || format == FormatJSON {
		return ""
	}
	return fmt.Sprintf("--format %q: must be table or json", format)
}

// Parse parses a subcommand's flags, the same way for every subcommand:
// -h or --help prints usage to stdout (ExitOK), an unknown or malformed
// flag and an argument left over are usage errors (ExitUsage, one line).
// ok is true when the subcommand goes on; otherwise code is its exit
// status. fs's name is the subcommand's, program the command's.
func Parse(fs *flag.FlagSet, args []string, program, usage string, stdout, stderr io.Writer) (code int, ok bool) {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return ExitOK, false
		}
		return UsageError(stderr, program, fs.Name(), err.Error()), false
	}
	if fs.NArg() > 0 {
		return UsageError(stderr, program, fs.Name(), fmt.Sprintf("unexpected argument %q", fs.Arg(0))), false
	}
	return ExitOK, true
}
