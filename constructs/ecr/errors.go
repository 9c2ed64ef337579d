package ecr

import (
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/construct"
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

// childProblems returns a collector for the construct that id will name
// under scope, having recorded a missing scope or id and an id already
// taken.
func childProblems(scope constructs.Construct, id *string) *problems {
	return construct.ChildProblems("ecr", scope, id)
}
