package eventpatterns

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
)

// The account and Region of AWS's Inspector sample, where the registry
// rules are deployed; the basic scan and image action samples are of the
// same account.
const (
	sampleAccount = "123456789012"
	sampleRegion  = "us-east-2"
)

// registryRules builds a stack of the samples' account and Region with
// every kind of registry rule, and repository rules on imports, and returns their event patterns by rule id,
// with the stack's pseudo parameters resolved.
func registryRules(t *testing.T) map[string][]byte {
	t.Helper()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	stack := awscdk.NewStack(app, jsii.String("Registry"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String(sampleAccount), Region: jsii.String(sampleRegion)},
	})
	prefixes := []string{"my-repository-", "team-a/"}
	ecr.OnRegistryScanFindings(stack, jsii.String("Account"), nil)
	ecr.OnRegistryScanFindings(stack, jsii.String("AccountLow"), &ecr.RegistryScanFindingsOptions{MinimumSeverity: ecr.SeverityLow})
	ecr.OnRegistryScanFindings(stack, jsii.String("Prefixed"), &ecr.RegistryScanFindingsOptions{RepositoryPrefixes: prefixes})
	ecr.OnRegistryScanFindings(stack, jsii.String("PrefixedCritical"), &ecr.RegistryScanFindingsOptions{RepositoryPrefixes: prefixes, MinimumSeverity: ecr.SeverityCritical, ImageTags: []string{"release-*"}})
	ecr.OnRegistryScanFindings(stack, jsii.String("EnhancedAccount"), &ecr.RegistryScanFindingsOptions{Enhanced: jsii.Bool(true)})
	ecr.OnRegistryScanFindings(stack, jsii.String("EnhancedPrefixed"), &ecr.RegistryScanFindingsOptions{Enhanced: jsii.Bool(true), RepositoryPrefixes: []string{"amazon/", "team-a/"}, MinimumSeverity: ecr.SeverityCritical})
	ecr.OnRegistryImagePushed(stack, jsii.String("PushedAccount"), nil)
	ecr.OnRegistryImagePushed(stack, jsii.String("PushedPrefixed"), &ecr.RegistryImageActionOptions{RepositoryPrefixes: []string{"my-repository"}, ImageTags: []string{"release-*"}})
	ecr.OnRegistryImageDeleted(stack, jsii.String("DeletedAccount"), nil)
	// The repository alerts on imports, for comparison.
	ecr.OnScanFindings(ecr.FromRepositoryName(stack, jsii.String("Imported"), jsii.String(basicName)), jsii.String("Findings"), nil)
	ecr.OnScanFindings(ecr.FromRepositoryName(stack, jsii.String("ImportedSample"), jsii.String(enhancedName)), jsii.String("Enhanced"), &ecr.ScanFindingsOptions{Enhanced: jsii.Bool(true)})

	resources := cdktest.JSON(t, stack)["Resources"].(map[string]any)
	refs := map[string]string{"AWS::Partition": "aws"}
	patterns := map[string][]byte{}
	for id, r := range resources {
		res := r.(map[string]any)
		if res["Type"] != "AWS::Events::Rule" {
			continue
		}
		pattern := resolve(t, res["Properties"].(map[string]any)["EventPattern"], refs)
		b, _ := json.Marshal(pattern)
		patterns[id[:len(id)-8]] = b
	}
	if len(patterns) != 11 {
		t.Fatalf("found %d rules, want 11: %v", len(patterns), keys(patterns))
	}
	return patterns
}

// top sets a top-level field of an event.
func top(t *testing.T, data []byte, key string, value any) []byte {
	t.Helper()
	var e map[string]any
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	e[key] = value
	out, _ := json.Marshal(e)
	return out
}

// arn is the ARN of a repository of the samples' account and Region.
func arn(name string) string {
	return "arn:aws:ecr:" + sampleRegion + ":" + sampleAccount + ":repository/" + name
}

func TestRegistryRulesMatchTheSampleEvents(t *testing.T) {
	patterns := registryRules(t)
	scan := func(change func(map[string]any)) []byte { return event(t, "ecr-image-scan.json", change) }
	inspector := func(change func(map[string]any)) []byte { return event(t, "inspector2-scan.json", change) }
	both := func(changes ...func(map[string]any)) func(map[string]any) {
		return func(d map[string]any) {
			for _, c := range changes {
				c(d)
			}
		}
	}
	tests := []struct {
		rule, name string
		event      []byte
		want       bool
	}{
		// Every repository of the account, basic scanning, HIGH and above.
		{"Account", "AWS sample: my-repository-name, CRITICAL 10", scan(nil), true},
		{"Account", "any other repository", scan(set("repository-name", "anything/else")), true},
		{"Account", "MEDIUM only", scan(counts(map[string]any{"MEDIUM": 9})), false},
		{"Account", "a clean scan", scan(counts(map[string]any{})), false},
		{"Account", "a failed scan", scan(set("scan-status", "FAILED")), false},
		{"Account", "another account's event on the bus", top(t, scan(nil), "account", "111122223333"), false},
		{"Account", "an enhanced scan event", inspector(nil), false},
		{"AccountLow", "LOW only", scan(counts(map[string]any{"LOW": 1})), true},
		{"AccountLow", "INFORMATIONAL only", scan(counts(map[string]any{"INFORMATIONAL": 1})), false},
		// Repositories under prefixes, basic scanning.
		{"Prefixed", "AWS sample, under my-repository-", scan(nil), true},
		{"Prefixed", "under team-a/", scan(set("repository-name", "team-a/web")), true},
		{"Prefixed", "team-ab/web is not under team-a/", scan(set("repository-name", "team-ab/web")), false},
		{"Prefixed", "the prefix in the middle", scan(set("repository-name", "x/team-a/web")), false},
		{"Prefixed", "another repository", scan(set("repository-name", "my-repo")), false},
		{"Prefixed", "under a prefix, HIGH only", scan(both(set("repository-name", "team-a/api"), counts(map[string]any{"HIGH": 2}))), true},
		{"Prefixed", "under a prefix, MEDIUM only", scan(both(set("repository-name", "team-a/api"), counts(map[string]any{"MEDIUM": 2}))), false},
		{"PrefixedCritical", "AWS sample, untagged", scan(nil), false},
		{"PrefixedCritical", "a release tag", scan(set("image-tags", []any{"release-3"})), true},
		{"PrefixedCritical", "a release tag, HIGH only", scan(both(set("image-tags", []any{"release-3"}), counts(map[string]any{"HIGH": 4}))), false},
		{"PrefixedCritical", "a release tag in another repository", scan(both(set("image-tags", []any{"release-3"}), set("repository-name", "shop/web"))), false},
		// Every repository, enhanced scanning.
		{"EnhancedAccount", "AWS sample: CRITICAL 7, HIGH 61", inspector(nil), true},
		{"EnhancedAccount", "zero counts listed", inspector(counts(map[string]any{"CRITICAL": 0, "HIGH": 0, "MEDIUM": 4, "TOTAL": 4})), false},
		{"EnhancedAccount", "AWS's clean sample, of another account", event(t, "inspector2-scan-clean.json", nil), false},
		{"EnhancedAccount", "another account's findings", top(t, inspector(nil), "account", "111122223333"), false},
		{"EnhancedAccount", "a basic scan event", scan(nil), false},
		// Repositories under prefixes, enhanced scanning: by ARN.
		{"EnhancedPrefixed", "AWS sample: amazon/amazon-ecs-sample", inspector(nil), true},
		{"EnhancedPrefixed", "under team-a/", inspector(set("repository-name", arn("team-a/web"))), true},
		{"EnhancedPrefixed", "not under a prefix", inspector(set("repository-name", arn("amazon-ecs-sample"))), false},
		{"EnhancedPrefixed", "under a prefix, HIGH only", inspector(counts(map[string]any{"CRITICAL": 0, "HIGH": 61})), false},
		{"EnhancedPrefixed", "the same name in another Region", inspector(set("repository-name", "arn:aws:ecr:eu-west-1:"+sampleAccount+":repository/amazon/amazon-ecs-sample")), false},
		{"EnhancedPrefixed", "the same name in another account", inspector(set("repository-name", "arn:aws:ecr:"+sampleRegion+":111122223333:repository/amazon/amazon-ecs-sample")), false},
		{"EnhancedPrefixed", "a name, not an ARN", inspector(set("repository-name", "amazon/amazon-ecs-sample")), false},
		// Image actions.
		{"PushedAccount", "AWS sample push", event(t, "ecr-image-push.json", nil), true},
		{"PushedAccount", "a push to any other repository", event(t, "ecr-image-push.json", set("repository-name", "shop/web")), true},
		{"PushedAccount", "a failed push", event(t, "ecr-image-push.json", set("result", "FAILURE")), false},
		{"PushedAccount", "AWS sample delete", event(t, "ecr-image-delete.json", nil), false},
		{"PushedAccount", "AWS sample archive", event(t, "ecr-image-archive.json", nil), false},
		{"PushedPrefixed", "AWS sample push, tag latest", event(t, "ecr-image-push.json", nil), false},
		{"PushedPrefixed", "tag release-7 under the prefix", event(t, "ecr-image-push.json", set("image-tag", "release-7")), true},
		{"PushedPrefixed", "tag release-7 in another repository", event(t, "ecr-image-push.json", both(set("image-tag", "release-7"), set("repository-name", "shop/web"))), false},
		{"DeletedAccount", "AWS sample delete", event(t, "ecr-image-delete.json", nil), true},
		{"DeletedAccount", "AWS sample push", event(t, "ecr-image-push.json", nil), false},
		{"DeletedAccount", "another account's delete", top(t, event(t, "ecr-image-delete.json", nil), "account", "111122223333"), false},
		// A repository rule on an import names one repository.
		{"ImportedFindings", "AWS sample", scan(nil), true},
		{"ImportedFindings", "another repository", scan(set("repository-name", "my-repository-name-2")), false},
		{"ImportedSampleEnhanced", "AWS sample", inspector(nil), true},
		{"ImportedSampleEnhanced", "another repository under the name", inspector(set("repository-name", arn("amazon/amazon-ecs-sample-2"))), false},
	}
	for _, tt := range tests {
		pattern, ok := patterns[tt.rule]
		if !ok {
			t.Fatalf("no rule %s among %v", tt.rule, keys(patterns))
		}
		got, err := Match(pattern, tt.event)
		if err != nil {
			t.Fatalf("%s: %v", tt.rule, err)
		}
		if got != tt.want {
			t.Errorf("%s, %s: matched %v, want %v\npattern %s", tt.rule, tt.name, got, tt.want, pattern)
		}
	}
}
