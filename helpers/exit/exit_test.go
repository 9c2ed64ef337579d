package exit

import (
	"errors"
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

func TestRefusalIsOneLineForTheLibrarysErrorsOnly(t *testing.T) {
	for _, tt := range []struct {
		name string
		v    any
		line string
		ok   bool
	}{
		{"validation errors", validation.Errors{{Package: "ecr", Path: "S/R", Field: "RepositoryName", Value: `"X"`, Constraint: "must be lowercase"}},
			`ecr: S/R: RepositoryName "X": must be lowercase`, true},
		{"a wrapped validation error", errors.Join(errors.New("building"), &validation.Error{Package: "nag", Field: "ID", Constraint: "bad"}),
			"building; nag: ID: bad", true},
		{"failed validations at synthesis", errors.New("Error: Validation failed with the following errors:\n  [S/R] ecr: ...\n    at Object.<anonymous> (file.js:1:1)"),
			"Error: Validation failed with the following errors:", true},
		{"another error", errors.New("something else"), "", false},
		{"not an error", "a string", "", false},
	} {
		line, ok := refusal(tt.v)
		if ok != tt.ok || line != tt.line {
			t.Errorf("%s: refusal = %q, %v; want %q, %v", tt.name, line, ok, tt.line, tt.ok)
		}
	}
}
