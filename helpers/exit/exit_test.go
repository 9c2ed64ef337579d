package exit

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

func TestRefusalIsOneLineForTheLibrarysErrorsOnly(t *testing.T) {
	for _, tt := range []struct {
		name  string
		v     any
		lines []string
		ok    bool
	}{
		{"validation errors", validation.Errors{{Package: "ecr", Path: "S/R", Field: "RepositoryName", Value: `"X"`, Constraint: "must be lowercase"}},
			[]string{`ecr: S/R: RepositoryName "X": must be lowercase`}, true},
		{"a wrapped validation error", errors.Join(errors.New("building"), &validation.Error{Package: "nag", Field: "ID", Constraint: "bad"}),
			[]string{"building; nag: ID: bad"}, true},
		{"Node.validate errors", errors.New("Error: Validation failed with the following errors:\n  [S/R] must have a rule\n  [S/Q] must have a name\n    at Object.<anonymous> (file.js:1:1)"),
			[]string{"S/R: must have a rule", "S/Q: must have a name"}, true},
		{"a report that is gone", errors.New("ValidationFailed: Validation failed. A copy of this report can be found in: /nonexistent/validation-report.json"),
			[]string{"ValidationFailed: Validation failed. A copy of this report can be found in: /nonexistent/validation-report.json"}, true},
		{"another error", errors.New("something else"), nil, false},
		{"not an error", "a string", nil, false},
	} {
		lines, ok := refusal(tt.v)
		if ok != tt.ok || !slices.Equal(lines, tt.lines) {
			t.Errorf("%s: refusal = %q, %v; want %q, %v", tt.name, lines, ok, tt.lines, tt.ok)
		}
	}
}

// synthPanic synthesizes an app outside the CDK CLI, as `go run .` does,
// and returns what it panicked with.
func synthPanic(t *testing.T, build func(app awscdk.App)) any {
	t.Helper()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	build(app)
	var v any
	func() {
		defer func() { v = recover() }()
		app.Synth(nil)
	}()
	if v == nil {
		t.Fatal("synthesis succeeded")
	}
	return v
}

// What aws-cdk-lib 2.277 throws when the compliance pack finds something:
// every finding comes out as one line, with its construct and rule. This
// fails when CDK's message or report changes.
func TestRefusalPrintsEachComplianceFinding(t *testing.T) {
	v := synthPanic(t, func(app awscdk.App) {
		compliance.Enable(app, nil)
		awsecr.NewRepository(awscdk.NewStack(app, jsii.String("Loose"), nil), jsii.String("Repo"), nil)
	})
	lines, ok := refusal(v)
	if !ok {
		t.Fatalf("not taken for a refusal: %v", v)
	}
	joined := strings.Join(lines, "\n")
	for _, rule := range []string{"SECURITYHUB_ECR_1", "SECURITYHUB_ECR_2", "SECURITYHUB_ECR_3", "CHECKOV_CKV_AWS_51", "CHECKOV_CKV_AWS_136", "CHECKOV_CKV_AWS_163"} {
		if !strings.Contains(joined, "Loose/Repo/Resource: "+rule+" (CloudFormation Validate): ") {
			t.Errorf("no line for %s:\n%s", rule, joined)
		}
	}
	for _, l := range lines {
		if strings.Contains(l, "\n") || strings.Contains(l, "Validation failed") {
			t.Errorf("not a finding on one line: %q", l)
		}
	}
}

// Node.validate errors (a construct's AddValidation) come out one line each.
func TestRefusalPrintsEachNodeValidationError(t *testing.T) {
	v := synthPanic(t, func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("Checked"), nil)
		stack.Node().AddValidation(&validator{errs: []string{"needs an owner tag", "needs a cost centre"}})
	})
	lines, ok := refusal(v)
	if want := []string{"Checked: needs an owner tag", "Checked: needs a cost centre"}; !ok || !slices.Equal(lines, want) {
		t.Errorf("refusal = %q, %v; want %q (CDK threw %q)", lines, ok, want, fmt.Sprint(v))
	}
}

// validator is a constructs.IValidation returning fixed errors.
type validator struct{ errs []string }

func (v *validator) Validate() *[]*string { return jsii.Strings(v.errs...) }

var _ constructs.IValidation = (*validator)(nil)
