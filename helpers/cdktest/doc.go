// Package cdktest is the testing kit for CDK apps built with this library
// (and any other CDK app in Go): golden templates with readable diffs, the
// compliance pack and cdk-nag as test failures, and assertions that fail a
// test instead of panicking.
//
// A test of a user's own stack is one call to [Check] (see its example,
// which this package's tests run):
//
//	func TestMain(m *testing.M) { cdktest.Main(m) }
//
//	func TestImagesStack(t *testing.T) {
//		cdktest.Check(t, &cdktest.AppOptions{Compliance: compliance.LevelStandard},
//			func(app awscdk.App) []awscdk.Stack {
//				return []awscdk.Stack{NewImagesStack(app, "Images")}
//			})
//	}
//
// [NewApp] reads the feature flags of the cdk.json it finds above the test's
// directory, so tests synthesize like `cdk synth`. [Synth] fails the test,
// one error per finding and never with a panic, on: the errors of CDK's
// validation report (CloudFormation validation errors, the compliance pack's
// findings, and error annotations, cdk-nag's AwsSolutions errors among
// them), rules cdk-nag could not evaluate, and cdk-nag suppressions without
// a reason. Warnings (report findings of severity "warning", warning
// annotations such as cdk-nag's AwsSolutions warnings) are logged and fail
// the test only with AppOptions.FailOnWarnings. [MatchGolden] keeps one
// golden template per stack under testdata/, written by go-snaps
// (`UPDATE_SNAPS=true go test ./...`) with mode 0644, with the JSON
// documents CloudFormation takes as strings (lifecycle policies, event
// patterns) shown as JSON, so a changed rule is a readable diff; the diff is
// plain text unless standard output and standard error are terminals, and
// names the golden file's first differing line.
//
// Each test binary starts one Node.js process for the jsii runtime: share an
// App where tests stay independent, and close the runtime once, in TestMain
// ([Main]), never inside a test.
package cdktest
