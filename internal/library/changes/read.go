package changes

import (
	"os"

	"github.com/secure-ecr/ecr-cdk-go/internal/library/cfn"
)

// Stack is one stack's template, as the project's one template reader
// (internal/library/cfn) reads it. Registry settings and physical names are
// compared between stacks of the same Environment; an empty one matches
// any. A single stack that is FromFile is compared with a single stack of
// any name.
type Stack = cfn.Stack

// Read reads a template file, or a cloud assembly directory (cdk.out) with
// every stack artifact of its manifest.json, nested assemblies (stages)
// included (see [cfn.Read]). A template file is a template, or the output
// of `aws cloudformation get-template` ({"TemplateBody": ...}). Only JSON
// templates are read: `cdk synth` writes JSON. A path that doesn't exist is
// refused with the error of os.Stat.
func Read(path string) ([]Stack, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	return cfn.Read(path)
}
