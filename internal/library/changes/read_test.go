package changes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A cloud assembly's stacks, those of nested assemblies (stages) included,
// with their names and environments.
func TestReadAssembly(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "manifest.json"), `{"version": "48.0.0", "artifacts": {
		"Images": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region", "properties": {"templateFile": "Images.template.json"}},
		"assembly-Prod": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Prod"}},
		"Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}}}}`)
	write(t, filepath.Join(dir, "Images.template.json"), `{"Resources": {}}`)
	write(t, filepath.Join(dir, "assembly-Prod", "manifest.json"), `{"version": "48.0.0", "artifacts": {
		"ProdImages1234": {"type": "aws:cloudformation:stack", "environment": "aws://123456789012/eu-west-1", "properties": {"templateFile": "ProdImages1234.template.json", "stackName": "Prod-Images"}}}}`)
	write(t, filepath.Join(dir, "assembly-Prod", "ProdImages1234.template.json"), `{"Resources": {"R": {"Type": "AWS::SNS::Topic"}}}`)
	stacks, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(stacks) != 2 || stacks[0].Name != "Images" || stacks[1].Name != "Prod-Images" || stacks[1].Environment != "aws://123456789012/eu-west-1" || stacks[0].FromFile {
		t.Errorf("%+v", stacks)
	}
}

func TestReadTemplateFiles(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"Images.template.json": `{"Resources": {}}`,
		"Shop_1.snap.json":     `{"Resources": {}}`,
		"deployed.json":        `{"TemplateBody": "{\"Resources\": {}}"}`,
	} {
		write(t, filepath.Join(dir, name), text)
		stacks, err := Read(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := strings.SplitN(strings.SplitN(name, ".", 2)[0], "_1", 2)[0]
		if len(stacks) != 1 || stacks[0].Name != want || !stacks[0].FromFile {
			t.Errorf("%s: %+v", name, stacks)
		}
	}
	write(t, filepath.Join(dir, "bad.json"), `{"Resources": [}`)
	if _, err := Read(filepath.Join(dir, "bad.json")); err == nil || !strings.HasPrefix(err.Error(), filepath.Join(dir, "bad.json")+": not JSON: ") {
		t.Errorf("err %v", err)
	}
}
