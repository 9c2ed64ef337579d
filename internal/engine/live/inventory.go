package live

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle/preview"
)

// The live preview reads the API's answer through the same readers as the
// offline preview reads the CLI's output (preview.ReadImages and
// preview.ReadManifests), from the JSON those commands print: same checks,
// same problems, and so the same result for the same data.

// imageJSON is one describe-images imageDetail, with the fields a preview
// reads, as `aws ecr describe-images` prints them.
type imageJSON struct {
	RegistryID             string   `json:"registryId,omitempty"`
	RepositoryName         string   `json:"repositoryName,omitempty"`
	ImageDigest            string   `json:"imageDigest,omitempty"`
	ImageTags              []string `json:"imageTags,omitempty"`
	ImageSizeInBytes       *int64   `json:"imageSizeInBytes,omitempty"`
	ImagePushedAt          *string  `json:"imagePushedAt,omitempty"`
	ImageManifestMediaType string   `json:"imageManifestMediaType,omitempty"`
	ArtifactMediaType      string   `json:"artifactMediaType,omitempty"`
	LastRecordedPullTime   *string  `json:"lastRecordedPullTime,omitempty"`
	SubjectManifestDigest  string   `json:"subjectManifestDigest,omitempty"`
	ImageStatus            string   `json:"imageStatus,omitempty"`
	LastArchivedAt         *string  `json:"lastArchivedAt,omitempty"`
	LastActivatedAt        *string  `json:"lastActivatedAt,omitempty"`
}

// stamp prints a time exactly (RFC 3339 with nanoseconds, UTC), as the
// SDK decoded it: epoch seconds to the millisecond.
func stamp(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(time.RFC3339Nano)
	return &s
}

// DescribeImagesJSON prints the inventory's images as `aws ecr
// describe-images` does, {"imageDetails": [...]}, for ecr-lifecycle
// preview --images and for saving what was read.
func (inv *Inventory) DescribeImagesJSON() []byte {
	details := make([]imageJSON, len(inv.Images))
	for i, d := range inv.Images {
		details[i] = imageJSON{
			RegistryID:             aws.ToString(d.RegistryId),
			RepositoryName:         aws.ToString(d.RepositoryName),
			ImageDigest:            aws.ToString(d.ImageDigest),
			ImageTags:              d.ImageTags,
			ImageSizeInBytes:       d.ImageSizeInBytes,
			ImagePushedAt:          stamp(d.ImagePushedAt),
			ImageManifestMediaType: aws.ToString(d.ImageManifestMediaType),
			ArtifactMediaType:      aws.ToString(d.ArtifactMediaType),
			LastRecordedPullTime:   stamp(d.LastRecordedPullTime),
			SubjectManifestDigest:  aws.ToString(d.SubjectManifestDigest),
			ImageStatus:            string(d.ImageStatus),
			LastArchivedAt:         stamp(d.LastArchivedAt),
			LastActivatedAt:        stamp(d.LastActivatedAt),
		}
	}
	b, _ := json.Marshal(struct {
		ImageDetails []imageJSON `json:"imageDetails"`
	}{details}) // strings, ints and slices of them: can't fail
	return b
}

type imageIDJSON struct {
	ImageDigest string `json:"imageDigest,omitempty"`
	ImageTag    string `json:"imageTag,omitempty"`
}

// BatchGetImageJSON prints the manifests read as `aws ecr batch-get-image`
// does, {"images": [...], "failures": [...]}, for ecr-lifecycle preview
// --manifests.
func (inv *Inventory) BatchGetImageJSON() []byte {
	type image struct {
		RegistryID             string      `json:"registryId,omitempty"`
		RepositoryName         string      `json:"repositoryName,omitempty"`
		ImageID                imageIDJSON `json:"imageId"`
		ImageManifest          *string     `json:"imageManifest,omitempty"`
		ImageManifestMediaType string      `json:"imageManifestMediaType,omitempty"`
	}
	type failure struct {
		ImageID       imageIDJSON `json:"imageId"`
		FailureCode   string      `json:"failureCode,omitempty"`
		FailureReason string      `json:"failureReason,omitempty"`
	}
	out := struct {
		Images   []image   `json:"images"`
		Failures []failure `json:"failures"`
	}{Images: []image{}, Failures: []failure{}}
	for _, m := range inv.Manifests {
		var id imageIDJSON
		if m.ImageId != nil {
			id = imageIDJSON{aws.ToString(m.ImageId.ImageDigest), aws.ToString(m.ImageId.ImageTag)}
		}
		out.Images = append(out.Images, image{aws.ToString(m.RegistryId), aws.ToString(m.RepositoryName), id, m.ImageManifest, aws.ToString(m.ImageManifestMediaType)})
	}
	for _, f := range inv.Failures {
		var id imageIDJSON
		if f.ImageId != nil {
			id = imageIDJSON{aws.ToString(f.ImageId.ImageDigest), aws.ToString(f.ImageId.ImageTag)}
		}
		out.Failures = append(out.Failures, failure{id, string(f.FailureCode), aws.ToString(f.FailureReason)})
	}
	b, _ := json.Marshal(out)
	return b
}

// Preview returns the inventory as a preview reads it: images, and the
// manifests of its manifest lists. Its problems are those of
// preview.ReadImages and preview.ReadManifests (validation.Errors), so a
// server's malformed answer (an image without imagePushedAt, a manifest
// that isn't JSON) is reported as the offline preview reports a file.
func (inv *Inventory) Preview() ([]preview.Image, *preview.Manifests, error) {
	images, err := preview.ReadImages(bytes.NewReader(inv.DescribeImagesJSON()))
	if err != nil {
		return nil, nil, err
	}
	manifests, err := preview.ReadManifests(bytes.NewReader(inv.BatchGetImageJSON()))
	if err != nil {
		return nil, nil, err
	}
	return images, manifests, nil
}
