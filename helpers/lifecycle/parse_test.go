package lifecycle

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

func TestParseAcceptsTheAWSExamples(t *testing.T) {
	files, _ := filepath.Glob("testdata/policies/aws-*.json")
	if len(files) == 0 {
		t.Fatal("no example policies in testdata/policies")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Parse(data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		again, err := Parse([]byte(p.JSON()))
		if err != nil || !reflect.DeepEqual(again.Rules(), p.Rules()) {
			t.Errorf("%s: Parse(p.JSON()) = %v, %v; want the same rules", f, again, err)
		}
	}
}

func TestParseReadsEveryField(t *testing.T) {
	data, _ := os.ReadFile("testdata/policies/aws-combine-archive-expire.json")
	p, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []Rule{
		{Priority: 1, Description: "Archive images older than 30 days", TagStatus: TagStatusAny, CountType: CountTypeSinceImagePushed, CountNumber: 30, Action: ActionTransition},
		{Priority: 2, Description: "Expire images archived for more than 365 days", TagStatus: TagStatusAny, StorageClass: StorageClassArchive, CountType: CountTypeSinceImageTransitioned, CountNumber: 365, Action: ActionExpire},
	}
	if !reflect.DeepEqual(p.Rules(), want) {
		t.Errorf("Parse =\n%+v\nwant\n%+v", p.Rules(), want)
	}
}

func TestRenderThenParseRoundTrips(t *testing.T) {
	rules := append(Protect("release-"), DeleteTaggedAfterDays("pr-", 7), DeleteMatchingAfterDays("*-rc*", 30),
		DeleteUntaggedAfterDays(14), ArchiveNotPulledForDays(90), DeleteArchivedAfterDays(365))
	p, err := NewPolicy(rules...)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse([]byte(p.JSON()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(q.Rules(), p.Rules()) || q.JSON() != p.JSON() {
		t.Errorf("round trip changed the policy:\n%s\n%s", p.JSON(), q.JSON())
	}
}

func TestParseSortsByPriority(t *testing.T) {
	p, err := Parse([]byte(`{"rules":[
		{"rulePriority":9,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}},
		{"rulePriority":2,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if r := p.Rules(); r[0].Priority != 2 || r[1].Priority != 9 {
		t.Errorf("rules not in priority order: %+v", r)
	}
}

func TestParseRefusesMalformedPolicies(t *testing.T) {
	const sel = `"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":3}`
	const act = `"action":{"type":"expire"}`
	tests := []struct {
		name, text, want string
	}{
		{"not JSON", `{"rules":`, `lifecycle: 1:10: unexpected end of input`},
		{"a missing comma, at its line and column", "{\"rules\": [\n  {\"rulePriority\": 1}\n  {\"rulePriority\": 2}\n]}", `lifecycle: 3:3: invalid character '{' after array element`},
		{"an array", `[]`, `lifecycle: policy: policy []: must be a JSON object {"rules": [...]}`},
		{"no rules", `{}`, `lifecycle: policy: rules: is required`},
		{"rules not an array", `{"rules":{}}`, `lifecycle: 1:10: policy: rules {}: must be an array of rules`},
		{"empty rules", `{"rules":[]}`, `lifecycle: policy: rules []: a policy needs at least one rule`},
		{"unknown top-level field", `{"rules":[{"rulePriority":1,` + sel + `,` + act + `}],"version":1}`, `lifecycle: policy: version: unknown field; a policy has only "rules"`},
		{"rule not an object", `{"rules":[1]}`, `lifecycle: 1:11: rules[0]: rule 1: must be a JSON object`},
		{"unknown rule field", `{"rules":[{"rulePriority":1,"name":"x",` + sel + `,` + act + `}]}`,
			`lifecycle: rules[0]: name: unknown field; ECR knows rulePriority, description, selection, action`},
		{"unknown selection field", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixes":["a"],"countType":"imageCountMoreThan","countNumber":1},` + act + `}]}`,
			`lifecycle: rules[0]: selection.tagPrefixes: unknown field; ECR knows tagStatus, tagPatternList, tagPrefixList, storageClass, countType, countUnit, countNumber; lifecycle: rules[0]: selection.tagStatus "tagged": needs a tagPrefixList or a tagPatternList`},
		{"unknown action field", `{"rules":[{"rulePriority":1,` + sel + `,"action":{"type":"expire","after":1}}]}`,
			`lifecycle: rules[0]: action.after: unknown field; ECR knows type, targetStorageClass`},
		{"missing priority", `{"rules":[{` + sel + `,` + act + `}]}`, `lifecycle: rules[0]: rulePriority: is required`},
		{"priority as a string", `{"rules":[{"rulePriority":"1",` + sel + `,` + act + `}]}`, `lifecycle: 1:27: rules[0]: rulePriority "1": must be an integer`},
		{"fractional priority", `{"rules":[{"rulePriority":1.5,` + sel + `,` + act + `}]}`, `lifecycle: 1:27: rules[0]: rulePriority 1.5: must be an integer`},
		{"huge count", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":99999999999},` + act + `}]}`,
			`lifecycle: rules[0]: selection.countNumber 99999999999: must be at most 2147483647`},
		{"very negative priority", `{"rules":[{"rulePriority":-99999999999,` + sel + `,` + act + `}]}`, `lifecycle: rules[0]: rulePriority -99999999999: must be a positive integer`},
		{"missing selection", `{"rules":[{"rulePriority":1,` + act + `}]}`, `lifecycle: rules[0]: selection: is required`},
		{"missing action", `{"rules":[{"rulePriority":1,` + sel + `}]}`, `lifecycle: rules[0]: action: is required`},
		{"missing count type", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countNumber":1},` + act + `}]}`, `lifecycle: rules[0]: selection.countType: is required`},
		{"count unit on a count rule", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countUnit":"days","countNumber":1},` + act + `}]}`,
			`lifecycle: rules[0]: selection.countUnit "days": only goes with a since* countType, not "imageCountMoreThan"`},
		{"missing count unit", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countNumber":1},` + act + `}]}`,
			`lifecycle: rules[0]: selection.countUnit: is required with countType "sinceImagePushed" and must be "days"`},
		{"count unit hours", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"hours","countNumber":1},` + act + `}]}`,
			`lifecycle: rules[0]: selection.countUnit "hours": must be "days"`},
		{"transition without target", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":1},"action":{"type":"transition"}}]}`,
			`lifecycle: rules[0]: action.targetStorageClass: is required with action "transition" and must be "archive"`},
		{"transition to standard", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":1},"action":{"type":"transition","targetStorageClass":"standard"}}]}`,
			`lifecycle: rules[0]: action.targetStorageClass "standard": must be "archive", the only storage class a rule can transition to`},
		{"target with expire", `{"rules":[{"rulePriority":1,` + sel + `,"action":{"type":"expire","targetStorageClass":"archive"}}]}`,
			`lifecycle: rules[0]: action.targetStorageClass "archive": only goes with action "transition"`},
		{"empty prefix list", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":[],"countType":"imageCountMoreThan","countNumber":1},` + act + `}]}`,
			`lifecycle: rules[0]: selection.tagPrefixList []: must not be empty`},
		{"prefix list of numbers", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":[1],"countType":"imageCountMoreThan","countNumber":1},` + act + `}]}`,
			`lifecycle: 1:79: rules[0]: selection.tagPrefixList [1]: must be an array of strings`},
		{"description not a string", `{"rules":[{"rulePriority":1,"description":7,` + sel + `,` + act + `}]}`, `lifecycle: 1:43: rules[0]: description 7: must be a string`},
		{"duplicate priority across rules", `{"rules":[{"rulePriority":1,` + sel + `,` + act + `},{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},` + act + `}]}`,
			`lifecycle: rules[1]: rulePriority 1: is also the priority of rules[0]; priorities must be unique`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.text))
			if err == nil {
				t.Fatalf("Parse accepted it: %s", p.JSON())
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

func TestParseReportsEveryRulesProblems(t *testing.T) {
	_, err := Parse([]byte(`{"rules":[
		{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":0},"action":{"type":"expire"}},
		{"rulePriority":2,"selection":{"tagStatus":"tagged","tagPatternList":["a*b*c*d*e*f"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"},"extra":true}]}`))
	got := validation.List(err)
	if len(got) != 3 {
		t.Fatalf("got %d problems, want 3: %v", len(got), err)
	}
	for _, want := range []string{"countNumber 0", "extra: unknown field", "has 5 wildcards"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

func TestParseChecksAcrossRulesWhenOnlyOtherFieldsAreBroken(t *testing.T) {
	_, err := Parse([]byte(`{"rules":[
		{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}},
		{"rulePriority":2,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countNumber":7},"action":{"type":"expire"}}]}`))
	if !strings.Contains(err.Error(), "countUnit: is required") || !strings.Contains(err.Error(), "must have the highest rulePriority") {
		t.Errorf("want both the missing countUnit and the misplaced any rule: %v", err)
	}
	// A rule whose priority can't be read makes the checks across rules moot.
	_, err = Parse([]byte(`{"rules":[
		{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}},
		{"rulePriority":"2","selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":7},"action":{"type":"expire"}}]}`))
	if got := len(validation.List(err)); got != 1 {
		t.Errorf("got %d problems, want only the mistyped priority: %v", got, err)
	}
}

// Unknown top-level fields are reported in the same order on every run:
// sorted by name.
func TestParseReportsUnknownFieldsInOrder(t *testing.T) {
	for range 20 {
		_, err := Parse([]byte(`{"z": 1, "rulez": [], "a": 2, "rules": []}`))
		var fields []string
		for _, e := range validation.List(err) {
			if strings.Contains(e.Constraint, "unknown field") {
				fields = append(fields, e.Field)
			}
		}
		if strings.Join(fields, " ") != "a rulez z" {
			t.Fatalf("unknown fields reported as %v, want [a rulez z]", fields)
		}
	}
}
