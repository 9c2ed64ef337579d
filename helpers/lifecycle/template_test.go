package lifecycle

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

func readTemplate(t *testing.T, name string) []TemplatePolicy {
	t.Helper()
	data, err := os.ReadFile("testdata/templates/" + name)
	if err != nil {
		t.Fatal(err)
	}
	policies, err := ReadTemplate(data)
	if err != nil {
		t.Fatal(err)
	}
	return policies
}

func TestReadTemplateFindsEveryLifecyclePolicy(t *testing.T) {
	var got []string
	for _, tp := range readTemplate(t, "app.template.json") {
		p, err := tp.Parse()
		if err != nil {
			t.Fatalf("%s: %v", tp.LogicalID, err)
		}
		got = append(got, fmt.Sprintf("%s %s %s: %d rules", tp.LogicalID, tp.Type, tp.Field, len(p.Rules())))
	}
	want := []string{
		"BuildsRepo9D1E4A33 AWS::ECR::Repository Properties.LifecyclePolicy.LifecyclePolicyText: 1 rules",
		"DefaultsTemplate5F6A7B8C AWS::ECR::RepositoryCreationTemplate Properties.LifecyclePolicy: 1 rules",
		"ImagesRepoB2A5C7F1 AWS::ECR::Repository Properties.LifecyclePolicy.LifecyclePolicyText: 2 rules",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestTemplatePolicyProblemsNameTheLogicalIDAndTheRule(t *testing.T) {
	var got []string
	for _, tp := range readTemplate(t, "invalid.template.json") {
		_, err := tp.Parse()
		var ve *validation.Error
		if !errors.As(err, &ve) {
			t.Fatalf("%s: %v does not unwrap to *validation.Error", tp.LogicalID, err)
		}
		for _, e := range validation.List(err) {
			got = append(got, e.Error())
		}
	}
	want := []string{
		`lifecycle: BrokenTemplate8C9D0E1F: Properties.LifecyclePolicy: invalid character '}' looking for beginning of value (at 1:12 of the policy text)`,
		`lifecycle: ImagesRepoB2A5C7F1: rules[1] ("old builds"): selection.countNumber 0: must be a positive integer`,
		`lifecycle: ImagesRepoB2A5C7F1: rules[1] ("old builds"): rulePriority 1: is also the priority of rules[0] ("keep releases"); priorities must be unique`,
		`lifecycle: JoinedRepo4E5F6A7B: Properties.LifecyclePolicy.LifecyclePolicyText: is an unresolved CloudFormation function (Fn::Join): its value is only known at deployment, so it can't be checked here`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", join(got), join(want))
	}
}

func join(lines []string) string {
	s := ""
	for _, l := range lines {
		s += l + "\n"
	}
	return s
}

func TestReadTemplateRefusesWhatIsNotATemplate(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"not JSON", "{\n  \"Resources\": {\n    \"A\": {\"Type\": \"AWS::ECR::Repository\",}\n  }\n}", `lifecycle: 3:42: invalid character '}' looking for beginning of object key string`},
		{"an array", `[]`, `lifecycle: must be a CloudFormation template, a JSON object with "Resources"`},
		{"no Resources", `{"imageDetails": []}`, `lifecycle: is not a CloudFormation template: it has no "Resources"`},
		{"Resources not an object", `{"Resources": []}`, `lifecycle: Resources: must be an object of resources, each with a Type`},
		{"policy neither text nor function", `{"Resources": {"R": {"Type": "AWS::ECR::Repository", "Properties": {"LifecyclePolicy": {"LifecyclePolicyText": 5}}}}}`,
			`lifecycle: R: Properties.LifecyclePolicy.LifecyclePolicyText 5: must be the policy text, a string, or a CloudFormation function`},
		{"LifecyclePolicy not an object", `{"Resources": {"R": {"Type": "AWS::ECR::Repository", "Properties": {"LifecyclePolicy": "x"}}}}`,
			`lifecycle: R: Properties.LifecyclePolicy "x": must be an object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadTemplate([]byte(tt.doc))
			if err == nil || err.Error() != tt.want {
				t.Errorf("error\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestReadTemplateWithoutPoliciesIsEmpty(t *testing.T) {
	policies, err := ReadTemplate([]byte(`{"Resources": {"R": {"Type": "AWS::ECR::Repository"}}}`))
	if err != nil || len(policies) != 0 {
		t.Errorf("got %v, %v", policies, err)
	}
}

func TestReadTemplateGivesTheRepositoryName(t *testing.T) {
	const doc = `{"Resources": {
		"Named": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "shop/web", "LifecyclePolicy": {"LifecyclePolicyText": "{\"rules\":[]}"}}},
		"Computed": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": {"Fn::Sub": "${AWS::StackName}-x"}, "LifecyclePolicy": {"LifecyclePolicyText": "{\"rules\":[]}"}}},
		"Unnamed": {"Type": "AWS::ECR::Repository", "Properties": {"LifecyclePolicy": {"LifecyclePolicyText": "{\"rules\":[]}"}}}}}`
	policies, err := ReadTemplate([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tp := range policies {
		got = append(got, tp.LogicalID+"="+tp.RepositoryName)
	}
	if want := []string{"Computed=", "Named=shop/web", "Unnamed="}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestReadTemplateFollowsStackSetsAndNestedStacks(t *testing.T) {
	const repo = `{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"LifecyclePolicy": {"LifecyclePolicyText": "{\"rules\":[]}"}}}}}`
	doc := `{"Resources": {
		"Set": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": {"Resources": {
			"Inner": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://example.com/inner.json"}}}}}},
		"Computed": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": {"Fn::GetAtt": ["X", "Y"]}}},
		"Loop": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "self.json"}}}}`
	var asked []NestedStack
	open := func(ns NestedStack) ([]byte, error) {
		asked = append(asked, ns)
		if ns.TemplateURL == "https://example.com/inner.json" {
			return []byte(repo), nil
		}
		return nil, nil
	}
	policies, err := ReadTemplateWith([]byte(doc), open)
	if err != nil {
		t.Fatal(err)
	}
	if len(policies) != 1 || policies[0].LogicalID != "Set/Inner/Repo" {
		t.Errorf("got %+v, want Set/Inner/Repo", policies)
	}
	if want := []NestedStack{{LogicalID: "Loop", TemplateURL: "self.json"}, {LogicalID: "Set/Inner", TemplateURL: "https://example.com/inner.json"}}; !reflect.DeepEqual(asked, want) {
		t.Errorf("asked for %+v, want %+v", asked, want)
	}
	// Without open, nested stacks are left out; a template including
	// itself is refused once it is too deep.
	if policies, err := ReadTemplate([]byte(doc)); err != nil || len(policies) != 0 {
		t.Errorf("ReadTemplate: %+v, %v", policies, err)
	}
	self := func(NestedStack) ([]byte, error) { return []byte(doc), nil }
	if _, err := ReadTemplateWith([]byte(doc), self); err == nil || !strings.Contains(err.Error(), "more than 8 deep") {
		t.Errorf("a template including itself: %v", err)
	}
}
