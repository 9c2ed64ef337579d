package check

import (
	"os/exec"
	"strings"
	"testing"
)

// Package check runs without Node.js: neither it nor anything it imports
// may be aws-cdk-go, constructs-go or jsii-runtime-go (the Region table
// comes from them through go generate instead).
func TestRegionsNeedNoJsii(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, forbidden := range []string{"github.com/aws/aws-cdk-go/", "github.com/aws/constructs-go/", "github.com/aws/jsii-runtime-go"} {
			if strings.HasPrefix(pkg, forbidden) {
				t.Errorf("package check depends on %s", pkg)
			}
		}
	}
}
