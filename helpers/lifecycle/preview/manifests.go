package preview

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/leaf/jsonpos"
)

// Manifests are the manifests of a repository's images, as `aws ecr
// batch-get-image` returns them, reduced to what a preview needs: which
// manifests each manifest list references, and which blobs (config and
// layers) each image manifest references. Read them with [ReadManifests].
type Manifests struct {
	// Lists maps the digest of each manifest list (an OCI image index or a
	// Docker manifest list) to the digests of the manifests it references.
	Lists map[string][]string
	// Blobs maps the digest of each image manifest to the config and layer
	// blobs it references.
	Blobs map[string][]Blob
	// Failures counts the images batch-get-image could not return (its
	// "failures"); they are left out.
	Failures int
}

// Blob is a config or layer blob an image manifest references.
type Blob struct {
	// Digest is the blob's digest.
	Digest string
	// Size is the blob's size in bytes.
	Size int64
}

// batchImage is one entry of batch-get-image's "images".
type batchImage struct {
	ImageID struct {
		ImageDigest string `json:"imageDigest"`
		ImageTag    string `json:"imageTag"`
	} `json:"imageId"`
	ImageManifest          *string `json:"imageManifest"`
	ImageManifestMediaType string  `json:"imageManifestMediaType"`
}

// manifestDoc is the part of a manifest a preview reads: a manifest list's
// "manifests", or an image manifest's "config" and "layers".
type manifestDoc struct {
	MediaType string       `json:"mediaType"`
	Manifests []descriptor `json:"manifests"`
	Config    *descriptor  `json:"config"`
	Layers    []descriptor `json:"layers"`
}

// descriptor is an OCI content descriptor.
type descriptor struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
	Size      int64  `json:"size"`
}

// batchPath names an entry of batch-get-image's "images" in messages.
func batchPath(index int, digest string) string {
	if digest != "" {
		return fmt.Sprintf("images[%d] (%s)", index, digest)
	}
	return fmt.Sprintf("images[%d]", index)
}

// ReadManifests reads the output of `aws ecr batch-get-image`:
// {"images": [{"imageId": {"imageDigest": ...}, "imageManifest": "...",
// "imageManifestMediaType": "..."}], "failures": [...]}, or a bare array of
// such images. Each imageManifest is the manifest's JSON text, as a string.
// An image whose media type (imageManifestMediaType, else the manifest's
// own mediaType) is a manifest list contributes the digests it references;
// an image manifest its config and layers; anything else (artifacts of
// other kinds, schema 1 manifests) is skipped. An image listed twice (asked
// for by two tags) counts once.
//
// It decodes one image at a time. Every image needs an imageId.imageDigest
// and an imageManifest that is a JSON object. Problems are returned as
// [validation.Errors] (at most 20); a problem of JSON syntax or type
// carries its line and column in the file, or, inside a manifest, the
// position in that manifest's text.
func ReadManifests(r io.Reader) (*Manifests, error) {
	s := newStream(r)
	if e := s.open("images", "batch-get-image JSON", "give the output of aws ecr batch-get-image"); e != nil {
		return nil, validation.Errors{e}
	}
	m := &Manifests{Lists: map[string][]string{}, Blobs: map[string][]Blob{}}
	var errs validation.Errors
	for i := 0; s.dec.More(); i++ {
		base := s.elementStart(i)
		var b batchImage
		if err := s.dec.Decode(&b); err != nil {
			errs = append(errs, s.jsonError(err, base, batchPath(i, b.ImageID.ImageDigest), "must be a batch-get-image image: "))
			break
		}
		if e := m.add(i, &b); e != nil {
			errs = append(errs, e)
			if len(errs) >= maxProblems {
				break
			}
		}
	}
	if len(errs) == 0 {
		if e := s.close("batch-get-image JSON", "failures", &m.Failures); e != nil {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return m, nil
}

// add records one batch-get-image image, or returns its problem.
func (m *Manifests) add(i int, b *batchImage) *validation.Error {
	digest := b.ImageID.ImageDigest
	problem := func(field, value, constraint string) *validation.Error {
		return &validation.Error{Package: pkg, Path: batchPath(i, digest), Field: field, Value: value, Constraint: constraint}
	}
	switch {
	case digest == "":
		return problem("imageId.imageDigest", "", "is required")
	case b.ImageManifest == nil:
		return problem("imageManifest", "", "is required")
	}
	text := []byte(*b.ImageManifest)
	var doc manifestDoc
	err := json.Unmarshal(text, &doc)
	if (err == nil && !isObject(text)) || (jsonpos.IsTypeError(err) && jsonpos.TypeField(err) == "") {
		return problem("imageManifest", "", "must be a manifest, a JSON object")
	}
	if err != nil {
		e := problem("imageManifest", "", "must be a manifest, a JSON object: "+jsonpos.Message(err))
		if jsonpos.IsTypeError(err) {
			e.Field = "imageManifest " + jsonpos.TypeField(err)
			e.Constraint = jsonpos.Message(err)
		}
		if line, col, ok := jsonpos.Position(text, err, 0); ok {
			e.Constraint += fmt.Sprintf(" (at %d:%d of the manifest)", line, col)
		}
		return e
	}
	mediaType := b.ImageManifestMediaType
	if mediaType == "" {
		mediaType = doc.MediaType
	}
	switch {
	case IsManifestList(mediaType):
		if _, seen := m.Lists[digest]; seen {
			return nil
		}
		children := make([]string, 0, len(doc.Manifests))
		for j, d := range doc.Manifests {
			if d.Digest == "" {
				return problem(fmt.Sprintf("imageManifest manifests[%d].digest", j), "", "is required")
			}
			children = append(children, d.Digest)
		}
		m.Lists[digest] = children
	case doc.Config != nil || doc.Layers != nil:
		if _, seen := m.Blobs[digest]; seen {
			return nil
		}
		blobs := make([]Blob, 0, len(doc.Layers)+1)
		if doc.Config != nil && doc.Config.Digest != "" {
			blobs = append(blobs, Blob{Digest: doc.Config.Digest, Size: doc.Config.Size})
		}
		for j, d := range doc.Layers {
			if d.Digest == "" {
				return problem(fmt.Sprintf("imageManifest layers[%d].digest", j), "", "is required")
			}
			if d.Size < 0 {
				return problem(fmt.Sprintf("imageManifest layers[%d].size", j), fmt.Sprint(d.Size), "must not be negative")
			}
			blobs = append(blobs, Blob{Digest: d.Digest, Size: d.Size})
		}
		m.Blobs[digest] = blobs
	}
	return nil
}

// isObject reports whether a JSON text is an object, leading white space
// allowed.
func isObject(text []byte) bool {
	for _, c := range text {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return true
		}
		return false
	}
	return false
}
