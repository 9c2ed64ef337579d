package ecr_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// Validate reports, as an error, what NewRepository would refuse in the
// props, without building anything.
func TestValidateReturnsWhatNewRepositoryRefuses(t *testing.T) {
	props := &ecr.RepositoryProps{
		RepositoryName: jsii.String("Shop"),
		EmptyOnDelete:  jsii.Bool(true),
		LifecycleRules: []lifecycle.Rule{lifecycle.KeepLastNImages(0)},
	}
	err := props.Validate()
	want := `ecr: RepositoryProps: RepositoryName "Shop": must be lowercase letters and digits in groups separated by one of . _ - or /, matching ^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$; ` +
		`ecr: RepositoryProps: EmptyOnDelete true: only applies with RemovalPolicy DESTROY, not RETAIN; ` +
		`ecr: RepositoryProps: LifecycleRules: rules[0] ("Keep the 0 most recent images"): selection.countNumber 0: must be a positive integer`
	if err == nil || err.Error() != want {
		t.Fatalf("Validate:\n got %v\nwant %s", err, want)
	}
	var invalid *validation.Error
	if !errors.As(err, &invalid) || invalid.Field != "RepositoryName" {
		t.Errorf("errors.As: %+v", invalid)
	}
	var inner *validation.Error
	if last := err.(validation.Errors)[2]; !errors.As(last.Unwrap(), &inner) || inner.Path != `rules[0] ("Keep the 0 most recent images")` {
		t.Errorf("the lifecycle problem does not unwrap to the lifecycle error: %+v", inner)
	}

	// The construct refuses the same props with the same problems, under
	// its own path.
	stack := cdktest.NewStack(t)
	panicked := cdktest.Panic(t, func() { ecr.NewRepository(stack, jsii.String("Repo"), props) })
	var refused validation.Errors
	if !errors.As(panicked, &refused) || len(refused) != 3 || refused[0].Path != "Test/Repo" {
		t.Errorf("NewRepository refused with %v", panicked)
	}
}

func TestValidateAcceptsDefaultsAndValidProps(t *testing.T) {
	var none *ecr.RepositoryProps
	for name, props := range map[string]*ecr.RepositoryProps{
		"nil":         none,
		"zero":        {},
		"development": ecr.DevelopmentProps(),
		"token name":  {RepositoryName: awscdk.Fn_ImportValue(jsii.String("Name"))},
	} {
		if err := props.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
