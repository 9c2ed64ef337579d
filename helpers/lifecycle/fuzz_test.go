package lifecycle

import (
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"

	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzParse feeds arbitrary documents to Parse. It must never panic, and a
// policy it accepts must render to text that parses back to the same rules
// and passes NewPolicy. Seeds: testdata/fuzz/FuzzParse and the example
// policies.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/policies/*.json")
	for _, name := range files {
		data, _ := os.ReadFile(name)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			if p != nil {
				t.Fatal("Parse returned a policy and an error")
			}
			for _, e := range validation.List(err) {
				if bytes.ContainsRune([]byte(e.Error()), '\n') {
					t.Fatalf("a problem spans lines: %q", e)
				}
			}
			return
		}
		again, err := Parse([]byte(p.JSON()))
		if err != nil {
			t.Fatalf("rendered policy does not parse: %v\n%s", err, p.JSON())
		}
		if !reflect.DeepEqual(again.Rules(), p.Rules()) {
			t.Fatalf("round trip changed the rules:\n%s\n%s", p.JSON(), again.JSON())
		}
		if _, err := NewPolicy(p.Rules()...); err != nil {
			t.Fatalf("NewPolicy refuses what Parse accepted: %v", err)
		}
	})
}
