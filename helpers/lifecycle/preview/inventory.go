package preview

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	gojson "github.com/goccy/go-json"

	"github.com/secure-ecr/ecr-cdk-go/helpers/validation"
	"github.com/secure-ecr/ecr-cdk-go/internal/leaf/jsonpos"
)

// pkg is the Package of the problems this package reports.
const pkg = "preview"

// maxProblems bounds how many problems a reader collects before it stops: a
// broken file with a million images needs no million lines.
const maxProblems = 20

// stream decodes a JSON document one value at a time and locates its
// syntax and type errors.
type stream struct {
	pos   *jsonpos.Reader
	dec   *json.Decoder
	depth int   // how many arrays and objects open once open has returned
	shift int64 // offset in the text at which dec started reading
}

func newStream(r io.Reader) *stream {
	pos := jsonpos.NewReader(r)
	return &stream{pos: pos, dec: json.NewDecoder(pos)}
}

// jsonError turns an encoding/json error into a problem at its place in
// the text: base is the offset at which the value being decoded starts. A
// syntax error is reported as what, "must be describe-images JSON: ...", a
// type error as the field and the type it needs.
func (s *stream) jsonError(err error, base int64, path, what string) *validation.Error {
	e := &validation.Error{Package: pkg, Path: path, Constraint: what + jsonpos.Message(err), Err: err}
	if jsonpos.IsTypeError(err) {
		e.Field, e.Constraint = jsonpos.TypeField(err), jsonpos.Message(err)
	}
	if line, col, ok := s.pos.PositionAt(err, base, s.shift); ok {
		e.Line, e.Column = line, col
	}
	return e
}

// offset returns the offset in the text of the decoder's position.
func (s *stream) offset() int64 { return s.shift + s.dec.InputOffset() }

// elements hands the elements of the array open has entered to f, one at a
// time as raw bytes with their offsets in the text, through a splitter, until
// f returns false or the array ends; after the array, the decoder goes on
// with the rest of the document. A missing comma between elements is
// returned, named by path(i) for the element after it and elemWhat; the
// input ending inside the array as a problem of the document, docWhat.
func (s *stream) elements(f func(i int, elem []byte, base int64) bool, path func(i int) string, elemWhat, docWhat string) *validation.Error {
	sp := newSplitter(io.MultiReader(s.dec.Buffered(), s.pos), s.offset())
	for i := 0; ; i++ {
		elem, base, done, err := sp.next()
		if err != nil {
			e := &validation.Error{Package: pkg, Constraint: docWhat + jsonpos.Message(err), Err: err}
			if err == errMissingComma {
				e.Path, e.Constraint = path(i), elemWhat+jsonpos.Message(err)
			}
			if line, col, ok := s.pos.Locate(base); ok {
				e.Line, e.Column = line, col
			}
			return e
		}
		if done {
			break
		}
		if !f(i, elem, base) {
			return nil
		}
	}
	// The closing bracket is read. A new decoder takes the rest: in an
	// object, after a stand-in member that puts it where the array was.
	s.depth--
	r, at := sp.rest()
	s.dec, s.shift = json.NewDecoder(r), at
	if s.depth > 0 {
		const standIn = `{"":null`
		s.dec, s.shift = json.NewDecoder(io.MultiReader(strings.NewReader(standIn), r)), at-int64(len(standIn))
		var skip json.RawMessage
		_, _ = s.dec.Token()    // {
		_, _ = s.dec.Token()    // ""
		_ = s.dec.Decode(&skip) // null
	}
	return nil
}

// elementError is jsonError for an element decoded on its own, starting at
// offset base of the text.
func (s *stream) elementError(err error, base int64, path, what string) *validation.Error {
	shift := s.shift
	s.shift = base
	defer func() { s.shift = shift }()
	return s.jsonError(err, base, path, what)
}

// elementStart returns the offset at which the next element of an array
// starts, once More has reported one: Decode takes the comma before it.
func (s *stream) elementStart(i int) int64 {
	off := s.offset()
	if i > 0 {
		off++ // the comma
	}
	return off
}

// open reads the start of a document that is either {..., key: [...], ...}
// or a bare array, leaving the decoder at the array's first element. what
// names the document in messages ("describe-images JSON").
func (s *stream) open(key, what, hint string) *validation.Error {
	docError := func(field, constraint string) *validation.Error {
		return &validation.Error{Package: pkg, Field: field, Constraint: constraint}
	}
	tok, err := s.dec.Token()
	if err != nil {
		return s.jsonError(err, 0, "", "must be "+what+": ")
	}
	switch tok {
	case json.Delim('['):
		s.depth = 1
		return nil
	case json.Delim('{'):
		s.depth = 2
	default:
		return docError("", fmt.Sprintf(`must be {%q: [...]} or a bare array: %s`, key, hint))
	}
	for s.dec.More() {
		k, err := s.dec.Token()
		if err != nil {
			return s.jsonError(err, 0, "", "must be "+what+": ")
		}
		if k == key {
			base := s.offset()
			t, err := s.dec.Token()
			if err != nil {
				return s.jsonError(err, base, "", "must be "+what+": ")
			}
			if t != json.Delim('[') {
				e := docError(key, "must be an array")
				e.Line, e.Column, _ = s.pos.LocateValue(base)
				return e
			}
			return nil
		}
		base := s.offset()
		var skip json.RawMessage
		if err := s.dec.Decode(&skip); err != nil {
			return s.jsonError(err, base, "", "must be "+what+": ")
		}
	}
	return docError("", fmt.Sprintf("has no %q: %s", key, hint))
}

// close reads the rest of the document after the array, checking that it
// is well formed and complete; what names the document in messages. When countKey is not empty, count receives
// the length of the top-level array of that name, such as batch-get-image's
// "failures".
func (s *stream) close(what, countKey string, count *int) *validation.Error {
	for {
		base := s.offset()
		tok, err := s.dec.Token()
		switch {
		case err == io.EOF && s.depth > 0:
			err = io.ErrUnexpectedEOF
		case err == io.EOF:
			return nil
		}
		if err != nil {
			return s.jsonError(err, base, "", "must be "+what+": ")
		}
		switch tok := tok.(type) {
		case json.Delim:
			if tok == '[' || tok == '{' {
				s.depth++
			} else {
				s.depth--
			}
		case string:
			// Every value of the top-level object is decoded right after
			// its key, so a string at depth 1 is a key.
			base := s.offset()
			if tok == countKey && countKey != "" {
				var items []json.RawMessage
				if err := s.dec.Decode(&items); err != nil {
					return s.jsonError(err, base, countKey, "must be an array: ")
				}
				*count += len(items)
				continue
			}
			var skip json.RawMessage
			if err := s.dec.Decode(&skip); err != nil {
				return s.jsonError(err, base, "", "must be "+what+": ")
			}
		}
	}
}

// imageDetail is the part of a describe-images entry that lifecycle rules
// read. Other fields (scan findings, ...) are skipped.
type imageDetail struct {
	ImageDigest            string    `json:"imageDigest"`
	ImageTags              []string  `json:"imageTags"`
	ImagePushedAt          timestamp `json:"imagePushedAt"`
	LastRecordedPullTime   timestamp `json:"lastRecordedPullTime"`
	ImageStatus            interned  `json:"imageStatus"`
	LastArchivedAt         timestamp `json:"lastArchivedAt"`
	LastActivatedAt        timestamp `json:"lastActivatedAt"`
	SubjectManifestDigest  string    `json:"subjectManifestDigest"`
	ImageSizeInBytes       int64     `json:"imageSizeInBytes"`
	ImageManifestMediaType interned  `json:"imageManifestMediaType"`
}

// interned decodes a JSON string that takes few values in practice (image
// status, media type) as a shared constant, so that a large inventory
// doesn't hold a copy of the same text per image. It never fails: any other
// value is kept as its text, for the checks to report.
type interned string

// common are the values interned.
var common = []string{
	string(ImageStatusActive), string(ImageStatusArchived), string(ImageStatusActivating),
	"application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
	MediaTypeOCIIndex, MediaTypeDockerManifestList,
}

// UnmarshalJSON implements json.Unmarshaler.
func (v *interned) UnmarshalJSON(data []byte) error {
	if len(data) >= 2 && data[0] == '"' && data[len(data)-1] == '"' {
		for _, c := range common {
			if len(c) == len(data)-2 && c == string(data[1:len(data)-1]) { // compiled without a copy
				*v = interned(c)
				return nil
			}
		}
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		s = string(data) // not a string: kept as it is, for the checks to report
	}
	*v = interned(s)
	return nil
}

// imagePath names an image in messages: its position in imageDetails and
// its digest when known.
func imagePath(index int, digest string) string {
	if digest != "" {
		return fmt.Sprintf("imageDetails[%d] (%s)", index, digest)
	}
	return fmt.Sprintf("imageDetails[%d]", index)
}

// ReadImages reads an image inventory: the JSON `aws ecr describe-images`
// prints, {"imageDetails": [...]} (other top-level fields such as nextToken
// are ignored), or a bare array of image details. Timestamps may be ISO 8601
// strings with any UTC offset or epoch seconds. It decodes one image at a
// time, so memory follows the number of images, not the size of the file.
//
// Every image needs an imageDigest and an imagePushedAt; imageStatus, when
// present, must be ACTIVE, ARCHIVED or ACTIVATING. Problems are returned as
// [validation.Errors] (at most 20); a problem of JSON syntax or type carries
// its line and column.
func ReadImages(r io.Reader) ([]Image, error) {
	s := newStream(r)
	if e := s.open("imageDetails", "describe-images JSON", "give the output of aws ecr describe-images"); e != nil {
		return nil, validation.Errors{e}
	}
	var images []Image
	var errs validation.Errors
	path := func(i int) string { return imagePath(i, "") }
	if e := s.elements(func(i int, elem []byte, base int64) bool {
		var d imageDetail
		if err := decodeImage(elem, &d); err != nil {
			errs = append(errs, s.elementError(err, base, imagePath(i, d.ImageDigest), "must be a describe-images image detail: "))
			return false
		}
		im, problems := d.image(i)
		errs = append(errs, problems...)
		if len(errs) >= maxProblems {
			errs = errs[:maxProblems]
			return false
		}
		images = append(images, im)
		return true
	}, path, "must be a describe-images image detail: ", "must be describe-images JSON: "); e != nil {
		errs = append(errs, e)
	}
	if len(errs) == 0 {
		if e := s.close("describe-images JSON", "", nil); e != nil {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return images, nil
}

// decodeImage decodes one element of imageDetails. goccy/go-json decodes it
// (about three times as fast as encoding/json, which made the whole preview
// take no longer than a bare encoding/json decode of the file); a refused
// element is decoded again with encoding/json, whose messages and error
// offsets the reports are built on.
func decodeImage(elem []byte, d *imageDetail) error {
	if gojson.Unmarshal(elem, d) == nil {
		return nil
	}
	*d = imageDetail{}
	return json.Unmarshal(elem, d)
}

// image converts and checks one decoded entry.
func (d *imageDetail) image(i int) (Image, validation.Errors) {
	var problems validation.Errors
	add := func(field, value, constraint string) {
		problems = append(problems, &validation.Error{Package: pkg, Path: imagePath(i, d.ImageDigest), Field: field, Value: value, Constraint: constraint})
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
		MediaType:     string(d.ImageManifestMediaType),
	}, problems
}
