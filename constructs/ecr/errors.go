package ecr

import (
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// ValidationError is one invalid value given to a construct of this package:
// the construct's path, the field, the value and the constraint it breaks.
// It is validation.Error, the one error type of the whole library, so
// errors.As with a *ValidationError also finds the refusals of packages
// lifecycle, compliance and nag. Constructors and methods panic with an
// [Errors] holding every problem found, before anything is added to the
// construct tree, so no template is written and no JavaScript stack trace is
// involved.
type ValidationError = validation.Error

// Errors is every problem found in one call: what the constructors and
// methods of this package panic with. It is validation.Errors.
type Errors = validation.Errors

// problems collects the problems of one construct path.
type problems = validation.Collector

// newProblems returns a collector for the construct at path.
func newProblems(path string) *problems {
	return &problems{Package: "ecr", Path: path}
}

// constructPath is the path a construct with this id will have under scope.
func constructPath(scope constructs.Construct, id *string) string {
	name := "<nil id>"
	if id != nil {
		name = *id
	}
	if scope == nil {
		return name
	}
	if parent := *scope.Node().Path(); parent != "" {
		return parent + "/" + name
	}
	return name
}
