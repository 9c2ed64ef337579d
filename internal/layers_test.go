// Package internal_test holds the rule of internal/'s layout: each folder
// is a layer, and imports point one way — commands (cmd/) → engines
// (internal/engine) → library (constructs/, helpers/, internal/library) →
// leaves (internal/leaf) — while test support (internal/testsupport) is
// only for tests, and examples and the starter import nothing internal, as
// users can't.
package internal_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/secure-ecr/ecr-cdk-go/"

// layer returns the layer of a package directory of the module (relative
// to its root) or of an import path inside it: higher layers may import
// lower ones and their own.
func layer(dir string) (rank int, name string) {
	switch {
	case strings.HasPrefix(dir, "internal/leaf/"):
		return 1, "leaf"
	case strings.HasPrefix(dir, "internal/library/"), strings.HasPrefix(dir, "constructs/"), strings.HasPrefix(dir, "helpers/"):
		return 2, "library"
	case strings.HasPrefix(dir, "internal/engine/"):
		return 3, "engine"
	case strings.HasPrefix(dir, "cmd/"):
		return 4, "command"
	case strings.HasPrefix(dir, "internal/testsupport/"):
		return 5, "test support"
	case strings.HasPrefix(dir, "examples/"), strings.HasPrefix(dir, "starter/"):
		return 6, "example"
	}
	return 0, ""
}

func TestImportsPointOneWay(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules" || name == "cdk.out") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(name, ".go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		dir := filepath.ToSlash(filepath.Dir(rel)) + "/"
		rank, from := layer(dir)
		if rank == 0 {
			return nil
		}
		isTest := strings.HasSuffix(name, "_test.go")
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, spec := range f.Imports {
			imp, _ := strconv.Unquote(spec.Path.Value)
			target, ok := strings.CutPrefix(imp, module)
			if !ok || strings.HasPrefix(dir, target+"/") {
				continue // another module's, or the package's own folder (its internal/ children)
			}
			to, toName := layer(target + "/")
			switch {
			case from == "example" && !isTest && strings.HasPrefix(target, "internal/"):
				t.Errorf("%s imports %s: examples and the starter import only what users can", rel, imp)
			case to == 5 && !isTest && from != "test support":
				t.Errorf("%s imports %s: test support is for tests", rel, imp)
			case to == 5 || isTest || from == "test support" || from == "example":
			case to > rank:
				t.Errorf("%s (%s) imports %s (%s): imports point from commands to engines to the library to leaves", rel, from, imp, toName)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Errorf("checked %d files; the walk missed the module", checked)
	}
}
