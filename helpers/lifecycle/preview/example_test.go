package preview_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle/preview"
)

// Evaluate reads describe-images output and tells, offline, what ECR would
// do.
func ExampleEvaluate() {
	inventory := `{"imageDetails": [
	  {"imageDigest": "sha256:111", "imagePushedAt": "2026-05-30T10:00:00+02:00"},
	  {"imageDigest": "sha256:222", "imagePushedAt": "2026-04-02T10:00:00.123000+09:00", "imageSizeInBytes": 52428800},
	  {"imageDigest": "sha256:333", "imageTags": ["v1.4.0"], "imagePushedAt": "2026-01-02T10:00:00Z"}
	]}`
	images, err := preview.ReadImages(strings.NewReader(inventory))
	if err != nil {
		fmt.Println(err)
		return
	}
	policy, _ := lifecycle.NewPolicy(lifecycle.StandardProdRules()...)
	result := preview.Evaluate(policy, images, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), nil)
	for _, o := range result.Outcomes {
		fmt.Println(o.Image.Digest, o.Action, o.Rule.Description)
	}
	fmt.Printf("kept %d, expired %d, at most %d bytes freed\n", result.Kept, result.Expired, result.BytesFreed)
	// Output:
	// sha256:222 expire Expire untagged images 14 days after push
	// kept 2, expired 1, at most 52428800 bytes freed
}

// Protect keeps tagged releases out of reach of every later rule, even the
// one that keeps only the most recent images.
func ExampleEvaluate_protect() {
	policy, _ := lifecycle.NewPolicy(lifecycle.Concat(lifecycle.Protect("release-"), lifecycle.KeepLastNImages(1))...)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	day := int64(24 * time.Hour)
	images := []preview.Image{
		{Digest: "sha256:aaa", Tags: []string{"release-1.0"}, PushedAt: now.UnixNano() - 90*day},
		{Digest: "sha256:bbb", Tags: []string{"dev-7"}, PushedAt: now.UnixNano() - 30*day},
		{Digest: "sha256:ccc", Tags: []string{"dev-8"}, PushedAt: now.UnixNano() - 1*day},
	}
	for _, o := range preview.Evaluate(policy, images, now, nil).Outcomes {
		fmt.Println(o.Image.Digest, o.Action, "by rule", o.Rule.Priority)
	}
	// Output: sha256:bbb expire by rule 3
}

// With the manifest lists from batch-get-image, the untagged images of a
// multi-architecture image are kept while their list stays.
func ExampleReadManifests() {
	inventory := `{"imageDetails": [
	  {"imageDigest": "sha256:index", "imageTags": ["v2"], "imagePushedAt": "2026-05-01T00:00:00Z",
	   "imageManifestMediaType": "application/vnd.oci.image.index.v1+json"},
	  {"imageDigest": "sha256:amd64", "imagePushedAt": "2026-05-01T00:00:00Z"},
	  {"imageDigest": "sha256:arm64", "imagePushedAt": "2026-05-01T00:00:00Z"},
	  {"imageDigest": "sha256:stray", "imagePushedAt": "2026-05-01T00:00:00Z"}
	]}`
	manifests := `{"images": [{"imageId": {"imageDigest": "sha256:index", "imageTag": "v2"},
	  "imageManifestMediaType": "application/vnd.oci.image.index.v1+json",
	  "imageManifest": "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:amd64\"},{\"digest\":\"sha256:arm64\"}]}"}],
	  "failures": []}`
	images, _ := preview.ReadImages(strings.NewReader(inventory))
	m, err := preview.ReadManifests(strings.NewReader(manifests))
	if err != nil {
		fmt.Println(err)
		return
	}
	policy, _ := lifecycle.NewPolicy(lifecycle.DeleteUntaggedAfterDays(14))
	result := preview.Evaluate(policy, images, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), &preview.Options{Manifests: m})
	for _, o := range result.Outcomes {
		fmt.Println(o.Image.Digest, o.Action)
	}
	for _, note := range result.Notes() {
		fmt.Println("Note:", note)
	}
	// Output:
	// sha256:stray expire
	// Note: 2 images a rule marks are kept: a manifest list that stays references them.
}

// ParseTime takes RFC 3339 or a date, which means midnight UTC.
func ExampleParseTime() {
	t, _ := preview.ParseTime("2026-06-01")
	fmt.Println(t)
	_, err := preview.ParseTime("tomorrow")
	fmt.Println(err)
	// Output:
	// 2026-06-01 00:00:00 +0000 UTC
	// "tomorrow": must be RFC 3339 or a date (midnight UTC) from the years 1678 to 2261, such as 2026-06-01T00:00:00Z or 2026-06-01
}
