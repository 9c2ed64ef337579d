package main

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/compliance"
)

// TestMain closes the jsii runtime once, after every test.
func TestMain(m *testing.M) { cdktest.Main(m) }

// The stack synthesizes with the feature flags of cdk.json, passes the ECR
// compliance pack, CDK's validation and cdk-nag, and matches its golden
// template, testdata/Images_1.snap.json (UPDATE_SNAPS=true go test ./...
// rewrites it after an intended change).
func TestImagesStack(t *testing.T) {
	templates := cdktest.Check(t, &cdktest.AppOptions{Compliance: compliance.LevelStandard}, func(app awscdk.App) []awscdk.Stack {
		return []awscdk.Stack{NewImagesStack(app, "Images", nil)}
	})
	repo := cdktest.Resource(t, templates["Images"], "AWS::ECR::Repository")
	if !cdktest.Mentions(repo, `"ImageTagMutability":"IMMUTABLE"`) {
		t.Errorf("the repository's tags are not immutable: %v", repo)
	}
}
