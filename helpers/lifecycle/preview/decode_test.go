package preview

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The reader splits imageDetails element by element and decodes each with
// goccy/go-json; the result is what encoding/json makes of the same file,
// for every field and the shapes describe-images writes around them
// (nested objects, escapes, nulls, epoch seconds, unknown fields, spacing).
func TestReadImagesDecodesLikeEncodingJSON(t *testing.T) {
	var doc strings.Builder
	doc.WriteString("{\"nextToken\": null, \"imageDetails\": [\n")
	for i := range 500 {
		if i > 0 {
			doc.WriteString(",\n  ")
		}
		pushed := `"2026-05-14T18:22:58.657000+09:00"`
		if i%3 == 0 {
			pushed = fmt.Sprint(1_750_000_000 + i) // epoch seconds
		}
		fmt.Fprintf(&doc, `{"registryId":"123456789012","repositoryName":"shop/web","imageDigest":"sha256:%04d",`+
			`"imageTags":["v%d","r\u00e9lease-\"%d\"\\x"],"imageSizeInBytes":%d,"imagePushedAt":%s,`+
			`"imageScanFindingsSummary":{"findingSeverityCounts":{"HIGH":%d},"vulnerabilitySourceUpdatedAt":"2026-05-01T00:00:00Z"},`+
			`"imageManifestMediaType":"application/vnd.oci.image.manifest.v1+json","lastRecordedPullTime":%s,`+
			`"imageStatus":%s,"subjectManifestDigest":%s}`,
			i, i, i, 1000*i, pushed, i%5,
			map[bool]string{true: `"2026-06-01T00:00:00Z"`, false: "null"}[i%2 == 0],
			map[bool]string{true: `"ARCHIVED"`, false: `"ACTIVE"`}[i%7 == 0],
			map[bool]string{true: `"sha256:0001"`, false: `""`}[i%11 == 0])
	}
	doc.WriteString("\n], \"failures\": []}")

	got, err := ReadImages(strings.NewReader(doc.String()))
	if err != nil {
		t.Fatal(err)
	}
	var plain struct {
		ImageDetails []imageDetail `json:"imageDetails"`
	}
	if err := json.Unmarshal([]byte(doc.String()), &plain); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(plain.ImageDetails) {
		t.Fatalf("read %d images, encoding/json %d", len(got), len(plain.ImageDetails))
	}
	for i, d := range plain.ImageDetails {
		want, problems := d.image(i)
		if len(problems) > 0 {
			t.Fatalf("image %d: %v", i, problems)
		}
		if !reflect.DeepEqual(got[i], want) {
			t.Fatalf("image %d:\n got %+v\nwant %+v", i, got[i], want)
		}
	}
}
