package organization

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/jsii-runtime-go"
)

// failing is a validation that always fails.
type failing struct{ why string }

func (f *failing) Validate() *[]*string { return &[]*string{jsii.String(f.why)} }

// cdkRefusal matches CDK's error text, which is not an API: each error is
// triggered here by a real synthesis of a stack like the baseline's, so an
// upgrade of aws-cdk-go that changes the wording fails this test rather
// than turning a clear refusal into an unexplained panic.
func TestCDKRefusalRecognizesCDKErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(file, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	outer := awscdk.NewStack(awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())}), jsii.String("Outer"), nil)
	role := awsiam.NewRole(outer, jsii.String("Outer"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	tests := []struct {
		name  string
		build func(awscdk.Stack)
		want  cdkError
		shape string // what the first line of CDK's message starts with
	}{
		{"an asset", func(s awscdk.Stack) {
			awss3assets.NewAsset(s, jsii.String("Config"), &awss3assets.AssetProps{Path: jsii.String(file)})
		}, cdkNeedsAssets, "Cannot add assets to a Stack that uses the BootstraplessSynthesizer"},
		{"a reference to another app", func(s awscdk.Stack) {
			awsiam.NewRole(s, jsii.String("Reader"), &awsiam.RoleProps{AssumedBy: awsiam.NewArnPrincipal(role.RoleArn())})
		}, cdkReferencesOutside, "Cannot reference across apps"},
		{"a failed validation", func(s awscdk.Stack) {
			awsiam.NewRole(s, jsii.String("Role"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
			s.Node().AddValidation(&failing{why: "always fails"})
		}, cdkValidationFailed, "Validation failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := synthFailure(t, tt.build)
			if got := cdkRefusal(first); got != tt.want {
				t.Errorf("cdkRefusal(%q) = %d, want %d", first, got, tt.want)
			}
			if !strings.Contains(first, tt.shape) {
				t.Errorf("CDK's message changed: %q lacks %q", first, tt.shape)
			}
		})
	}
	if got := cdkRefusal("something else"); got != cdkOther {
		t.Errorf("an unknown error is recognized as %d", got)
	}
}

// synthFailure builds and synthesizes a stack as synthesizeBaseline does and
// returns the first line of the error it panics with.
func synthFailure(t *testing.T, build func(awscdk.Stack)) (first string) {
	t.Helper()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir()), AnalyticsReporting: jsii.Bool(false)})
	stack := awscdk.NewStack(app, jsii.String(baselineStackName), &awscdk.StackProps{Synthesizer: awscdk.NewBootstraplessSynthesizer(nil)})
	defer func() {
		v := recover()
		if v == nil {
			t.Fatal("the stack synthesized")
		}
		first, _, _ = strings.Cut(fmt.Sprint(v), "\n")
	}()
	build(stack)
	app.Synth(nil)
	return ""
}
