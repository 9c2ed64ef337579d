package lifecycle

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
)

// inventoryError returns a problem with an image inventory: the image (its
// position in imageDetails, or -1 for the document, and its digest when
// known), the describe-images field, the value and the constraint.
func inventoryError(index int, digest, field, value, constraint string) *ValidationError {
	path := "images"
	switch {
	case index >= 0 && digest != "":
		path = fmt.Sprintf("imageDetails[%d] (%s)", index, digest)
	case index >= 0:
		path = fmt.Sprintf("imageDetails[%d]", index)
	}
	return &ValidationError{Package: "lifecycle", Path: path, Field: field, Value: value, Constraint: constraint}
}

// maxInventoryErrors bounds how many problems ReadImages collects before it
// stops: a broken file with a million images needs no million lines.
const maxInventoryErrors = 20

// imageDetail is the part of a describe-images entry that lifecycle rules
// read. Other fields (scan findings, media types, ...) are skipped.
type imageDetail struct {
	ImageDigest           string    `json:"imageDigest"`
	ImageTags             []string  `json:"imageTags"`
	ImagePushedAt         timestamp `json:"imagePushedAt"`
	LastRecordedPullTime  timestamp `json:"lastRecordedPullTime"`
	ImageStatus           string    `json:"imageStatus"`
	LastArchivedAt        timestamp `json:"lastArchivedAt"`
	LastActivatedAt       timestamp `json:"lastActivatedAt"`
	SubjectManifestDigest string    `json:"subjectManifestDigest"`
	ImageSizeInBytes      int64     `json:"imageSizeInBytes"`
}

// ReadImages reads an image inventory: the JSON `aws ecr describe-images`
// prints, {"imageDetails": [...]} (other top-level fields such as nextToken
// are ignored), or a bare array of image details. Timestamps may be ISO 8601
// strings with any UTC offset or epoch seconds. It decodes one image at a
// time, so memory follows the number of images, not the size of the file.
//
// Every image needs an imageDigest and an imagePushedAt; imageStatus, when
// present, must be ACTIVE, ARCHIVED or ACTIVATING. Problems are returned as
// [Errors] (at most 20), one [ValidationError] per problem.
func ReadImages(r io.Reader) ([]Image, error) {
	dec := json.NewDecoder(r)
	var images []Image
	var errs Errors
	fail := func(e *ValidationError) bool {
		errs = append(errs, e)
		return len(errs) >= maxInventoryErrors
	}
	docError := func(constraint string) ([]Image, error) {
		return nil, Errors{inventoryError(-1, "", "document", "", constraint)}
	}

	tok, err := dec.Token()
	if err != nil {
		return docError("must be describe-images JSON: " + jsonProblem(err))
	}
	switch tok {
	case json.Delim('['):
	case json.Delim('{'):
		found := false
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return docError("must be describe-images JSON: " + jsonProblem(err))
			}
			if key == "imageDetails" {
				if t, err := dec.Token(); err != nil || t != json.Delim('[') {
					return nil, Errors{inventoryError(-1, "", "imageDetails", "", "must be an array of images")}
				}
				found = true
				break
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return docError("must be describe-images JSON: " + jsonProblem(err))
			}
		}
		if !found {
			return docError(`has no "imageDetails": give the output of aws ecr describe-images`)
		}
	default:
		return docError(`must be {"imageDetails": [...]} or an array of images`)
	}

	for i := 0; dec.More(); i++ {
		var d imageDetail
		if err := dec.Decode(&d); err != nil {
			errs = append(errs, inventoryError(i, "", "image", "", "must be a describe-images image detail: "+jsonProblem(err)))
			break
		}
		im, problems := d.image(i)
		stop := false
		for _, p := range problems {
			if stop = fail(p); stop {
				break
			}
		}
		if stop {
			break
		}
		images = append(images, im)
	}
	if len(errs) == 0 {
		if _, err := dec.Token(); err != nil {
			errs = append(errs, inventoryError(-1, "", "document", "", "is cut short: "+jsonProblem(err)))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return images, nil
}

// image converts and checks one decoded entry.
func (d *imageDetail) image(i int) (Image, Errors) {
	var problems Errors
	add := func(field, value, constraint string) {
		problems = append(problems, inventoryError(i, d.ImageDigest, field, value, constraint))
	}
	if d.ImageDigest == "" {
		add("imageDigest", "", "is required")
	}
	for _, ts := range []struct {
		name string
		ts   timestamp
	}{{"imagePushedAt", d.ImagePushedAt}, {"lastRecordedPullTime", d.LastRecordedPullTime}, {"lastArchivedAt", d.LastArchivedAt}, {"lastActivatedAt", d.LastActivatedAt}} {
		if ts.ts.bad != "" {
			add(ts.name, ts.ts.bad, "must be an ISO 8601 timestamp from the years 1678 to 2261, such as 2026-05-14T18:22:58.657000+09:00, or epoch seconds")
		}
	}
	if !d.ImagePushedAt.set && d.ImagePushedAt.bad == "" {
		add("imagePushedAt", "", "is required")
	}
	if status := ImageStatus(d.ImageStatus); status != "" && !slices.Contains(status.Values(), status) {
		add("imageStatus", fmt.Sprintf("%q", d.ImageStatus), "must be "+validation.OneOf(status.Values()))
	}
	if d.ImageSizeInBytes < 0 {
		add("imageSizeInBytes", fmt.Sprint(d.ImageSizeInBytes), "must not be negative")
	}
	return Image{
		Digest:        d.ImageDigest,
		Tags:          d.ImageTags,
		PushedAt:      d.ImagePushedAt.nanos,
		LastPulledAt:  d.LastRecordedPullTime.nanos,
		Status:        ImageStatus(d.ImageStatus),
		ArchivedAt:    d.LastArchivedAt.nanos,
		ActivatedAt:   d.LastActivatedAt.nanos,
		SubjectDigest: d.SubjectManifestDigest,
		SizeBytes:     d.ImageSizeInBytes,
	}, problems
}

// jsonProblem shortens encoding/json's messages.
func jsonProblem(err error) string {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return "unexpected end of input"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
