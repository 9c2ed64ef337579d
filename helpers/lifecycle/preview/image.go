package preview

import "github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"

// ImageStatus is an image's storage state, describe-images' imageStatus.
type ImageStatus string

const (
	// ImageStatusActive images are in standard storage; standard-class rules see them.
	ImageStatusActive ImageStatus = "ACTIVE"
	// ImageStatusArchived images are in archive storage; archive-class rules see them.
	ImageStatusArchived ImageStatus = "ARCHIVED"
	// ImageStatusActivating images are being restored; no rule sees them.
	ImageStatusActivating ImageStatus = "ACTIVATING"
)

// Values returns every image status describe-images reports.
func (ImageStatus) Values() []ImageStatus {
	return []ImageStatus{ImageStatusActive, ImageStatusArchived, ImageStatusActivating}
}

// Media types of manifest lists: an image index references the manifests
// of one image for several platforms (a multi-architecture image).
const (
	// MediaTypeOCIIndex is an OCI image index.
	MediaTypeOCIIndex = "application/vnd.oci.image.index.v1+json"
	// MediaTypeDockerManifestList is a Docker manifest list.
	MediaTypeDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
)

// IsManifestList reports whether a media type is that of a manifest list
// (an OCI image index or a Docker manifest list).
func IsManifestList(mediaType string) bool {
	return mediaType == MediaTypeOCIIndex || mediaType == MediaTypeDockerManifestList
}

// Image is one image of a repository, with the fields of `aws ecr
// describe-images` that lifecycle rules read. Times are Unix nanoseconds,
// 0 when unknown, so a million images stay compact.
type Image struct {
	// Digest is imageDigest.
	Digest string
	// Tags is imageTags; empty for an untagged image.
	Tags []string
	// PushedAt is imagePushedAt.
	PushedAt int64
	// LastPulledAt is lastRecordedPullTime; 0 when never pulled.
	LastPulledAt int64
	// Status is imageStatus; "" counts as ACTIVE (older CLI output).
	Status ImageStatus
	// ArchivedAt is lastArchivedAt.
	ArchivedAt int64
	// ActivatedAt is lastActivatedAt: when the image was last restored
	// from the archive.
	ActivatedAt int64
	// SubjectDigest is subjectManifestDigest: set for a referrer artifact
	// (signature, SBOM), which follows its subject.
	SubjectDigest string
	// SizeBytes is imageSizeInBytes; 0 when unknown.
	SizeBytes int64
	// MediaType is imageManifestMediaType; "" when unknown. A manifest
	// list has [MediaTypeOCIIndex] or [MediaTypeDockerManifestList].
	MediaType string
}

// status returns the image's status, ACTIVE when unset.
func (im *Image) status() ImageStatus {
	if im.Status == "" {
		return ImageStatusActive
	}
	return im.Status
}

// storageClass is the class whose rules see the image, "" for none.
func (im *Image) storageClass() lifecycle.StorageClass {
	switch im.status() {
	case ImageStatusActive:
		return lifecycle.StorageClassStandard
	case ImageStatusArchived:
		return lifecycle.StorageClassArchive
	default:
		return ""
	}
}

// age is the time ECR orders and ages images by: the last activation for a
// restored image, the push otherwise.
func (im *Image) age() int64 {
	if im.ActivatedAt != 0 {
		return im.ActivatedAt
	}
	return im.PushedAt
}

// pullClock is the time sinceImagePulled counts from: the last pull, or the
// push when never pulled, or the last activation when restored and not
// pulled since. That is the latest of the three.
func (im *Image) pullClock() int64 {
	return max(im.LastPulledAt, im.PushedAt, im.ActivatedAt)
}
