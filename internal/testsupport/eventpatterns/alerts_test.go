package eventpatterns

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/secure-ecr/ecr-cdk-go/constructs/ecr"
	"github.com/secure-ecr/ecr-cdk-go/helpers/cdktest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// The repositories of AWS's samples: basic scanning and image actions name
// "my-repository-name"; the Inspector sample names its repository by ARN.
const (
	basicName    = "my-repository-name"
	enhancedName = "amazon/amazon-ecs-sample"
	enhancedARN  = "arn:aws:ecr:us-east-2:123456789012:repository/amazon/amazon-ecs-sample"
)

// rules builds one stack with every kind of rule and returns their event
// patterns by rule id, with the repositories' Ref and GetAtt resolved to the
// names and ARNs of AWS's samples.
func rules(t *testing.T) map[string][]byte {
	t.Helper()
	stack := cdktest.NewStack(t)
	basic := ecr.NewRepository(stack, jsii.String("Basic"), &ecr.RepositoryProps{RepositoryName: jsii.String(basicName)})
	enhanced := ecr.NewRepository(stack, jsii.String("Enhanced"), &ecr.RepositoryProps{RepositoryName: jsii.String(enhancedName)})

	basic.OnScanFindings(jsii.String("High"), nil)
	basic.OnScanFindings(jsii.String("Critical"), &ecr.ScanFindingsOptions{MinimumSeverity: ecr.SeverityCritical})
	basic.OnScanFindings(jsii.String("Medium"), &ecr.ScanFindingsOptions{MinimumSeverity: ecr.SeverityMedium})
	basic.OnScanFindings(jsii.String("Low"), &ecr.ScanFindingsOptions{MinimumSeverity: ecr.SeverityLow})
	basic.OnScanFindings(jsii.String("Tagged"), &ecr.ScanFindingsOptions{ImageTags: []string{"release-*", "stable"}})
	enhanced.OnScanFindings(jsii.String("EnhancedHigh"), &ecr.ScanFindingsOptions{Enhanced: jsii.Bool(true)})
	enhanced.OnScanFindings(jsii.String("EnhancedTagged"), &ecr.ScanFindingsOptions{Enhanced: jsii.Bool(true), ImageTags: []string{"v1*"}})
	basic.OnImagePushed(jsii.String("Pushed"), nil)
	basic.OnImagePushed(jsii.String("PushedRelease"), &ecr.ImageActionOptions{ImageTags: []string{"release-*"}})
	basic.OnImageDeleted(jsii.String("Deleted"), nil)

	resources := cdktest.JSON(t, stack)["Resources"].(map[string]any)
	refs := map[string]string{}
	for id, r := range resources {
		props, _ := r.(map[string]any)["Properties"].(map[string]any)
		switch props["RepositoryName"] {
		case basicName:
			refs[id] = basicName
		case enhancedName:
			refs[id] = enhancedName
			refs[id+".Arn"] = enhancedARN
		}
	}
	patterns := map[string][]byte{}
	for id, r := range resources {
		res := r.(map[string]any)
		if res["Type"] != "AWS::Events::Rule" {
			continue
		}
		pattern := resolve(t, res["Properties"].(map[string]any)["EventPattern"], refs)
		b, _ := json.Marshal(pattern)
		patterns[ruleID(id)] = b
	}
	if len(patterns) != 10 {
		t.Fatalf("found %d rules, want 10", len(patterns))
	}
	return patterns
}

// ruleID turns a rule's logical id, its repository's id, its own id and a
// hash ("BasicHigh0F1A2B3C"), into its own id ("High").
func ruleID(logical string) string {
	for _, repo := range []string{"Basic", "Enhanced"} {
		if strings.HasPrefix(logical, repo) {
			return logical[len(repo) : len(logical)-8]
		}
	}
	return logical
}

// resolve replaces {"Ref": id} and {"Fn::GetAtt": [id, "Arn"]} of the
// repositories by their names and ARNs, the pseudo parameters refs holds
// ("AWS::Partition") by their values, and joins {"Fn::Join"}.
func resolve(t *testing.T, v any, refs map[string]string) any {
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["Ref"].(string); ok && len(v) == 1 {
			if name, ok := refs[ref]; ok {
				return name
			}
			t.Fatalf("unresolved Ref %s", ref)
		}
		if join, ok := v["Fn::Join"].([]any); ok && len(v) == 1 {
			var b strings.Builder
			for _, part := range join[1].([]any) {
				s, ok := resolve(t, part, refs).(string)
				if !ok {
					t.Fatalf("unresolved part %v of %v", part, join)
				}
				b.WriteString(s)
			}
			return b.String()
		}
		if att, ok := v["Fn::GetAtt"].([]any); ok && len(v) == 1 {
			if arn, ok := refs[att[0].(string)+"."+att[1].(string)]; ok {
				return arn
			}
			t.Fatalf("unresolved GetAtt %v", att)
		}
		out := map[string]any{}
		for k, c := range v {
			out[k] = resolve(t, c, refs)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, c := range v {
			out[i] = resolve(t, c, refs)
		}
		return out
	}
	return v
}

// event loads a sample event and applies changes to its detail.
func event(t *testing.T, file string, change func(detail map[string]any)) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/events/" + file)
	if err != nil {
		t.Fatal(err)
	}
	if change == nil {
		return data
	}
	var e map[string]any
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	change(e["detail"].(map[string]any))
	out, _ := json.Marshal(e)
	return out
}

// counts sets an event's finding-severity-counts.
func counts(c map[string]any) func(map[string]any) {
	return func(d map[string]any) { d["finding-severity-counts"] = c }
}

// set sets one detail field.
func set(key string, value any) func(map[string]any) {
	return func(d map[string]any) { d[key] = value }
}

func TestRulesMatchTheSampleEvents(t *testing.T) {
	patterns := rules(t)
	tests := []struct {
		rule, name string
		event      []byte
		want       bool
	}{
		// Basic scanning, HIGH and above (the default).
		{"High", "AWS sample: CRITICAL 10, MEDIUM 9", event(t, "ecr-image-scan.json", nil), true},
		{"High", "HIGH only", event(t, "ecr-image-scan.json", counts(map[string]any{"HIGH": 1})), true},
		{"High", "MEDIUM only", event(t, "ecr-image-scan.json", counts(map[string]any{"MEDIUM": 9})), false},
		{"High", "a clean scan", event(t, "ecr-image-scan.json", counts(map[string]any{})), false},
		{"High", "a failed scan", event(t, "ecr-image-scan.json", set("scan-status", "FAILED")), false},
		{"High", "another repository", event(t, "ecr-image-scan.json", set("repository-name", "other")), false},
		{"High", "an enhanced scan event", event(t, "inspector2-scan.json", nil), false},
		// Other thresholds.
		{"Critical", "AWS sample", event(t, "ecr-image-scan.json", nil), true},
		{"Critical", "HIGH only", event(t, "ecr-image-scan.json", counts(map[string]any{"HIGH": 5})), false},
		{"Medium", "MEDIUM only", event(t, "ecr-image-scan.json", counts(map[string]any{"MEDIUM": 9})), true},
		{"Medium", "LOW only", event(t, "ecr-image-scan.json", counts(map[string]any{"LOW": 3})), false},
		{"Low", "LOW only", event(t, "ecr-image-scan.json", counts(map[string]any{"LOW": 3})), true},
		{"Low", "INFORMATIONAL only", event(t, "ecr-image-scan.json", counts(map[string]any{"INFORMATIONAL": 2, "UNDEFINED": 1})), false},
		// Tag filters on basic scans.
		{"Tagged", "AWS sample, untagged", event(t, "ecr-image-scan.json", nil), false},
		{"Tagged", "a release- tag", event(t, "ecr-image-scan.json", set("image-tags", []any{"sha-1", "release-2"})), true},
		{"Tagged", "an exact tag", event(t, "ecr-image-scan.json", set("image-tags", []any{"stable"})), true},
		{"Tagged", "another tag", event(t, "ecr-image-scan.json", set("image-tags", []any{"dev"})), false},
		// Enhanced scanning: the repository is named by its ARN.
		{"EnhancedHigh", "AWS sample: CRITICAL 7, HIGH 61, MEDIUM 62", event(t, "inspector2-scan.json", nil), true},
		{"EnhancedHigh", "zero counts listed", event(t, "inspector2-scan.json", counts(map[string]any{"CRITICAL": 0, "HIGH": 0, "MEDIUM": 4, "TOTAL": 4})), false},
		{"EnhancedHigh", "AWS's clean sample, for another repository", event(t, "inspector2-scan-clean.json", nil), false},
		{"EnhancedHigh", "AWS's clean sample, for this repository", event(t, "inspector2-scan-clean.json", set("repository-name", enhancedARN)), false},
		{"EnhancedHigh", "a basic scan event", event(t, "ecr-image-scan.json", set("repository-name", enhancedName)), false},
		{"EnhancedTagged", "tag latest", event(t, "inspector2-scan.json", nil), false},
		{"EnhancedTagged", "tag v1.2", event(t, "inspector2-scan.json", set("image-tags", []any{"v1.2"})), true},
		// Image actions.
		{"Pushed", "AWS sample push", event(t, "ecr-image-push.json", nil), true},
		{"Pushed", "AWS sample delete", event(t, "ecr-image-delete.json", nil), false},
		{"Pushed", "AWS sample archive", event(t, "ecr-image-archive.json", set("repository-name", basicName)), false},
		{"Pushed", "a failed push", event(t, "ecr-image-push.json", set("result", "FAILURE")), false},
		{"Pushed", "another repository", event(t, "ecr-image-push.json", set("repository-name", "other")), false},
		{"PushedRelease", "tag latest", event(t, "ecr-image-push.json", nil), false},
		{"PushedRelease", "tag release-7", event(t, "ecr-image-push.json", set("image-tag", "release-7")), true},
		{"Deleted", "AWS sample delete", event(t, "ecr-image-delete.json", nil), true},
		{"Deleted", "AWS sample push", event(t, "ecr-image-push.json", nil), false},
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

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
