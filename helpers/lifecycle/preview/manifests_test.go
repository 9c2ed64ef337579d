package preview

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// index is the manifest of a manifest list referencing children, as
// batch-get-image returns it (a JSON string inside the JSON).
func indexEntry(digest, mediaType string, children ...string) string {
	var refs []string
	for _, c := range children {
		refs = append(refs, fmt.Sprintf(`{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1234,"platform":{"architecture":"amd64","os":"linux"}}`, c))
	}
	manifest := fmt.Sprintf(`{"schemaVersion":2,"mediaType":"%s","manifests":[%s]}`, mediaType, strings.Join(refs, ","))
	return fmt.Sprintf(`{"registryId":"123456789012","repositoryName":"shop/web","imageId":{"imageDigest":"%s","imageTag":"v1"},"imageManifest":%q,"imageManifestMediaType":"%s"}`, digest, manifest, mediaType)
}

// imageEntry is the manifest of an image with its layers.
func imageEntry(digest string, layers ...Blob) string {
	var ls []string
	for _, l := range layers {
		ls = append(ls, fmt.Sprintf(`{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}`, l.Digest, l.Size))
	}
	manifest := fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"cfg-%s","size":10},"layers":[%s]}`, digest, strings.Join(ls, ","))
	return fmt.Sprintf(`{"imageId":{"imageDigest":"%s"},"imageManifest":%q}`, digest, manifest)
}

func batch(entries ...string) string {
	return `{"images":[` + strings.Join(entries, ",\n") + `],"failures":[]}`
}

func readManifests(t *testing.T, doc string) *Manifests {
	t.Helper()
	m, err := ReadManifests(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestReadManifestsReadsBatchGetImageOutput(t *testing.T) {
	doc := `{"images":[` + indexEntry("L1", MediaTypeOCIIndex, "a", "b") + `,` +
		indexEntry("L2", MediaTypeDockerManifestList, "c") + `,` +
		indexEntry("L1", MediaTypeOCIIndex, "a", "b") + `,` + // asked for by two tags
		imageEntry("a", Blob{"l1", 100}, Blob{"l2", 50}) + `,` +
		`{"imageId":{"imageDigest":"sig"},"imageManifest":"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"digest\":\"c\",\"size\":2},\"layers\":[]}"},` +
		`{"imageId":{"imageDigest":"old"},"imageManifest":"{\"schemaVersion\":1,\"name\":\"x\"}","imageManifestMediaType":"application/vnd.docker.distribution.manifest.v1+prettyjws"}` +
		`],"failures":[{"imageId":{"imageTag":"gone"},"failureCode":"ImageNotFound","failureReason":"Requested image not found"}]}`
	m := readManifests(t, doc)
	if want := map[string][]string{"L1": {"a", "b"}, "L2": {"c"}}; !reflect.DeepEqual(m.Lists, want) {
		t.Errorf("lists = %v, want %v", m.Lists, want)
	}
	if want := map[string][]Blob{"a": {{"cfg-a", 10}, {"l1", 100}, {"l2", 50}}, "sig": {{"c", 2}}}; !reflect.DeepEqual(m.Blobs, want) {
		t.Errorf("blobs = %v, want %v", m.Blobs, want)
	}
	if m.Failures != 1 {
		t.Errorf("failures = %d, want 1", m.Failures)
	}
	if bare := readManifests(t, `[`+indexEntry("L", MediaTypeOCIIndex, "x")+`]`); len(bare.Lists["L"]) != 1 {
		t.Errorf("a bare array: %v", bare.Lists)
	}
}

func TestReadManifestsRefusesBadInput(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"not JSON", "{\n  \"images\": [\n    {\"imageId\": {\"imageDigest\": \"a\"}, \"imageManifest\": \"{}\"}\n    {\"imageId\": {}}\n  ]\n}", `preview: 4:5: images[1]: must be a batch-get-image image: expected comma after array element`},
		{"empty", ``, `preview: 1:1: must be batch-get-image JSON: unexpected end of input`},
		{"cut short", `{"images": [` + indexEntry("L", MediaTypeOCIIndex, "a"), `preview: 1:450: must be batch-get-image JSON: unexpected end of input`},
		{"describe-images instead", `{"imageDetails": []}`, `preview: has no "images": give the output of aws ecr batch-get-image`},
		{"a number", `5`, `preview: must be {"images": [...]} or a bare array: give the output of aws ecr batch-get-image`},
		{"images not an array", `{"images": {}}`, `preview: 1:12: images: must be an array`},
		{"image not an object", `{"images": [true]}`, `preview: 1:13: images[0]: must be an object, not true or false`},
		{"imageId of the wrong type", `{"images": [{"imageId": {"imageDigest": 7}}]}`, `preview: 1:41: images[0]: imageId.imageDigest: must be a string, not a number`},
		{"no digest", `{"images": [{"imageManifest": "{}"}]}`, `preview: images[0]: imageId.imageDigest: is required`},
		{"no manifest", `{"images": [{"imageId": {"imageDigest": "sha256:a"}}]}`, `preview: images[0] (sha256:a): imageManifest: is required`},
		{"manifest not JSON", `{"images": [{"imageId": {"imageDigest": "sha256:a"}, "imageManifest": "{\"schemaVersion\": 2,\n \"manifests\": [}"}]}`,
			`preview: images[0] (sha256:a): imageManifest: must be a manifest, a JSON object: invalid character '}' looking for beginning of value (at 2:16 of the manifest)`},
		{"manifest not an object", `{"images": [{"imageId": {"imageDigest": "sha256:a"}, "imageManifest": "[1]"}]}`, `preview: images[0] (sha256:a): imageManifest: must be a manifest, a JSON object`},
		{"manifest null", `{"images": [{"imageId": {"imageDigest": "sha256:a"}, "imageManifest": "null"}]}`, `preview: images[0] (sha256:a): imageManifest: must be a manifest, a JSON object`},
		{"manifests of the wrong type", `{"images": [{"imageId": {"imageDigest": "sha256:a"}, "imageManifest": "{\"manifests\": {}}"}]}`,
			`preview: images[0] (sha256:a): imageManifest manifests: must be an array, not an object (at 1:15 of the manifest)`},
		{"child without digest", `{"images": [{"imageId": {"imageDigest": "sha256:a"}, "imageManifestMediaType": "application/vnd.oci.image.index.v1+json", "imageManifest": "{\"manifests\": [{\"size\": 1}]}"}]}`,
			`preview: images[0] (sha256:a): imageManifest manifests[0].digest: is required`},
		{"failures not an array", `{"images": [], "failures": 3}`, `preview: 1:28: failures: must be an array, not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadManifests(strings.NewReader(tt.doc))
			if err == nil {
				t.Fatal("accepted")
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			var ve *validation.Error
			if !errors.As(err, &ve) {
				t.Errorf("%T does not unwrap to *validation.Error", err)
			}
		})
	}
}

// list is an active manifest list image pushed days ago with the tags.
func list(name string, days float64, tags ...string) Image {
	im := img(name, days, tags...)
	im.MediaType = MediaTypeOCIIndex
	return im
}

func TestManifestListsKeepTheImagesTheyReference(t *testing.T) {
	untagged14 := must(t, lifecycle.DeleteUntaggedAfterDays(14), lifecycle.DeleteTaggedAfterDays("v", 30))
	tests := []struct {
		name      string
		images    []Image
		manifests string
		want      []string // outcomes of this run
		deferred  []string
		held      int
		notes     []string
	}{
		{"a list that stays holds its children",
			[]Image{list("L", 20, "v9"), img("amd", 20), img("arm", 20), img("loose", 20)},
			batch(indexEntry("L", MediaTypeOCIIndex, "amd", "arm")),
			[]string{"loose:expire:1"}, nil, 2,
			[]string{"2 images a rule marks are kept: a manifest list that stays references them."}},
		{"a Docker manifest list holds its children too",
			[]Image{with(list("L", 20, "v9"), func(im *Image) { im.MediaType = MediaTypeDockerManifestList }), img("amd", 20)},
			batch(indexEntry("L", MediaTypeDockerManifestList, "amd")),
			nil, nil, 1, []string{"1 image a rule marks is kept: a manifest list that stays references them."}},
		{"a list expired in the same run defers its children to a later run",
			[]Image{list("L", 40, "v1"), img("amd", 40), img("arm", 40)},
			batch(indexEntry("L", MediaTypeOCIIndex, "amd", "arm")),
			[]string{"L:expire:2"}, []string{"amd:expire:1@L", "arm:expire:1@L"}, 0,
			[]string{"2 images a rule marks are kept in this run because a manifest list expired or archived in this run references them; a later run acts on them, once the list is gone."}},
		{"a child of a list that stays and of one that goes is held",
			[]Image{list("old", 40, "v1"), list("new", 20, "v2"), img("shared", 40)},
			batch(indexEntry("old", MediaTypeOCIIndex, "shared"), indexEntry("new", MediaTypeOCIIndex, "shared")),
			[]string{"old:expire:2"}, nil, 1, []string{"1 image a rule marks is kept: a manifest list that stays references them."}},
		{"a nested list that is held holds its own children",
			[]Image{list("top", 20, "v9"), list("mid", 40), img("leaf", 40)},
			batch(indexEntry("top", MediaTypeOCIIndex, "mid"), indexEntry("mid", MediaTypeOCIIndex, "leaf")),
			nil, nil, 2, []string{"2 images a rule marks are kept: a manifest list that stays references them."}},
		{"an archived list holds nothing",
			[]Image{with(list("L", 40, "v1"), func(im *Image) { im.Status = ImageStatusArchived }), img("amd", 40)},
			batch(indexEntry("L", MediaTypeOCIIndex, "amd")),
			[]string{"amd:expire:1"}, nil, 0, nil},
		{"references missing from the inventory are counted",
			[]Image{list("L", 20, "v9"), img("amd", 20)},
			batch(indexEntry("L", MediaTypeOCIIndex, "amd", "gone1", "gone2")),
			nil, nil, 1, []string{"1 image a rule marks is kept: a manifest list that stays references them.",
				"2 digests referenced by manifest lists are not in the inventory, and ignored."}},
		{"lists of the inventory missing from the manifests keep the generic note",
			[]Image{list("L", 20, "v9"), list("M", 20, "v8"), img("amd", 20), img("other", 20)},
			batch(indexEntry("L", MediaTypeOCIIndex, "amd")),
			[]string{"other:expire:1"}, nil, 1, []string{
				"1 image of the inventory is a manifest list whose manifest was not given; ECR keeps the untagged images they reference, so some untagged images marked here may be kept.",
				"1 image a rule marks is kept: a manifest list that stays references them."}},
		{"with every list given, no generic note",
			[]Image{list("L", 20, "v9"), img("loose", 20)},
			batch(indexEntry("L", MediaTypeOCIIndex)),
			[]string{"loose:expire:1"}, nil, 0, nil},
		{"a referrer of a held image stays with it",
			[]Image{list("L", 20, "v9"), img("amd", 20), with(img("sig", 20), func(im *Image) { im.SubjectDigest = "amd" })},
			batch(indexEntry("L", MediaTypeOCIIndex, "amd")),
			nil, nil, 1, []string{"1 image a rule marks is kept: a manifest list that stays references them."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Evaluate(untagged14, tt.images, now, &Options{Manifests: readManifests(t, tt.manifests)})
			if got := summary(res); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("outcomes = %q, want %q", got, tt.want)
			}
			var deferred []string
			for _, o := range res.Deferred {
				deferred = append(deferred, fmt.Sprintf("%s:%s:%d@%s", o.Image.Digest, o.Action, o.Rule.Priority, o.ManifestList))
			}
			if !reflect.DeepEqual(deferred, tt.deferred) {
				t.Errorf("deferred = %q, want %q", deferred, tt.deferred)
			}
			if res.Held != tt.held {
				t.Errorf("held = %d, want %d", res.Held, tt.held)
			}
			if got := res.Notes(); !reflect.DeepEqual(got, tt.notes) {
				t.Errorf("notes:\n%q\nwant\n%q", got, tt.notes)
			}
			if res.Kept+res.Expired+res.Archived != res.Images || res.Expired+res.Archived != len(res.Outcomes) {
				t.Errorf("counts don't add up: %+v", res)
			}
		})
	}
}

func TestWithoutManifestsTheGenericNoteStays(t *testing.T) {
	res := Evaluate(must(t, lifecycle.DeleteUntaggedAfterDays(14)), []Image{list("L", 20, "v9"), img("amd", 20)}, now, nil)
	if notes := res.Notes(); len(notes) != 1 || !strings.HasPrefix(notes[0], "ECR keeps untagged images that a manifest list") {
		t.Errorf("notes = %q", notes)
	}
	if got := summary(res); !reflect.DeepEqual(got, []string{"amd:expire:1"}) {
		t.Errorf("outcomes = %q", got)
	}
}

func TestFreedSpaceCountsEachLayerOnceWithManifests(t *testing.T) {
	policy := must(t, lifecycle.DeleteUntaggedAfterDays(14))
	images := []Image{
		with(img("old1", 30), func(im *Image) { im.SizeBytes = 1000 }),
		with(img("old2", 30), func(im *Image) { im.SizeBytes = 1000 }),
		with(img("kept", 1), func(im *Image) { im.SizeBytes = 1000 }),
	}
	manifests := batch(
		imageEntry("old1", Blob{"base", 700}, Blob{"app1", 300}),
		imageEntry("old2", Blob{"base", 700}, Blob{"shared-with-kept", 250}, Blob{"app2", 50}),
		imageEntry("kept", Blob{"shared-with-kept", 250}, Blob{"app3", 750}),
	)
	res := Evaluate(policy, images, now, &Options{Manifests: readManifests(t, manifests)})
	// base once, app1, app2 and the two configs; not the layer the kept image uses.
	if !res.BytesExact || res.BytesFreed != 700+300+50+10+10 {
		t.Errorf("freed %d, exact %v; want 1070, exact", res.BytesFreed, res.BytesExact)
	}

	// Without the manifests of every image, the figure is the sum of sizes.
	partial := batch(imageEntry("old1", Blob{"base", 700}))
	res = Evaluate(policy, images, now, &Options{Manifests: readManifests(t, partial)})
	if res.BytesExact || res.BytesFreed != 2000 {
		t.Errorf("freed %d, exact %v; want 2000, an upper bound", res.BytesFreed, res.BytesExact)
	}
	res = Evaluate(policy, images, now, nil)
	if res.BytesExact || res.BytesFreed != 2000 {
		t.Errorf("without manifests: freed %d, exact %v; want 2000, an upper bound", res.BytesFreed, res.BytesExact)
	}
}
