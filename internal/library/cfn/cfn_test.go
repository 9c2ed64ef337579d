package cfn

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFunction(t *testing.T) {
	for _, tt := range []struct {
		v    any
		want string
		deep bool
	}{
		{map[string]any{"Ref": "X"}, "Ref", true},
		{map[string]any{"Fn::Join": []any{"", []any{"a"}}}, "Fn::Join", true},
		{map[string]any{"Ref": "X", "Other": 1}, "", false}, // not a function: two keys
		{map[string]any{"Fn": 1}, "", false},
		{"{\"Ref\": \"X\"}", "", false}, // text, not a function
		{map[string]any{"A": []any{1, map[string]any{"Fn::Sub": "${X}"}}}, "", true},
		{nil, "", false},
	} {
		if got := Function(tt.v); got != tt.want {
			t.Errorf("Function(%v) = %q, want %q", tt.v, got, tt.want)
		}
		if got := HasFunction(tt.v); got != tt.deep {
			t.Errorf("HasFunction(%v) = %v, want %v", tt.v, got, tt.deep)
		}
	}
}

// A cloud assembly: stacks with their environment and parameters, nested
// assemblies, and the resources of nested stacks and stack sets.
func TestReadAssemblyAndResources(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"manifest.json": `{"artifacts": {
			"App": {"type": "aws:cloudformation:stack", "environment": "aws://1/r", "properties": {"templateFile": "App.template.json", "parameters": {"Tag": "v1"}}},
			"assembly-Stage": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Stage"}}}}`,
		"App.template.json": `{"Resources": {
			"Set": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": "{\"Resources\": {\"InSet\": {\"Type\": \"AWS::ECR::Repository\"}}}"}},
			"Computed": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": {"Fn::GetAtt": ["X", "Y"]}}},
			"Inner": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": {"Fn::Join": ["", ["x"]]}}, "Metadata": {"aws:asset:path": "AppInner.nested.template.json"}},
			"Away": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://example.com/missing.json"}}}}`,
		"AppInner.nested.template.json":  `{"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "a"}}}}`,
		"assembly-Stage/manifest.json":   `{"artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.template.json", "stackName": "Stage-S"}}}}`,
		"assembly-Stage/S.template.json": `{"Resources": {}}`,
	})
	stacks, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(stacks) != 2 || stacks[0].Name != "App" || stacks[0].Environment != "aws://1/r" || stacks[0].Parameters["Tag"] != "v1" || stacks[0].FromFile ||
		stacks[1].Name != "Stage-S" || stacks[1].Dir != filepath.Join(dir, "assembly-Stage") {
		t.Fatalf("%+v", stacks)
	}
	resources, err := stacks[0].Resources()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range resources {
		s := r.Path
		if r.InStackSet {
			s += " (stack set)"
		}
		got = append(got, s)
	}
	if want := []string{"Away", "Computed", "Inner", "Inner/Repo", "Set", "Set/InSet (stack set)"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// A directory without manifest.json is its *.template.json files, nested
// stacks' templates aside.
func TestReadDirectoryOfTemplates(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"B.template.json":        `{"Resources": {}}`,
		"A.template.json":        `{"Resources": {}}`,
		"X.nested.template.json": `{"Resources": {}}`,
		"notes.json":             `{}`,
	})
	stacks, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(stacks) != 2 || stacks[0].Name != "A" || stacks[1].Name != "B" || !stacks[0].FromFile {
		t.Errorf("%+v", stacks)
	}
	if _, err := Read(t.TempDir()); err == nil || !strings.HasSuffix(err.Error(), ": not a cloud assembly: no manifest.json") {
		t.Errorf("empty directory: %v", err)
	}
}

// An included template that isn't one, or that includes itself, is refused
// in one line naming the file and the resource.
func TestResourcesRefusesBadIncludes(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"bad.template.json":  `{"Resources": {"Set": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": "{}"}}}}`,
		"loop.template.json": `{"Resources": {"Self": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://example.com/loop.template.json"}}}}`,
	})
	for name, want := range map[string]string{
		"bad.template.json":  `: Set: Properties.TemplateBody: not a CloudFormation template: no "Resources" object`,
		"loop.template.json": ": Self/Self/Self/Self/Self/Self/Self/Self/Self: Properties.TemplateURL: includes templates more than 8 deep; is it including itself?",
	} {
		path := filepath.Join(dir, name)
		stacks, err := Read(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := stacks[0].Resources(); err == nil || err.Error() != path+want {
			t.Errorf("%s: %v, want %s", name, err, path+want)
		}
	}
}

// A Walk with a reader and an opener of its own: every resource in order,
// the templates that can't be read as errors in their place (Source set
// only when the reader refused the text), and the walk going on after them
// until the caller stops it.
func TestWalkWithReaderAndOpener(t *testing.T) {
	top := `{"Resources": {
		"Set": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": {"Resources": {"Deep": {"Type": "AWS::CloudFormation::Stack", "Metadata": {"aws:asset:path": "deep.json"}}}}}},
		"Bad": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": "not a template"}},
		"Odd": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"TemplateBody": 5}},
		"Away": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://example.com/away.json"}},
		"Nowhere": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": {"Fn::Join": ["", ["x"]]}}},
		"Repo": {"Type": "AWS::ECR::Repository"}}}`
	var parsed []string
	parse := func(text []byte) ([]Resource, error) {
		parsed = append(parsed, string(text))
		if string(text) == "not a template" {
			return nil, errors.New("refused by the reader")
		}
		t, err := Parse(text)
		if err != nil {
			return nil, err
		}
		return ResourcesOf(t), nil
	}
	var opened []string
	open := func(path, assetPath, templateURL string) ([]byte, error) {
		opened = append(opened, path+" "+assetPath+" "+templateURL)
		if assetPath == "deep.json" {
			return []byte(`{"Resources": {"InDeep": {"Type": "AWS::ECR::Repository"}}}`), nil
		}
		return nil, errors.New("no such file")
	}
	template, err := Parse([]byte(top))
	if err != nil {
		t.Fatal(err)
	}
	w := Walk{Parse: parse, Open: open}
	var got []string
	for r, err := range w.All(ResourcesOf(template)) {
		switch {
		case err != nil:
			got = append(got, fmt.Sprintf("%s! source %q", err, err.Source))
		case r.InStackSet:
			got = append(got, r.Path+" (stack set)")
		default:
			got = append(got, r.Path)
		}
	}
	want := []string{
		"Away",
		`Away: Properties.TemplateURL: no such file! source ""`,
		"Bad",
		`Bad: Properties.TemplateBody: refused by the reader! source "the TemplateBody"`,
		"Nowhere",
		"Odd",
		`Odd: Properties.TemplateBody: must be a template, a JSON string or object! source ""`,
		"Repo",
		"Set",
		"Set/Deep (stack set)",
		"Set/Deep/InDeep (stack set)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if want := []string{"Away  https://example.com/away.json", "Set/Deep deep.json "}; !reflect.DeepEqual(opened, want) {
		t.Errorf("opened %q, want %q", opened, want)
	}
	if len(parsed) != 3 { // Bad's text, Set's body, Deep's file
		t.Errorf("parsed %d texts, want 3", len(parsed))
	}

	// The zero Walk leaves nested stacks out; the caller can stop it.
	var first []string
	for r := range (Walk{}).All(ResourcesOf(template)) {
		first = append(first, r.Path)
		if len(first) == 2 {
			break
		}
	}
	if want := []string{"Away", "Bad"}; !reflect.DeepEqual(first, want) {
		t.Errorf("stopped after %q, want %q", first, want)
	}
}
