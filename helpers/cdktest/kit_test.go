package cdktest_test

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
)

// recorder is a testing.TB that records failures instead of failing, so
// the kit's own failures can be checked.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
	failed bool
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
	r.failed = true
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...); r.FailNow() }
func (r *recorder) Fatal(args ...any)                 { r.Errorf("%s", fmt.Sprint(args...)); r.FailNow() }
func (r *recorder) FailNow()                          { r.failed = true; runtime.Goexit() }

// run calls f with a recorder in its own goroutine, as FailNow needs.
func run(t *testing.T, f func(tb testing.TB)) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

// A stack that breaks the compliance pack and cdk-nag fails the test with
// one line per finding, not with a panic and a goroutine trace.
func TestSynthReportsFindingsOnePerLine(t *testing.T) {
	r := run(t, func(tb testing.TB) {
		app := cdktest.NewApp(tb, &cdktest.AppOptions{Compliance: compliance.LevelStandard})
		stack := awscdk.NewStack(app, jsii.String("Loose"), nil)
		awsecr.NewRepository(stack, jsii.String("Repo"), nil) // CDK's defaults: mutable, no scan, AES256
		cdktest.Synth(tb, app)
	})
	if !r.failed {
		t.Fatal("the findings did not fail the test")
	}
	joined := strings.Join(r.errors, "\n")
	for _, want := range []string{"SECURITYHUB_ECR_1", "SECURITYHUB_ECR_2", "CHECKOV_CKV_AWS_136", "Loose/Repo/Resource"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no finding mentions %s:\n%s", want, joined)
		}
	}
	for _, e := range r.errors {
		if strings.Contains(e, "\n") || strings.Contains(e, "goroutine") || strings.Contains(e, ".js:") {
			t.Errorf("a finding spans lines or carries a trace: %q", e)
		}
	}
}

func TestSynthPassesACleanApp(t *testing.T) {
	r := run(t, func(tb testing.TB) {
		app := cdktest.NewApp(tb, &cdktest.AppOptions{Compliance: compliance.LevelStandard})
		ecr.NewRepository(awscdk.NewStack(app, jsii.String("Clean"), nil), jsii.String("Repo"), nil)
		asm := cdktest.Synth(tb, app)
		if cdktest.LogicalID(tb, asm.Template(tb, "Clean"), "AWS::ECR::Repository") == "" {
			tb.Errorf("no repository")
		}
	})
	if r.failed {
		t.Errorf("a clean app failed: %q", r.errors)
	}
}

func TestNagErrorsFailTheTest(t *testing.T) {
	r := run(t, func(tb testing.TB) {
		app := cdktest.NewApp(tb, nil)
		stack := awscdk.NewStack(app, jsii.String("Open"), nil)
		repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
		repo.GrantPullToAccounts(awsiam.NewAccountPrincipal(jsii.String("111122223333"))) // fine
		repo.AddToResourcePolicy(awsiamStarStatement())
		cdktest.Synth(tb, app)
	})
	if joined := strings.Join(r.errors, "\n"); !strings.Contains(joined, "AwsSolutions-ECR1") {
		t.Errorf("cdk-nag's ECR1 was not reported: %q", r.errors)
	}
}

func TestExpandEmbeddedJSON(t *testing.T) {
	got := cdktest.ExpandEmbeddedJSON(map[string]any{
		"LifecyclePolicyText": `{"rules":[{"rulePriority":1}]}`,
		"Name":                "{not json",
		"List":                []any{"[1,2]", "plain"},
	})
	cdktest.JSONEqual(t, "expanded", got, map[string]any{
		"LifecyclePolicyText": map[string]any{cdktest.EmbeddedJSONKey: map[string]any{"rules": []any{map[string]any{"rulePriority": 1}}}},
		"Name":                "{not json",
		"List":                []any{map[string]any{cdktest.EmbeddedJSONKey: []any{1, 2}}, "plain"},
	})
}

// awsiamStarStatement allows everyone to pull: what cdk-nag's ECR1 flags.
func awsiamStarStatement() awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("ecr:BatchGetImage"),
	})
}

// warned builds an app whose only findings are warnings: CDK's default
// rules report an invalid ImageTagMutability as a warning when the feature
// flag @aws-cdk/core:validateAgainstDefaultRules is not set (no context
// here), and a warning annotation.
func warned(tb testing.TB, failOnWarnings bool) {
	app := cdktest.NewApp(tb, &cdktest.AppOptions{SkipNag: true, Context: map[string]any{}, FailOnWarnings: failOnWarnings})
	stack := awscdk.NewStack(app, jsii.String("Warned"), nil)
	awsecr.NewCfnRepository(stack, jsii.String("Repo"), &awsecr.CfnRepositoryProps{ImageTagMutability: jsii.String("SOMETIMES")})
	awscdk.Annotations_Of(stack).AddWarningV2(jsii.String("test:warning"), jsii.String("a warning of the stack"), nil)
	cdktest.Synth(tb, app)
}

func TestWarningsDoNotFailUnlessAsked(t *testing.T) {
	if r := run(t, func(tb testing.TB) { warned(tb, false) }); r.failed {
		t.Errorf("warnings failed the test: %q", r.errors)
	}
	r := run(t, func(tb testing.TB) { warned(tb, true) })
	joined := strings.Join(r.errors, "\n")
	if !r.failed || !strings.Contains(joined, "Warned/Repo: warning") || !strings.Contains(joined, "warning at /Warned: a warning of the stack") {
		t.Errorf("FailOnWarnings: want the report's warning and the annotation, got %q", r.errors)
	}
}

// An error annotation fails the test, as it fails `cdk synth`, whoever
// added it.
func TestErrorAnnotationsFailTheTest(t *testing.T) {
	r := run(t, func(tb testing.TB) {
		app := cdktest.NewApp(tb, &cdktest.AppOptions{SkipNag: true})
		ecr.NewRepository(awscdk.NewStack(app, jsii.String("Annotated"), nil), jsii.String("Repo"), nil)
		awscdk.Annotations_Of(app.Node().FindChild(jsii.String("Annotated"))).AddError(jsii.String("not for production"))
		cdktest.Synth(tb, app)
	})
	// aws-cdk-lib 2.277 reports error annotations in the validation report
	// (plugin "Construct Annotations") and fails synthesis on them.
	if !r.failed || len(r.errors) != 1 || !strings.Contains(r.errors[0], "Annotated: error") || !strings.HasSuffix(r.errors[0], ": not for production") {
		t.Errorf("want the error annotation reported once, got %q", r.errors)
	}
}

// The package example is a real test: it synthesizes, checks and matches
// its golden template.
func TestPackageExample(t *testing.T) { testImagesStack(t) }
