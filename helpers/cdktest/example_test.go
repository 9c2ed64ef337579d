package cdktest_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

// NewImagesStack is your app's stack.
func NewImagesStack(scope constructs.Construct, id string) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), nil)
	ecr.NewRepository(stack, jsii.String("Web"), &ecr.RepositoryProps{
		RepositoryName: jsii.String("shop/web"),
		LifecycleRules: lifecycle.Concat(
			lifecycle.DeleteUntaggedAfterDays(14),
			lifecycle.KeepLastNImages(30),
		),
	})
	return stack
}

// testImagesStack is the test of your package, TestImagesStack in your
// main_test.go, with TestMain:
//
//	func TestMain(m *testing.M) { cdktest.Main(m) }
//	func TestImagesStack(t *testing.T) { ... }
//
// Check synthesizes the stack with the compliance pack and cdk-nag, fails
// the test with one line per finding (warnings are only logged), and
// compares the template with testdata/Images_1.snap.json, which
// `UPDATE_SNAPS=true go test ./...` writes. This package's own
// TestPackageExample runs it.
func testImagesStack(t *testing.T) {
	templates := cdktest.Check(t, &cdktest.AppOptions{Compliance: compliance.LevelStandard},
		func(app awscdk.App) []awscdk.Stack {
			return []awscdk.Stack{NewImagesStack(app, "Images")}
		})
	repo := cdktest.Resource(t, templates["Images"], "AWS::ECR::Repository")
	if repo["DeletionPolicy"] != "Retain" {
		t.Errorf("DeletionPolicy = %v, want Retain", repo["DeletionPolicy"])
	}
}

// A user's test of their own stack: the whole kit in one call. (Not run as
// an example: a test needs a *testing.T; TestPackageExample runs it.)
func ExampleCheck() {
	_ = testImagesStack
}
