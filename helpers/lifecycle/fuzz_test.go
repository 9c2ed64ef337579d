package lifecycle

import (
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"

	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
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

// FuzzPreview runs a preview of arbitrary policies over arbitrary
// inventories at arbitrary times. It must never panic, and must account for
// every image once. Seeds: testdata/fuzz/FuzzPreview.
func FuzzPreview(f *testing.F) {
	policy, _ := os.ReadFile("testdata/policies/aws-all-images-b.json")
	f.Add(policy, []byte(`{"imageDetails":[{"imageDigest":"sha256:a","imagePushedAt":"2026-05-01T00:00:00Z"}]}`), int64(1780272000))
	f.Fuzz(func(t *testing.T, policyText, inventory []byte, nowUnix int64) {
		p, err := Parse(policyText)
		if err != nil {
			return
		}
		images, err := ReadImages(bytes.NewReader(inventory))
		if err != nil {
			var problems []error
			if joined, ok := err.(interface{ Unwrap() []error }); ok {
				problems = joined.Unwrap()
			} else {
				problems = []error{err}
			}
			for _, e := range problems {
				if bytes.ContainsRune([]byte(e.Error()), '\n') {
					t.Fatalf("an inventory problem spans lines: %q", e)
				}
			}
			return
		}
		res := p.Preview(images, time.Unix(nowUnix%(1<<34), 0))
		seen := map[*Image]bool{}
		for _, o := range res.Outcomes {
			if seen[o.Image] {
				b, _ := json.Marshal(o.Image)
				t.Fatalf("two outcomes for %s", b)
			}
			seen[o.Image] = true
		}
		if res.Kept+res.Expired+res.Archived != len(images) {
			t.Fatalf("counts don't add up: %+v", res)
		}
	})
}
