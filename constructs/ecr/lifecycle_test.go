package ecr_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
)

// assertJSONEqual compares two values by their JSON form.
func assertJSONEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	var gv, wv any
	_ = json.Unmarshal(g, &gv)
	_ = json.Unmarshal(w, &wv)
	if !reflect.DeepEqual(gv, wv) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// policyRules returns the rules of the repository's rendered lifecycle policy.
func policyRules(t *testing.T, stack awscdk.Stack) []map[string]any {
	t.Helper()
	props := repositoryResource(t, stack)["Properties"].(map[string]any)
	lp, ok := props["LifecyclePolicy"].(map[string]any)
	if !ok {
		t.Fatal("no LifecyclePolicy")
	}
	var doc struct{ Rules []map[string]any }
	if err := json.Unmarshal([]byte(lp["LifecyclePolicyText"].(string)), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Rules
}

// descriptions lists the rules' priorities and descriptions in order.
func descriptions(rules []map[string]any) []string {
	out := make([]string, len(rules))
	for i, r := range rules {
		b, _ := json.Marshal(r["rulePriority"])
		out[i] = string(b) + " " + r["description"].(string)
	}
	return out
}

func TestRulesKeepTheGivenOrderWithAnyLast(t *testing.T) {
	stack := cdktest.NewStack(t)
	ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{LifecycleRules: []lifecycle.Rule{
		lifecycle.KeepLastNImages(30),
		lifecycle.DeleteTaggedAfterDays("pr-", 7),
		lifecycle.DeleteUntaggedAfterDays(3),
	}})
	got := descriptions(policyRules(t, stack))
	want := []string{
		"1 Expire images tagged pr-* 7 days after push",
		"2 Expire untagged images 3 days after push",
		"3 Keep the 30 most recent images",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rules = %q, want %q", got, want)
	}
}

func TestArchiveRulesReachCloudFormation(t *testing.T) {
	stack := cdktest.NewStack(t)
	ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{LifecycleRules: []lifecycle.Rule{
		lifecycle.ArchiveNotPulledForDays(90),
		lifecycle.DeleteArchivedAfterDays(365),
	}})
	rules := policyRules(t, stack)
	assertJSONEqual(t, "archive rule action", rules[0]["action"], map[string]any{"type": "transition", "targetStorageClass": "archive"})
	assertJSONEqual(t, "archived rule selection", rules[1]["selection"], map[string]any{
		"tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 365,
	})
}

func TestAddLifecycleRulesReplacesTheDefaultThenAppends(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	repo.AddLifecycleRules(lifecycle.KeepLastNImages(50))
	repo.AddLifecycleRules(lifecycle.DeleteTaggedAfterDays("feature-", 14))
	got := descriptions(policyRules(t, stack))
	want := []string{"1 Expire images tagged feature-* 14 days after push", "2 Keep the 50 most recent images"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rules = %q, want %q", got, want)
	}
}

func TestAddLifecycleRulesWithNothingKeepsTheDefault(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	repo.AddLifecycleRules()
	got := descriptions(policyRules(t, stack))
	if want := []string{"1 Expire untagged images 14 days after push"}; !reflect.DeepEqual(got, want) {
		t.Errorf("rules = %q, want %q", got, want)
	}
}

func TestCDKStyleAddLifecycleRuleIsConverted(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{LifecycleRules: []lifecycle.Rule{lifecycle.DeleteUntaggedAfterDays(3)}})
	repo.AddLifecycleRule(&awsecr.LifecycleRule{TagPrefixList: jsii.Strings("prod"), MaxImageCount: jsii.Number(9999)})
	repo.AddLifecycleRule(&awsecr.LifecycleRule{MaxImageAge: awscdk.Duration_Days(jsii.Number(30)), Description: jsii.String("age")})
	rules := policyRules(t, stack)
	assertJSONEqual(t, "converted rules", rules[1:], []any{
		map[string]any{"rulePriority": 2, "selection": map[string]any{"tagStatus": "tagged", "tagPrefixList": []any{"prod"}, "countType": "imageCountMoreThan", "countNumber": 9999}, "action": map[string]any{"type": "expire"}},
		map[string]any{"rulePriority": 3, "description": "age", "selection": map[string]any{"tagStatus": "any", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 30}, "action": map[string]any{"type": "expire"}},
	})
}

func TestNoLifecyclePolicy(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{NoLifecyclePolicy: jsii.Bool(true)})
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::ECR::Repository", map[string]any{
		"LifecyclePolicy": assertions.Match_Absent(),
	})
	if repo.LifecyclePolicy() != nil {
		t.Error("LifecyclePolicy() should be nil")
	}
}

// The lifecycle analysis's warnings are CDK warnings on the repository,
// once each, with an id that acknowledges them; a clean policy adds none.
func TestLifecycleAnalysisWarnsOnTheRepository(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{LifecycleRules: lifecycle.KeepLastNTagged(5, "v", "v1")})
	repo.AddLifecycleRules(lifecycle.DeleteMatchingAfterDays("feature-", 7))
	ecr.NewRepository(stack, jsii.String("Clean"), &ecr.RepositoryProps{LifecycleRules: lifecycle.Concat(lifecycle.Protect("release-"), lifecycle.StandardProdRules())})
	ecr.NewRepository(stack, jsii.String("Keeper"), &ecr.RepositoryProps{LifecycleRules: lifecycle.Protect("prod")})
	got := cdktest.Warnings(t, stack)
	want := []string{
		`/Test/Keeper: LifecycleRules: policy: rules (2 rules): no rule can ever fire, so the policy expires nothing (Security Hub ECR.3 passes all the same); add a rule that acts, such as DeleteUntaggedAfterDays(14) [ack: @secure-ecr/ecr-cdk-go:lifecycle-expiresNothing]`,
		`/Test/Repo: LifecycleRules: rules[1] ("Keep the 5 most recent v1* images"): selection.tagPrefixList ["v1"]: can never act: every image it selects is taken first by rules[0] ("Keep the 5 most recent v* images") [ack: @secure-ecr/ecr-cdk-go:lifecycle-deadRule]`,
		`/Test/Repo: LifecycleRules: rules[2] ("Expire images tagged feature- 7 days after push"): selection.tagPatternList "feature-": has no wildcard, so it matches only the tag "feature-" itself; for every tag starting with it write "feature-*" (or a tagPrefixList, as DeleteTaggedAfterDays builds) [ack: @secure-ecr/ecr-cdk-go:lifecycle-exactPattern]`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("warnings:\n got %q\nwant %q", got, want)
	}
}
