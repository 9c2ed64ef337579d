// Package jsiiexit shuts the jsii runtime down at the end of a program.
package jsiiexit

import (
	"os"

	"github.com/aws/jsii-runtime-go"
)

// Close stops the jsii runtime with standard error muted. jsii-runtime-go
// v1.139.0 watches its Node.js process from a goroutine that calls Wait while
// jsii.Close calls Wait too; whichever loses prints "Runtime process exited
// abnormally: waitid: no child processes", a spurious line in `cdk synth`
// output. Call Close only as the program's last step: standard error stays
// muted afterwards.
func Close() {
	if devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		os.Stderr = devNull
	}
	jsii.Close()
}
