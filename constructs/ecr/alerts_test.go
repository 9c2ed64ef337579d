package ecr_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
)

// The patterns themselves are tested against AWS's sample events in
// internal/eventpatterns; these tests check how the rules are built.

func TestOnScanFindingsDefaults(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	rule := repo.OnScanFindings(jsii.String("Vulnerable"), nil)
	if *rule.Node().Path() != "Test/Repo/Vulnerable" {
		t.Errorf("rule path %s, want it under the repository", *rule.Node().Path())
	}
	numeric := []any{map[string]any{"numeric": []any{">", 0}}}
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::Events::Rule", map[string]any{
		"Description": "Test/Repo basic scanning finds vulnerabilities of severity HIGH or higher",
		"EventPattern": map[string]any{
			"source":      []any{"aws.ecr"},
			"detail-type": []any{"ECR Image Scan"},
			"detail": map[string]any{
				"repository-name": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Repo"))}},
				"scan-status":     []any{"COMPLETE"},
				"$or": []any{
					map[string]any{"finding-severity-counts": map[string]any{"CRITICAL": numeric}},
					map[string]any{"finding-severity-counts": map[string]any{"HIGH": numeric}},
				},
			},
		},
		"Targets": assertions.Match_Absent(),
	})
}

func TestOnScanFindingsEnhancedWithATarget(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	topic := awssns.NewTopic(stack, jsii.String("Alerts"), &awssns.TopicProps{EnforceSSL: jsii.Bool(true)})
	repo.OnScanFindings(jsii.String("Critical"), &ecr.ScanFindingsOptions{
		MinimumSeverity: ecr.SeverityCritical,
		Enhanced:        jsii.Bool(true),
		ImageTags:       []string{"release-*", "v*.*-rc*", "stable"},
		OnEventOptions: awsevents.OnEventOptions{
			RuleName: jsii.String("shop-critical-findings"),
			Target:   awseventstargets.NewSnsTopic(topic, nil),
		},
	})
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::Events::Rule", map[string]any{
		"Name": "shop-critical-findings",
		"EventPattern": map[string]any{
			"source":      []any{"aws.inspector2"},
			"detail-type": []any{"Inspector2 Scan"},
			"detail": map[string]any{
				"repository-name":         []any{map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^Repo")), "Arn"}}},
				"finding-severity-counts": map[string]any{"CRITICAL": []any{map[string]any{"numeric": []any{">", 0}}}},
				"image-tags":              []any{map[string]any{"prefix": "release-"}, map[string]any{"wildcard": "v*.*-rc*"}, "stable"},
			},
		},
		"Targets": []any{assertions.Match_ObjectLike(&map[string]any{"Arn": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Alerts"))}})},
	})
}

func TestOnImagePushedAndDeleted(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	pushed := repo.OnImagePushed(jsii.String("Pushed"), &ecr.ImageActionOptions{ImageTags: []string{"release-*"}})
	repo.OnImageDeleted(jsii.String("Deleted"), &ecr.ImageActionOptions{OnEventOptions: awsevents.OnEventOptions{Description: jsii.String("someone deleted an image")}})
	var _ awsevents.Rule = pushed
	tpl := cdktest.NewTemplate(t, stack)
	for action, detail := range map[string]map[string]any{
		"PUSH":   {"image-tag": []any{map[string]any{"prefix": "release-"}}},
		"DELETE": {"image-tag": assertions.Match_Absent()},
	} {
		detail["action-type"] = []any{action}
		detail["result"] = []any{"SUCCESS"}
		detail["repository-name"] = []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Repo"))}}
		tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{
			"EventPattern": map[string]any{"source": []any{"aws.ecr"}, "detail-type": []any{"ECR Image Action"}, "detail": detail},
		})
	}
	tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{"Description": "someone deleted an image"})
	tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{"Description": "Fires when an image is pushed to Test/Repo"})
}

// The pattern of CDK's options narrows the rule's own, as in CDK's OnEvent.
func TestAlertOptionsMergeAnExtraEventPattern(t *testing.T) {
	stack := cdktest.NewStack(t)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), &ecr.RepositoryProps{Tags: map[string]string{"team": "shop"}})
	repo.OnImagePushed(jsii.String("Pushed"), &ecr.ImageActionOptions{OnEventOptions: awsevents.OnEventOptions{
		EventPattern: &awsevents.EventPattern{Account: jsii.Strings("111122223333")},
	}})
	tpl := cdktest.NewTemplate(t, stack)
	tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{"EventPattern": map[string]any{
		"source": []any{"aws.ecr"}, "account": []any{"111122223333"},
	}})
	// RepositoryProps.Tags go on the repository, not on its alert rules.
	tpl.HasResourceProperties("AWS::ECR::Repository", map[string]any{"Tags": []any{map[string]any{"Key": "team", "Value": "shop"}}})
	tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{"Tags": assertions.Match_Absent()})
}
