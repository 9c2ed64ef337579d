package preview

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// oneLinePerProblem fails when a refusal is not validation.Errors or one of
// its problems spans lines.
func oneLinePerProblem(t *testing.T, err error) {
	t.Helper()
	problems := validation.List(err)
	if problems == nil {
		t.Fatalf("%T is not validation.Errors: %v", err, err)
	}
	for _, e := range problems {
		if strings.ContainsRune(e.Error(), '\n') {
			t.Fatalf("a problem spans lines: %q", e)
		}
	}
}

// FuzzPreview runs a preview of arbitrary policies over arbitrary
// inventories and manifests at arbitrary times. It must never panic, and
// must account for every image once. Seeds: testdata/fuzz/FuzzPreview.
func FuzzPreview(f *testing.F) {
	policy, _ := os.ReadFile("../testdata/policies/aws-all-images-b.json")
	f.Add(policy, []byte(`{"imageDetails":[{"imageDigest":"sha256:a","imagePushedAt":"2026-05-01T00:00:00Z"}]}`), []byte(`{"images":[]}`), int64(1780272000))
	f.Add(policy, []byte(`{"imageDetails":[{"imageDigest":"L","imageTags":["v1"],"imagePushedAt":"2026-01-01T00:00:00Z","imageManifestMediaType":"application/vnd.oci.image.index.v1+json"},{"imageDigest":"a","imagePushedAt":"2026-01-01T00:00:00Z"}]}`),
		[]byte(`{"images":[`+indexEntry("L", MediaTypeOCIIndex, "a", "L")+`,`+imageEntry("a", Blob{"l", 5})+`]}`), int64(1780272000))
	f.Fuzz(func(t *testing.T, policyText, inventory, manifests []byte, nowUnix int64) {
		p, err := lifecycle.Parse(policyText)
		if err != nil {
			return
		}
		images, err := ReadImages(bytes.NewReader(inventory))
		if err != nil {
			oneLinePerProblem(t, err)
			return
		}
		var opts *Options
		if m, err := ReadManifests(bytes.NewReader(manifests)); err == nil {
			opts = &Options{Manifests: m}
		}
		res := Evaluate(p, images, time.Unix(nowUnix%(1<<34), 0), opts)
		seen := map[*Image]bool{}
		for _, o := range append(res.Outcomes, res.Deferred...) {
			if seen[o.Image] {
				b, _ := json.Marshal(o.Image)
				t.Fatalf("two outcomes for %s", b)
			}
			seen[o.Image] = true
		}
		if res.Kept+res.Expired+res.Archived != len(images) || res.Expired+res.Archived != len(res.Outcomes) {
			t.Fatalf("counts don't add up: %+v", res)
		}
		if res.BytesFreed < 0 {
			t.Fatalf("negative bytes freed: %d", res.BytesFreed)
		}
	})
}

// FuzzReadManifests feeds arbitrary documents to ReadManifests. It must
// never panic; it returns manifests or validation.Errors, one line each,
// never both. Seeds: testdata/fuzz/FuzzReadManifests.
func FuzzReadManifests(f *testing.F) {
	f.Add([]byte(batch(indexEntry("L", MediaTypeOCIIndex, "a", "b"), imageEntry("a", Blob{"l1", 100}))))
	f.Add([]byte(`{"images":[{"imageId":{"imageDigest":"x"},"imageManifest":"{\"manifests\":[{}]}","imageManifestMediaType":"application/vnd.docker.distribution.manifest.list.v2+json"}],"failures":[{}]}`))
	f.Add([]byte(`[{"imageId":{"imageDigest":"x"},"imageManifest":"{\"layers\":[{\"digest\":\"d\",\"size\":-1}]}"}]`))
	f.Add([]byte(`{"nextToken":null,"images":[{"imageId":{"imageDigest":"x"},"imageManifest":"nope"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadManifests(bytes.NewReader(data))
		if err != nil {
			if m != nil {
				t.Fatal("ReadManifests returned manifests and an error")
			}
			oneLinePerProblem(t, err)
			return
		}
		for digest, children := range m.Lists {
			if digest == "" {
				t.Fatal("a list without a digest")
			}
			for _, c := range children {
				if c == "" {
					t.Fatalf("%s references an empty digest", digest)
				}
			}
		}
		for _, blobs := range m.Blobs {
			for _, b := range blobs {
				if b.Size < 0 {
					t.Fatalf("negative layer size %d", b.Size)
				}
			}
		}
	})
}
