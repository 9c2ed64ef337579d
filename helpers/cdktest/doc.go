// Package cdktest is the testing kit for CDK apps built with this library
// (and any other CDK app in Go): golden templates with readable diffs, the
// compliance pack and cdk-nag as test failures, and assertions that fail a
// test instead of panicking.
//
// A test of a user's own stack:
//
//	func TestMain(m *testing.M) { cdktest.Main(m) }
//
//	func TestImagesStack(t *testing.T) {
//		app := cdktest.NewApp(t, &cdktest.AppOptions{Compliance: compliance.LevelStandard})
//		stack := NewImagesStack(app, "Images")
//		asm := cdktest.Synth(t, app) // fails the test with each finding, one per line
//		cdktest.MatchGolden(t, "Images", asm.Template(t, "Images"))
//	}
//
// [NewApp] reads the feature flags of the cdk.json it finds above the test's
// directory, so tests synthesize like `cdk synth`. [Synth] reports every
// finding of CDK's CloudFormation validation (with the compliance pack when
// asked) and every cdk-nag AwsSolutions error as one test error each, never
// as a panic. [MatchGolden] keeps one golden template per stack under
// testdata/, written by go-snaps (`UPDATE_SNAPS=true go test ./...`), with
// the JSON documents CloudFormation takes as strings (lifecycle policies,
// event patterns) shown as JSON, so a changed rule is a readable diff.
//
// Each test binary starts one Node.js process for the jsii runtime: share an
// App where tests stay independent, and close the runtime once, in TestMain
// ([Main]), never inside a test.
package cdktest
