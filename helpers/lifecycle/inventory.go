package lifecycle

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// InventoryError is one problem with an image inventory: the image (its
// position and digest), the field, the value and the constraint.
type InventoryError struct {
	// Index is the image's position in imageDetails, or -1 for the document.
	Index int
	// Digest is the image's imageDigest, if known.
	Digest string
	// Field is the describe-images field, such as "imagePushedAt".
	Field string
	// Value is the offending value as it appears in the input.
	Value string
	// Constraint says what the value must be.
	Constraint string
}

// Error returns the problem on one line.
func (e *InventoryError) Error() string {
	where := "images"
	switch {
	case e.Index >= 0 && e.Digest != "":
		where = fmt.Sprintf("imageDetails[%d] (%s)", e.Index, e.Digest)
	case e.Index >= 0:
		where = fmt.Sprintf("imageDetails[%d]", e.Index)
	}
	msg := where + ": " + e.Field
	if e.Value != "" {
		msg += " " + e.Value
	}
	return msg + ": " + e.Constraint
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
// an error that unwraps to the *InventoryError values (at most 20).
func ReadImages(r io.Reader) ([]Image, error) {
	dec := json.NewDecoder(r)
	var images []Image
	var errs []error
	fail := func(e *InventoryError) bool {
		errs = append(errs, e)
		return len(errs) >= maxInventoryErrors
	}
	docError := func(constraint string) ([]Image, error) {
		return nil, &InventoryError{Index: -1, Field: "document", Constraint: constraint}
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
					return nil, &InventoryError{Index: -1, Field: "imageDetails", Constraint: "must be an array of images"}
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
			errs = append(errs, &InventoryError{Index: i, Field: "image", Constraint: "must be a describe-images image detail: " + jsonProblem(err)})
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
			errs = append(errs, &InventoryError{Index: -1, Field: "document", Constraint: "is cut short: " + jsonProblem(err)})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return images, nil
}

// image converts and checks one decoded entry.
func (d *imageDetail) image(i int) (Image, []*InventoryError) {
	var problems []*InventoryError
	add := func(field, value, constraint string) {
		problems = append(problems, &InventoryError{Index: i, Digest: d.ImageDigest, Field: field, Value: value, Constraint: constraint})
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
	switch ImageStatus(d.ImageStatus) {
	case "", Active, Archived, Activating:
	default:
		add("imageStatus", fmt.Sprintf("%q", d.ImageStatus), "must be ACTIVE, ARCHIVED or ACTIVATING")
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
