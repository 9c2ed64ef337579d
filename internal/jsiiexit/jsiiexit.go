// Package jsiiexit shuts the jsii runtime down at the end of a program.
package jsiiexit

import (
	"os"

	"github.com/aws/jsii-runtime-go"
)

// Close stops the jsii runtime with standard error muted. jsii-runtime-go
// v1.139.0 watched its Node.js process from a goroutine that called Wait
// while jsii.Close called Wait too; whichever lost printed "Runtime process
// exited abnormally: waitid: no child processes", a spurious line in `cdk
// synth` output. v1.142.0, which the module pins, leaves Wait to that
// goroutine alone (internal/kernel/process/process.go: "The process monitor
// owns Wait"), and still prints that line, to standard error, whenever Wait
// returns an error. Call Close only as the program's last step: standard
// error stays muted afterwards.
func Close() {
	if devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		os.Stderr = devNull
	}
	jsii.Close()
}
