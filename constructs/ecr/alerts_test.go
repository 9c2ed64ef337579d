package ecr_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
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

// The functions work on imports, by name in ECR's events and by ARN in
// Inspector's, with the rule under the imported repository.
func TestAlertsOnImportedRepositories(t *testing.T) {
	stack := cdktest.NewStack(t)
	ours := ecr.FromRepositoryName(stack, jsii.String("Shop"), jsii.String("team/shop"))
	cdks := awsecr.Repository_FromRepositoryArn(stack, jsii.String("Base"), jsii.String("arn:aws:ecr:us-east-1:111122223333:repository/team/base"))
	rule := ecr.OnScanFindings(ours, jsii.String("Vulnerable"), nil)
	if *rule.Node().Path() != "Test/Shop/Vulnerable" {
		t.Errorf("rule path %s, want it under the import", *rule.Node().Path())
	}
	ecr.OnScanFindings(cdks, jsii.String("Critical"), &ecr.ScanFindingsOptions{MinimumSeverity: ecr.SeverityCritical, Enhanced: jsii.Bool(true)})
	ecr.OnImagePushed(cdks, jsii.String("Pushed"), nil)
	ecr.OnImageDeleted(ours, jsii.String("Deleted"), &ecr.ImageActionOptions{ImageTags: []string{"v1"}})
	tpl := cdktest.NewTemplate(t, stack)
	tpl.ResourceCountIs("AWS::Events::Rule", 4)
	tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{
		"Description": "Test/Shop basic scanning finds vulnerabilities of severity HIGH or higher",
		"EventPattern": map[string]any{
			"source": []any{"aws.ecr"},
			"detail": assertions.Match_ObjectLike(&map[string]any{"repository-name": []any{"team/shop"}, "scan-status": []any{"COMPLETE"}}),
		},
	})
	tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{
		"Description": "Test/Base enhanced scanning finds vulnerabilities of severity CRITICAL or higher",
		"EventPattern": map[string]any{
			"source": []any{"aws.inspector2"},
			"detail": map[string]any{
				"repository-name":         []any{"arn:aws:ecr:us-east-1:111122223333:repository/team/base"},
				"finding-severity-counts": map[string]any{"CRITICAL": []any{map[string]any{"numeric": []any{">", 0}}}},
			},
		},
	})
	tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{
		"Description":  "Fires when an image is pushed to Test/Base",
		"EventPattern": map[string]any{"detail": assertions.Match_ObjectLike(&map[string]any{"repository-name": []any{"team/base"}, "action-type": []any{"PUSH"}})},
	})
	tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{
		"Description":  "Fires when an image is deleted from Test/Shop",
		"EventPattern": map[string]any{"detail": map[string]any{"repository-name": []any{"team/shop"}, "action-type": []any{"DELETE"}, "result": []any{"SUCCESS"}, "image-tag": []any{"v1"}}},
	})
}

// accountRef is how an environment-agnostic stack names its account.
var accountRef = []any{map[string]any{"Ref": "AWS::AccountId"}}

// arnPrefix is the rendered prefix of the ARNs of the stack's repositories
// named prefix...
func arnPrefix(prefix string) map[string]any {
	return map[string]any{"prefix": map[string]any{"Fn::Join": []any{"", []any{
		"arn:", map[string]any{"Ref": "AWS::Partition"}, ":ecr:", map[string]any{"Ref": "AWS::Region"}, ":",
		map[string]any{"Ref": "AWS::AccountId"}, ":repository/" + prefix,
	}}}}
}

func TestOnRegistryScanFindingsForTheWholeAccount(t *testing.T) {
	stack := cdktest.NewStack(t)
	rule := ecr.OnRegistryScanFindings(stack, jsii.String("Vulnerable"), nil)
	ecr.OnRegistryScanFindings(stack, jsii.String("EnhancedMedium"), &ecr.RegistryScanFindingsOptions{MinimumSeverity: ecr.SeverityMedium, Enhanced: jsii.Bool(true)})
	if *rule.Node().Path() != "Test/Vulnerable" {
		t.Errorf("rule path %s, want it under the scope", *rule.Node().Path())
	}
	numeric := []any{map[string]any{"numeric": []any{">", 0}}}
	tpl := cdktest.NewTemplate(t, stack)
	tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{
		"Description": "Any repository of the account: basic scanning finds vulnerabilities of severity HIGH or higher",
		"EventPattern": map[string]any{
			"source":      []any{"aws.ecr"},
			"detail-type": []any{"ECR Image Scan"},
			"account":     accountRef,
			"detail": map[string]any{
				"repository-name": assertions.Match_Absent(), // every repository
				"scan-status":     []any{"COMPLETE"},
				"$or": []any{
					map[string]any{"finding-severity-counts": map[string]any{"CRITICAL": numeric}},
					map[string]any{"finding-severity-counts": map[string]any{"HIGH": numeric}},
				},
			},
		},
	})
	tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{
		"Description": "Any repository of the account: enhanced scanning finds vulnerabilities of severity MEDIUM or higher",
		"EventPattern": map[string]any{
			"source":      []any{"aws.inspector2"},
			"detail-type": []any{"Inspector2 Scan"},
			"account":     accountRef,
			"detail": map[string]any{
				"repository-name": assertions.Match_Absent(),
				"$or": []any{
					map[string]any{"finding-severity-counts": map[string]any{"CRITICAL": numeric}},
					map[string]any{"finding-severity-counts": map[string]any{"HIGH": numeric}},
					map[string]any{"finding-severity-counts": map[string]any{"MEDIUM": numeric}},
				},
			},
		},
	})
}

func TestOnRegistryScanFindingsForPrefixes(t *testing.T) {
	stack := cdktest.NewStack(t)
	topic := awssns.NewTopic(stack, jsii.String("Alerts"), &awssns.TopicProps{EnforceSSL: jsii.Bool(true)})
	construct := constructs.NewConstruct(stack, jsii.String("Alarms"))
	ecr.OnRegistryScanFindings(construct, jsii.String("Basic"), &ecr.RegistryScanFindingsOptions{
		RepositoryPrefixes: []string{"team-a/", "shop-"},
		MinimumSeverity:    ecr.SeverityCritical,
		ImageTags:          []string{"release-*"},
		OnEventOptions:     awsevents.OnEventOptions{Target: awseventstargets.NewSnsTopic(topic, nil), RuleName: jsii.String("teams-critical")},
	})
	ecr.OnRegistryScanFindings(construct, jsii.String("Enhanced"), &ecr.RegistryScanFindingsOptions{
		RepositoryPrefixes: []string{"team-a/", "shop-"},
		Enhanced:           jsii.Bool(true),
		MinimumSeverity:    ecr.SeverityCritical,
	})
	critical := map[string]any{"CRITICAL": []any{map[string]any{"numeric": []any{">", 0}}}}
	tpl := cdktest.NewTemplate(t, stack)
	tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{
		"Name":        "teams-critical",
		"Description": "Any repository named team-a/*, shop-*: basic scanning finds vulnerabilities of severity CRITICAL or higher",
		"EventPattern": map[string]any{
			"source":      []any{"aws.ecr"},
			"detail-type": []any{"ECR Image Scan"},
			"account":     accountRef,
			"detail": map[string]any{
				"repository-name":         []any{map[string]any{"prefix": "team-a/"}, map[string]any{"prefix": "shop-"}},
				"scan-status":             []any{"COMPLETE"},
				"finding-severity-counts": critical,
				"image-tags":              []any{map[string]any{"prefix": "release-"}},
			},
		},
		"Targets": []any{assertions.Match_ObjectLike(&map[string]any{"Arn": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Alerts"))}})},
	})
	tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{
		"Description": "Any repository named team-a/*, shop-*: enhanced scanning finds vulnerabilities of severity CRITICAL or higher",
		"EventPattern": map[string]any{
			"source":      []any{"aws.inspector2"},
			"detail-type": []any{"Inspector2 Scan"},
			"account":     accountRef,
			"detail": map[string]any{
				"repository-name":         []any{arnPrefix("team-a/"), arnPrefix("shop-")},
				"finding-severity-counts": critical,
			},
		},
	})
}

// In a stack with an environment, the account and ARN prefixes are
// literal.
func TestRegistryAlertsInAStackWithAnEnvironment(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	stack := awscdk.NewStack(app, jsii.String("Test"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("111122223333"), Region: jsii.String("eu-west-1")}})
	ecr.OnRegistryScanFindings(stack, jsii.String("Enhanced"), &ecr.RegistryScanFindingsOptions{RepositoryPrefixes: []string{"team-a/"}, Enhanced: jsii.Bool(true)})
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::Events::Rule", map[string]any{
		"EventPattern": map[string]any{
			"account": []any{"111122223333"},
			"detail": assertions.Match_ObjectLike(&map[string]any{"repository-name": []any{map[string]any{"prefix": map[string]any{"Fn::Join": []any{"", []any{
				"arn:", map[string]any{"Ref": "AWS::Partition"}, ":ecr:eu-west-1:111122223333:repository/team-a/",
			}}}}}}),
		},
	})
}

func TestOnRegistryImagePushedAndDeleted(t *testing.T) {
	stack := cdktest.NewStack(t)
	ecr.OnRegistryImagePushed(stack, jsii.String("Pushed"), &ecr.RegistryImageActionOptions{RepositoryPrefixes: []string{"team-a/"}, ImageTags: []string{"release-*"}})
	ecr.OnRegistryImageDeleted(stack, jsii.String("Deleted"), nil)
	tpl := cdktest.NewTemplate(t, stack)
	tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{
		"Description": "Fires when an image is pushed to a repository named team-a/*",
		"EventPattern": map[string]any{
			"source": []any{"aws.ecr"}, "detail-type": []any{"ECR Image Action"}, "account": accountRef,
			"detail": map[string]any{
				"action-type":     []any{"PUSH"},
				"result":          []any{"SUCCESS"},
				"repository-name": []any{map[string]any{"prefix": "team-a/"}},
				"image-tag":       []any{map[string]any{"prefix": "release-"}},
			},
		},
	})
	tpl.HasResourceProperties("AWS::Events::Rule", map[string]any{
		"Description": "Fires when an image is deleted from a repository of the account",
		"EventPattern": map[string]any{
			"source": []any{"aws.ecr"}, "detail-type": []any{"ECR Image Action"}, "account": accountRef,
			"detail": map[string]any{"action-type": []any{"DELETE"}, "result": []any{"SUCCESS"}, "repository-name": assertions.Match_Absent(), "image-tag": assertions.Match_Absent()},
		},
	})
}

// A long list of prefixes is counted in the default description, which
// EventBridge limits to 512 characters.
func TestRegistryAlertDescriptionStaysShort(t *testing.T) {
	stack := cdktest.NewStack(t)
	var prefixes []string
	for i := range 60 {
		prefixes = append(prefixes, fmt.Sprintf("team-%02d/", i))
	}
	ecr.OnRegistryImagePushed(stack, jsii.String("Pushed"), &ecr.RegistryImageActionOptions{RepositoryPrefixes: prefixes})
	cdktest.NewTemplate(t, stack).HasResourceProperties("AWS::Events::Rule", map[string]any{
		"Description": "Fires when an image is pushed to a repository named team-00/* or under 59 other prefixes",
	})
}

// An alert without a target at synthesis, and an alert on a repository of
// another account or Region, are CDK warnings on the rule; a rule with a
// target added after it was made, and one in the repository's own
// environment, are not.
func TestAlertWarnings(t *testing.T) {
	app := cdktest.NewApp(t, &cdktest.AppOptions{SkipNag: true}) // the warnings of this library only
	stack := awscdk.NewStack(app, jsii.String("Alerts"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("444455556666"), Region: jsii.String("eu-west-1")}})
	topic := awssns.NewTopic(stack, jsii.String("Topic"), nil)
	repo := ecr.NewRepository(stack, jsii.String("Repo"), nil)
	repo.OnImagePushed(jsii.String("Silent"), nil)
	later := repo.OnImageDeleted(jsii.String("Later"), nil)
	later.AddTarget(awseventstargets.NewSnsTopic(topic, nil))
	remote := awsecr.Repository_FromRepositoryArn(stack, jsii.String("Remote"), jsii.String("arn:aws:ecr:us-east-1:111122223333:repository/team/base"))
	opts := awsevents.OnEventOptions{Target: awseventstargets.NewSnsTopic(topic, nil)}
	ecr.OnScanFindings(remote, jsii.String("Findings"), &ecr.ScanFindingsOptions{OnEventOptions: opts})
	local := awsecr.Repository_FromRepositoryArn(stack, jsii.String("Local"), jsii.String("arn:aws:ecr:eu-west-1:444455556666:repository/team/web"))
	ecr.OnImagePushed(local, jsii.String("Pushed"), &ecr.ImageActionOptions{OnEventOptions: opts})
	got := cdktest.Warnings(t, stack)
	want := []string{
		"/Alerts/Remote/Findings: the repository is in account 111122223333, Region us-east-1, and this rule in account 444455556666, Region eu-west-1: ECR sends a repository's events to the default event bus of its own account and Region, so the rule fires only if they reach this bus; create the alert in a stack of that account and Region, or forward the events from there with an EventBridge rule whose target is this account's event bus [ack: @secure-ecr/ecr-cdk-go:alertElsewhere]",
		"/Alerts/Repo/Silent: the alert rule has no target, so it matches events and does nothing with them; give OnEventOptions.Target (an SNS topic, a Lambda function, ...) or call AddTarget on the rule [ack: @secure-ecr/ecr-cdk-go:alertWithoutTarget]",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("warnings:\n got %q\nwant %q", got, want)
	}
}
