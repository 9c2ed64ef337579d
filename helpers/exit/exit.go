// Package exit ends a CDK app that the library refused, with one line on
// standard error instead of a panic, for the refusals of every package of
// the library (ecr, registry, organization, lifecycle, compliance, nag).
package exit

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/leaf/cdkreport"
	"github.com/secure-ecr/ecr-cdk-go/internal/leaf/oneline"
)

// OnError, deferred at the top of a CDK app's main, turns a refusal of
// this library into one line on standard error and exit status 1, instead of
// a panic and a goroutine dump:
//
//	func main() {
//		defer exit.OnError()
//		app := awscdk.NewApp(nil)
//		...
//		app.Synth(nil)
//		jsii.Close()
//	}
//
// A refusal is a panic with a validation error of any package of this
// library (ecr, lifecycle, compliance, nag, or your own constructs using
// validation.Collector), printed as its one-line message, or a synthesis
// stopped by failed validations, printed as one line per finding, also when
// the app runs outside the CDK CLI (`go run .`): each violation of CDK's
// policy validation report (the compliance pack's findings, error
// annotations such as cdk-nag's), as "path: RULE (plugin): description",
// read from the report file CDK names in its error, and each error of
// Node.validate, as "path: message". The jsii runtime is closed before
// exiting. Any other panic continues unchanged.
func OnError() {
	v := recover()
	if v == nil {
		return
	}
	if lines, ok := refusal(v); ok {
		for _, line := range lines {
			fmt.Fprintln(os.Stderr, line)
		}
		Close()
		os.Exit(1)
	}
	panic(v)
}

// refusal returns the lines that report a panic value, and whether it is a
// refusal of the library.
func refusal(v any) ([]string, bool) {
	err, ok := v.(error)
	if !ok {
		return nil, false
	}
	var invalid *validation.Error
	if errors.As(err, &invalid) {
		return []string{strings.ReplaceAll(err.Error(), "\n", "; ")}, true // errors.Join puts wrapped errors on lines of their own
	}
	return cdkValidationFailure(err.Error())
}

// cdkValidationFailure is the one place that reads CDK's message text: the
// message aws-cdk-lib 2.277 throws, through the jsii runtime, when
// validations fail at synthesis. It returns one line per finding.
//
//   - A policy validation plugin's findings (the compliance pack's, error
//     annotations): "ValidationFailed: Validation failed. A copy of this
//     report can be found in: DIR/validation-report.json"; the findings are
//     in that file (CDK printed them to standard error already). With
//     @aws-cdk/core:appMode "inmemory", "ValidationFailed: " and the
//     report itself, ending with the same sentence, and nothing printed.
//   - Node.validate errors: "Validation failed with the following
//     errors:" and one "  [path] message" line each.
//
// Any other message containing "Validation failed" gives its first line.
func cdkValidationFailure(msg string) ([]string, bool) {
	first, rest, _ := strings.Cut(msg, "\n")
	// With @aws-cdk/core:appMode "inmemory" (compliance.Enable sets it),
	// the error holds the whole report and ends with the same sentence.
	if _, after, found := strings.Cut(msg, reportSentence); found && strings.HasPrefix(msg, "ValidationFailed") {
		path, _, _ := strings.Cut(after, "\n")
		if lines, err := reportLines(strings.TrimSpace(path)); err == nil && len(lines) > 0 {
			return lines, true
		}
	}
	if !strings.Contains(first, "Validation failed") {
		return nil, false
	}
	var lines []string
	if strings.Contains(first, "with the following errors") {
		for _, l := range strings.Split(rest, "\n") {
			l = strings.TrimSpace(l)
			if !strings.HasPrefix(l, "[") {
				break // the JavaScript stack trace
			}
			if path, text, ok := strings.Cut(l[1:], "] "); ok {
				lines = append(lines, path+": "+text)
			}
		}
	}
	if len(lines) == 0 {
		lines = []string{strings.TrimSpace(first)}
	}
	return lines, true
}

// reportSentence ends CDK's message about a failed policy validation,
// followed by the report file's path.
const reportSentence = "A copy of this report can be found in: "

// reportLines reads CDK's policy validation report: one line per violation
// and violating construct, each on one line.
func reportLines(path string) ([]string, error) {
	findings, err := cdkreport.Read(path)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, f := range findings {
		if f.Severity == "warning" || f.Severity == "info" {
			continue
		}
		lines = append(lines, oneline.Cut(fmt.Sprintf("%s: %s (%s): %s", f.Path, f.Rule, f.Plugin, f.Description), 1000))
	}
	return lines, nil
}

// Close stops the jsii runtime at the end of a CDK app's main, as
// jsii.Close does, with standard error muted: the last step of main, after
// app.Synth. It is what the examples and the starter call.
//
// Why muted: jsii-runtime-go v1.139.0 watched its Node.js process from a
// goroutine that called Wait while jsii.Close called Wait too; whichever
// lost printed "Runtime process exited abnormally: waitid: no child
// processes", a spurious line in `cdk synth` output. v1.142.0, which the
// module pins, leaves Wait to that goroutine alone
// (internal/kernel/process/process.go: "The process monitor owns Wait"),
// and still prints that line, to standard error, whenever Wait returns an
// error. Standard error stays muted afterwards.
func Close() {
	if devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		os.Stderr = devNull
	}
	jsii.Close()
}
