package changes

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Stack is one stack's template.
type Stack struct {
	// Name is the stack's name: the stackName of a cloud assembly's stack
	// artifact, or, for a template file, its base name without
	// .template.json, _1.snap.json (a golden file of helpers/cdktest) or
	// .json.
	Name string
	// Environment is the artifact's environment, aws://ACCOUNT/REGION
	// (aws://unknown-account/unknown-region for an environment-agnostic
	// stack); empty for a template file. Registry settings and physical
	// names are compared between stacks of the same environment; an empty
	// one matches any.
	Environment string
	// Template is the template, as encoding/json decodes it.
	Template map[string]any
	// FromFile reports that the stack comes from a template file, not a
	// cloud assembly: a single stack from a file is compared with a single
	// stack of any name.
	FromFile bool
}

// Read reads a template file, or a cloud assembly directory (cdk.out) with
// every stack artifact of its manifest.json, nested assemblies (stages)
// included. A template file is a template, or the output of `aws
// cloudformation get-template` ({"TemplateBody": ...}). Only JSON templates
// are read: `cdk synth` writes JSON.
func Read(path string) ([]Stack, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return readAssembly(path)
	}
	t, err := ReadTemplate(path)
	if err != nil {
		return nil, err
	}
	return []Stack{{Name: fileStackName(path), Template: t, FromFile: true}}, nil
}

// fileStackName names the stack of a template file.
func fileStackName(path string) string {
	base := filepath.Base(path)
	for _, suffix := range []string{".template.json", "_1.snap.json", ".json"} {
		if s, ok := strings.CutSuffix(base, suffix); ok {
			return s
		}
	}
	return base
}

// ReadTemplate reads one template file (see [Read]).
func ReadTemplate(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := ParseTemplate(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// ParseTemplate parses a JSON template, or get-template output.
func ParseTemplate(data []byte) (map[string]any, error) {
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
			return ParseTemplate([]byte(body))
		}
	}
	if _, ok := t["Resources"].(map[string]any); !ok {
		return nil, errors.New(`not a CloudFormation template: no "Resources" object`)
	}
	return t, nil
}

// manifest is the part of a cloud assembly's manifest.json read here.
type manifest struct {
	Artifacts map[string]struct {
		Type        string `json:"type"`
		Environment string `json:"environment"`
		Properties  struct {
			TemplateFile  string `json:"templateFile"`
			StackName     string `json:"stackName"`
			DirectoryName string `json:"directoryName"`
		} `json:"properties"`
	} `json:"artifacts"`
}

// readAssembly reads every stack of a cloud assembly, sorted by name.
func readAssembly(dir string) ([]Stack, error) {
	path := filepath.Join(dir, "manifest.json")
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: not a cloud assembly: no manifest.json", dir)
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
			t, err := ReadTemplate(filepath.Join(dir, a.Properties.TemplateFile))
			if err != nil {
				return nil, err
			}
			name := a.Properties.StackName
			if name == "" {
				name = id
			}
			stacks = append(stacks, Stack{Name: name, Environment: a.Environment, Template: t})
		case "cdk:cloud-assembly":
			nested, err := readAssembly(filepath.Join(dir, a.Properties.DirectoryName))
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
