package preview

import (
	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"

	"errors"
	"strings"
	"testing"
	"time"
)

func TestReadImagesReadsDescribeImagesOutput(t *testing.T) {
	const doc = `{
  "imageDetails": [
    {
      "registryId": "123456789012",
      "repositoryName": "shop/web",
      "imageDigest": "sha256:aaa",
      "imageTags": ["v1.2.3", "latest"],
      "imageSizeInBytes": 52428800,
      "imagePushedAt": "2026-05-14T18:22:58.657000+09:00",
      "imageScanStatus": {"status": "COMPLETE", "description": "The scan was completed successfully."},
      "imageScanFindingsSummary": {"findingSeverityCounts": {"HIGH": 2}},
      "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json",
      "lastRecordedPullTime": "2026-05-20T01:02:03Z",
      "imageStatus": "ACTIVE"
    },
    {
      "imageDigest": "sha256:bbb",
      "imagePushedAt": 1715678578.5,
      "imageStatus": "ARCHIVED",
      "lastArchivedAt": "2026-02-01T00:00:00-05:00",
      "lastActivatedAt": null
    },
    {
      "imageDigest": "sha256:ccc",
      "imagePushedAt": "2026-05-14T09:22:58Z",
      "subjectManifestDigest": "sha256:aaa",
      "artifactMediaType": "application/vnd.dev.cosign.artifact.sig.v1+json"
    }
  ],
  "nextToken": null
}`
	images, err := ReadImages(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(images) != 3 {
		t.Fatalf("got %d images", len(images))
	}
	utc := func(s string) int64 { tm, _ := time.Parse(time.RFC3339Nano, s); return tm.UnixNano() }
	a, b, c := images[0], images[1], images[2]
	checks := []struct {
		what      string
		got, want any
	}{
		{"digest", a.Digest, "sha256:aaa"},
		{"tags", strings.Join(a.Tags, ","), "v1.2.3,latest"},
		{"pushed with an offset", a.PushedAt, utc("2026-05-14T09:22:58.657Z")},
		{"pulled", a.LastPulledAt, utc("2026-05-20T01:02:03Z")},
		{"size", a.SizeBytes, int64(52428800)},
		{"epoch seconds", b.PushedAt, int64(1715678578500000000)},
		{"archived with a negative offset", b.ArchivedAt, utc("2026-02-01T05:00:00Z")},
		{"status", b.Status, ImageStatusArchived},
		{"null time", b.ActivatedAt, int64(0)},
		{"subject", c.SubjectDigest, "sha256:aaa"},
		{"missing status", c.Status, ImageStatus("")},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.what, ch.got, ch.want)
		}
	}
}

func TestReadImagesTakesABareArray(t *testing.T) {
	images, err := ReadImages(strings.NewReader(`[{"imageDigest":"sha256:a","imagePushedAt":"2026-01-01T00:00:00Z"}]`))
	if err != nil || len(images) != 1 {
		t.Fatalf("got %v, %v", images, err)
	}
}

func TestReadImagesRefusesBadInventories(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"not JSON", `nope`, `preview: 1:2: must be describe-images JSON: invalid character 'o' in literal null (expecting 'u')`},
		{"empty", ``, `preview: 1:1: must be describe-images JSON: unexpected end of input`},
		{"a string", `"x"`, `preview: must be {"imageDetails": [...]} or a bare array: give the output of aws ecr describe-images`},
		{"no imageDetails", `{"images": []}`, `preview: has no "imageDetails": give the output of aws ecr describe-images`},
		{"imageDetails not an array", `{"imageDetails": {}}`, `preview: 1:18: imageDetails: must be an array`},
		{"cut short", `{"imageDetails": [{"imageDigest":"sha256:a","imagePushedAt":"2026-01-01T00:00:00Z"}`, `preview: 1:84: must be describe-images JSON: unexpected end of input`},
		{"image not an object", `[1]`, `preview: 1:2: imageDetails[0]: must be an object, not a number`},
		{"no digest", `[{"imagePushedAt":"2026-01-01T00:00:00Z"}]`, `preview: imageDetails[0]: imageDigest: is required`},
		{"no push time", `[{"imageDigest":"sha256:a"}]`, `preview: imageDetails[0] (sha256:a): imagePushedAt: is required`},
		{"bad push time", `[{"imageDigest":"sha256:a","imagePushedAt":"yesterday"}]`,
			`preview: imageDetails[0] (sha256:a): imagePushedAt "yesterday": must be an ISO 8601 timestamp from the years 1678 to 2261, such as 2026-05-14T18:22:58.657000+09:00, or epoch seconds`},
		{"year 3000", `[{"imageDigest":"sha256:a","imagePushedAt":"3000-01-01T00:00:00Z"}]`,
			`preview: imageDetails[0] (sha256:a): imagePushedAt "3000-01-01T00:00:00Z": must be an ISO 8601 timestamp from the years 1678 to 2261, such as 2026-05-14T18:22:58.657000+09:00, or epoch seconds`},
		{"year 1600, through time.Parse", `[{"imageDigest":"sha256:a","imagePushedAt":"1600-01-01T00:00:00.5+01:00"}]`,
			`preview: imageDetails[0] (sha256:a): imagePushedAt "1600-01-01T00:00:00.5+01:00": must be an ISO 8601 timestamp from the years 1678 to 2261, such as 2026-05-14T18:22:58.657000+09:00, or epoch seconds`},
		{"the last nanosecond's second", `[{"imageDigest":"sha256:a","imagePushedAt":"2262-04-11T23:47:16.9Z"}]`,
			`preview: imageDetails[0] (sha256:a): imagePushedAt "2262-04-11T23:47:16.9Z": must be an ISO 8601 timestamp from the years 1678 to 2261, such as 2026-05-14T18:22:58.657000+09:00, or epoch seconds`},
		{"impossible date", `[{"imageDigest":"sha256:a","imagePushedAt":"2026-02-30T00:00:00Z"}]`,
			`preview: imageDetails[0] (sha256:a): imagePushedAt "2026-02-30T00:00:00Z": must be an ISO 8601 timestamp from the years 1678 to 2261, such as 2026-05-14T18:22:58.657000+09:00, or epoch seconds`},
		{"bad status", `[{"imageDigest":"sha256:a","imagePushedAt":"2026-01-01T00:00:00Z","imageStatus":"GONE"}]`,
			`preview: imageDetails[0] (sha256:a): imageStatus "GONE": must be ACTIVE, ARCHIVED or ACTIVATING`},
		{"status not a string", `[{"imageDigest":"sha256:a","imagePushedAt":"2026-01-01T00:00:00Z","imageStatus":5}]`,
			`preview: imageDetails[0] (sha256:a): imageStatus "5": must be ACTIVE, ARCHIVED or ACTIVATING`},
		{"tags not strings", `[{"imageDigest":"sha256:a","imagePushedAt":"2026-01-01T00:00:00Z","imageTags":[1]}]`,
			`preview: 1:80: imageDetails[0] (sha256:a): imageTags: must be a string, not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadImages(strings.NewReader(tt.doc))
			if err == nil {
				t.Fatal("accepted")
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			var ie *validation.Error
			if !errors.As(err, &ie) {
				t.Errorf("%T does not unwrap to *validation.Error", err)
			}
		})
	}
}

func TestReadImagesStopsAfterTwentyProblems(t *testing.T) {
	doc := "[" + strings.Repeat(`{"imagePushedAt":"2026-01-01T00:00:00Z"},`, 100) + `{"imageDigest":"x","imagePushedAt":"2026-01-01T00:00:00Z"}]`
	_, err := ReadImages(strings.NewReader(doc))
	if n := len(validation.List(err)); n != 20 {
		t.Errorf("got %d problems, want 20", n)
	}
}

func TestParseISO8601MatchesTimeParse(t *testing.T) {
	for _, s := range []string{
		"2026-05-14T18:22:58.657000+09:00", "2026-05-14T18:22:58Z", "2024-02-29T23:59:59.999999999-11:30",
		"1999-12-31t00:00:00z", "2026-05-14 18:22:58+0200", "1970-01-01T00:00:00Z", "2100-03-01T00:00:00.1+00:00",
	} {
		got, ok := parseISO8601([]byte(s))
		layout := time.RFC3339Nano
		norm := strings.NewReplacer("t", "T", "z", "Z", " ", "T").Replace(s)
		if strings.HasSuffix(norm, "+0200") {
			norm = norm[:len(norm)-2] + ":00"
		}
		want, err := time.Parse(layout, norm)
		if err != nil || !ok || got != want.UnixNano() {
			t.Errorf("parseISO8601(%q) = %d, %v; time.Parse gives %d, %v", s, got, ok, want.UnixNano(), err)
		}
	}
	for _, s := range []string{"2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+25:00", "2026-01-01"} {
		if _, ok := parseISO8601([]byte(s)); ok {
			t.Errorf("parseISO8601(%q) accepted it", s)
		}
	}
}

func TestDaysBefore(t *testing.T) {
	at := now.UnixNano()
	for _, tt := range []struct {
		days int
		want int64
	}{{0, at}, {1, at - nanosPerDay}, {106751, at - 106751*nanosPerDay}, {106752, -9223372036854775808}, {2147483647, -9223372036854775808}} {
		if got := daysBefore(at, tt.days); got != tt.want {
			t.Errorf("daysBefore(now, %d) = %d, want %d", tt.days, got, tt.want)
		}
	}
}
