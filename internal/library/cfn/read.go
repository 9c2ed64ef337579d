package cfn

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Stack is one stack's template, from a template file or a cloud assembly.
type Stack struct {
	// Name is the stack's name: the stackName of a cloud assembly's stack
	// artifact (its artifact id when it has none), or, for a template file,
	// its base name without .template.json, _1.snap.json (a golden file of
	// helpers/cdktest) or .json.
	Name string
	// Environment is the artifact's environment, aws://ACCOUNT/REGION
	// (aws://unknown-account/unknown-region for an environment-agnostic
	// stack); empty for a template file.
	Environment string
	// Parameters are the values the artifact passes to the stack's
	// parameters at deployment (properties.parameters of manifest.json);
	// nil for a template file or when none are given.
	Parameters map[string]string
	// File is the path of the template file; empty when the template
	// was not read from a file.
	File string
	// Dir is the directory whose files are the templates of the stack's
	// nested stacks (see [NestedFile]): the cloud assembly's, or the
	// template file's.
	Dir string
	// Text is the template as read, for messages that name a line and
	// column.
	Text []byte
	// Template is the template, as encoding/json decodes it; nil until
	// parsed ([Read] parses, [Load] does not).
	Template map[string]any
	// FromFile reports that the stack comes from a template file, not a
	// cloud assembly's manifest: a single stack from a file is compared
	// with a single stack of any name.
	FromFile bool
}

// Load finds the stacks of path without parsing their templates: a template
// file is one stack; a cloud assembly directory (cdk.out) holds every stack
// artifact of its manifest.json, nested assemblies (stages) included,
// sorted by name. A directory without manifest.json holds its
// *.template.json files, each a stack named after its file, except the
// *.nested.template.json files that CDK writes for nested stacks: those are
// reached from their parent stack ([Stack.Resources]). A missing file is
// refused with the error of opening it.
func Load(path string) ([]Stack, error) {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return loadDir(path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return []Stack{{Name: FileStackName(path), File: path, Dir: filepath.Dir(path), Text: data, FromFile: true}}, nil
}

// Read is [Load] that also parses every stack's template ([Parse]); a
// template that is not one is refused, naming its file.
func Read(path string) ([]Stack, error) {
	stacks, err := Load(path)
	if err != nil {
		return nil, err
	}
	for i := range stacks {
		if stacks[i].Template, err = Parse(stacks[i].Text); err != nil {
			return nil, fmt.Errorf("%s: %w", stacks[i].File, err)
		}
	}
	return stacks, nil
}

// FileStackName names the stack of a template file: its base name without
// .template.json, _1.snap.json or .json.
func FileStackName(path string) string {
	base := filepath.Base(path)
	for _, suffix := range []string{".template.json", "_1.snap.json", ".json"} {
		if s, ok := strings.CutSuffix(base, suffix); ok {
			return s
		}
	}
	return base
}

// Parse parses a JSON template, or the output of `aws cloudformation
// get-template` ({"TemplateBody": ...}). It refuses YAML (`cdk synth`
// writes JSON), text that is not JSON, and a document without a
// "Resources" object.
func Parse(data []byte) (map[string]any, error) {
	var t map[string]any
	if err := json.Unmarshal(data, &t); err != nil {
		if strings.HasPrefix(strings.TrimSpace(string(data)), "{") {
			return nil, fmt.Errorf("not JSON: %v", err)
		}
		return nil, errors.New("not a JSON template (YAML templates are not read; `cdk synth` writes JSON)")
	}
	if body, ok := t["TemplateBody"]; ok && t["Resources"] == nil {
		switch body := body.(type) {
		case map[string]any:
			t = body
		case string:
			return Parse([]byte(body))
		}
	}
	if _, ok := t["Resources"].(map[string]any); !ok {
		return nil, errors.New(`not a CloudFormation template: no "Resources" object`)
	}
	return t, nil
}

// manifest is the part of a cloud assembly's manifest.json read here
// (https://github.com/aws/aws-cdk/tree/main/packages/%40aws-cdk/cloud-assembly-schema).
type manifest struct {
	Artifacts map[string]struct {
		Type        string `json:"type"`
		Environment string `json:"environment"`
		Properties  struct {
			TemplateFile  string            `json:"templateFile"`
			StackName     string            `json:"stackName"`
			DirectoryName string            `json:"directoryName"`
			Parameters    map[string]string `json:"parameters"`
		} `json:"properties"`
	} `json:"artifacts"`
}

// loadDir reads a cloud assembly, or a directory of templates.
func loadDir(dir string) ([]Stack, error) {
	stacks, err := loadAssembly(dir)
	if !errors.Is(err, errNoManifest) {
		return stacks, err
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.template.json"))
	sort.Strings(files)
	for _, f := range files {
		if strings.HasSuffix(f, ".nested.template.json") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		stacks = append(stacks, Stack{Name: FileStackName(f), File: f, Dir: dir, Text: data, FromFile: true})
	}
	if len(stacks) == 0 {
		return nil, fmt.Errorf("%s: not a cloud assembly: no manifest.json", dir)
	}
	return stacks, nil
}

var errNoManifest = errors.New("no manifest.json")

// loadAssembly reads every stack of a cloud assembly, sorted by name.
func loadAssembly(dir string) ([]Stack, error) {
	path := filepath.Join(dir, "manifest.json")
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, errNoManifest
		}
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	var stacks []Stack
	for id, a := range m.Artifacts {
		switch a.Type {
		case "aws:cloudformation:stack":
			file := filepath.Join(dir, a.Properties.TemplateFile)
			text, err := os.ReadFile(file)
			if err != nil {
				return nil, err
			}
			name := a.Properties.StackName
			if name == "" {
				name = id
			}
			stacks = append(stacks, Stack{Name: name, Environment: a.Environment, Parameters: a.Properties.Parameters, File: file, Dir: dir, Text: text})
		case "cdk:cloud-assembly":
			sub := filepath.Join(dir, a.Properties.DirectoryName)
			nested, err := loadAssembly(sub)
			if errors.Is(err, errNoManifest) {
				return nil, fmt.Errorf("%s: not a cloud assembly: no manifest.json", sub)
			}
			if err != nil {
				return nil, err
			}
			stacks = append(stacks, nested...)
		}
	}
	if len(stacks) == 0 {
		return nil, fmt.Errorf("%s: the cloud assembly has no stack", dir)
	}
	sort.Slice(stacks, func(i, j int) bool { return stacks[i].Name < stacks[j].Name })
	for i := 1; i < len(stacks); i++ {
		if stacks[i].Name == stacks[i-1].Name {
			return nil, fmt.Errorf("%s: two stacks are named %s", dir, stacks[i].Name)
		}
	}
	return stacks, nil
}
