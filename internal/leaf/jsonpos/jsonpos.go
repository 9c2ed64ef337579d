// Package jsonpos turns the errors of encoding/json into problems that say
// where, in the text read, the JSON went wrong: a line and a column.
//
// encoding/json reports a byte offset (json.SyntaxError, and
// json.UnmarshalTypeError relative to the value being decoded) or nothing at
// all (io.ErrUnexpectedEOF). People need a line and a column, so this
// package counts them: in a text held in memory, or, for a stream decoded
// one value at a time, in a window of the bytes read last, which is written
// by hand because no library tracks positions under encoding/json's Decoder.
package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// Locate returns the 1-based line and column (in characters) of the byte at
// offset in text; an offset at or past the end gives the position just
// after the last character.
func Locate(text []byte, offset int64) (line, column int) {
	offset = max(min(offset, int64(len(text))), 0)
	before := text[:offset]
	line = 1 + bytes.Count(before, []byte{'\n'})
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, 1 + utf8.RuneCount(before[start:])
}

// Message shortens encoding/json's error messages for one line of a
// report. A type error says what the value must be: "must be a string, not
// a number"; TypeField gives the field it concerns.
func Message(err error) string {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.HasPrefix(err.Error(), "unexpected end of JSON input") {
		return "unexpected end of input"
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		value := te.Value
		if i := strings.IndexByte(value, ' '); i > 0 {
			value = value[:i] // "number -5" and the like
		}
		return "must be " + kind(te.Type.String()) + ", not " + article(value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// TypeField returns the field a type error concerns ("imageTags"), or "".
func TypeField(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field
	}
	return ""
}

// IsTypeError reports whether err is a JSON value of the wrong type.
func IsTypeError(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te)
}

// article puts "a" or "an" before a JSON kind.
func article(kind string) string {
	switch kind {
	case "array", "object":
		return "an " + kind
	case "bool":
		return "true or false"
	case "":
		return "this"
	}
	return "a " + kind
}

// kind names a Go type as the JSON it takes.
func kind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case goType == "string":
		return "a string"
	case strings.HasPrefix(goType, "int") || strings.HasPrefix(goType, "uint") || strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "true or false"
	default:
		return "an object"
	}
}

// ErrorOffset returns the offset of the byte an encoding/json error points
// at, given base, the offset in the whole text at which the value being
// decoded starts, and end, the length of the text read so far. The second
// result is false when err is not one of encoding/json's errors.
func ErrorOffset(err error, base, end int64) (int64, bool) {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se) && strings.HasPrefix(se.Error(), "unexpected end of JSON input"):
		return se.Offset, true
	case errors.As(err, &se):
		// Offset counts the bytes read up to and including the bad one.
		return max(se.Offset-1, 0), true
	case errors.As(err, &te):
		// Offset is relative to the value decoded and points just past
		// the offending value (or just inside an object or array).
		return max(base+te.Offset-1, base), true
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return end, true
	}
	return 0, false
}

// Position returns the line and column in text of the value an
// encoding/json error points at, given base, the offset at which the value
// being decoded starts (0 for json.Unmarshal of the whole text).
func Position(text []byte, err error, base int64) (line, column int, ok bool) {
	off, ok := ErrorOffset(err, base, int64(len(text)))
	if !ok {
		return 0, 0, false
	}
	off = SkipSpace(text, off)
	if IsTypeError(err) {
		off = valueStart(text, off)
	}
	line, column = Locate(text, off)
	return line, column, true
}

// valueStart moves an offset that points at the last character of a
// literal, number or string (where encoding/json reports a type error) to
// its first.
func valueStart(b []byte, i int64) int64 {
	if i <= 0 || i >= int64(len(b)) {
		return i
	}
	if b[i] == '"' {
		for j := i - 1; j >= 0; j-- {
			if b[j] == '"' && (j == 0 || b[j-1] != '\\') {
				return j
			}
		}
		return i
	}
	for i > 0 && isLiteral(b[i-1]) && isLiteral(b[i]) {
		i--
	}
	return i
}

func isLiteral(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'E'
}

// Reader counts the lines of what is read through it and keeps the bytes
// read last, so that an offset near the read position can be located
// without holding the whole stream. It keeps two buffers of windowSize and
// swaps them when the current one is full, so each byte is copied once.
type Reader struct {
	r io.Reader
	// prev and cur hold the bytes from offset start on; lines is the
	// number of newlines before start, and columns the number of
	// characters between the last of them and start.
	prev, cur []byte
	start     int64
	lines     int
	columns   int
	n         int64
}

// windowSize is the least a Reader keeps: more than any one value decoded
// at a time in practice (an image detail, a manifest).
const windowSize = 4 << 20

// NewReader returns a Reader reading from r.
func NewReader(r io.Reader) *Reader { return &Reader{r: r} }

// Read implements io.Reader.
func (c *Reader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for data := p[:n]; len(data) > 0; {
		if len(c.cur) == windowSize {
			c.drop(c.prev)
			c.prev, c.cur = c.cur, c.prev[:0]
		}
		if c.cur == nil {
			c.cur = make([]byte, 0, windowSize)
		}
		k := min(len(data), windowSize-len(c.cur))
		c.cur = append(c.cur, data[:k]...)
		data = data[k:]
	}
	c.n += int64(n)
	return n, err
}

// drop forgets the oldest bytes kept, counting their lines.
func (c *Reader) drop(old []byte) {
	c.lines += bytes.Count(old, []byte{'\n'})
	if i := bytes.LastIndexByte(old, '\n'); i >= 0 {
		c.columns = utf8.RuneCount(old[i+1:])
	} else {
		c.columns += utf8.RuneCount(old)
	}
	c.start += int64(len(old))
}

// window returns the bytes kept, from offset start on. It copies them, so
// it is only for reporting an error.
func (c *Reader) window() []byte {
	return append(append([]byte(nil), c.prev...), c.cur...)
}

// Offset returns how many bytes have been read.
func (c *Reader) Offset() int64 { return c.n }

// Locate returns the line and column of offset, and false when the offset
// has already left the window.
func (c *Reader) Locate(offset int64) (line, column int, ok bool) {
	if offset < c.start {
		return 0, 0, false
	}
	line, column = Locate(c.window(), offset-c.start)
	if line == 1 {
		column += c.columns // the line started before the window
	}
	return line + c.lines, column, true
}

// Position returns the line and column of the value an encoding/json error
// points at, given base, the offset at which the value being decoded
// starts; false when the error has no place or it left the window.
func (c *Reader) Position(err error, base int64) (line, column int, ok bool) {
	return c.PositionAt(err, base, 0)
}

// PositionAt is Position for an error of a decoder that started at offset
// shift of the text, such as json.Unmarshal of one element: its syntax
// errors count from there.
func (c *Reader) PositionAt(err error, base, shift int64) (line, column int, ok bool) {
	off, ok := ErrorOffset(err, base, c.n)
	var se *json.SyntaxError
	if ok && errors.As(err, &se) {
		off += shift
	}
	if !ok || off < c.start {
		return 0, 0, false
	}
	window := c.window()
	off = c.start + SkipSpace(window, off-c.start)
	if IsTypeError(err) {
		off = c.start + valueStart(window, off-c.start)
	}
	return c.Locate(off)
}

// LocateValue returns the line and column of the first character from
// offset on that is neither white space nor a colon: the value after an
// object key read with json.Decoder's Token.
func (c *Reader) LocateValue(offset int64) (line, column int, ok bool) {
	window := c.window()
	for i := offset - c.start; i >= 0 && i < int64(len(window)); i++ {
		switch window[i] {
		case ' ', '\t', '\r', '\n', ':':
			continue
		}
		return c.Locate(c.start + i)
	}
	return c.Locate(offset)
}

// SkipSpace moves an offset of text that points at white space to the next
// character.
func SkipSpace(text []byte, offset int64) int64 {
	for offset >= 0 && offset < int64(len(text)) {
		switch text[offset] {
		case ' ', '\t', '\r', '\n':
			offset++
			continue
		}
		break
	}
	return offset
}

// LocatePath returns the offset in text of the value at path, a sequence of
// object keys (string) and array indexes (int) from the top, such as
// "rules", 2, "selection", "countNumber"; false when text has no such value.
// (A problem found in decoded values, a mistyped field, is located this way:
// encoding/json keeps no offsets once it has decoded.)
func LocatePath(text []byte, path ...any) (int64, bool) {
	dec := json.NewDecoder(bytes.NewReader(text))
	for _, step := range path {
		tok, err := dec.Token()
		if err != nil {
			return 0, false
		}
		switch step := step.(type) {
		case string:
			if tok != json.Delim('{') {
				return 0, false
			}
			for {
				if !dec.More() {
					return 0, false
				}
				key, err := dec.Token()
				if err != nil {
					return 0, false
				}
				if key == step {
					break
				}
				var skip json.RawMessage
				if dec.Decode(&skip) != nil {
					return 0, false
				}
			}
		case int:
			if tok != json.Delim('[') {
				return 0, false
			}
			for range step {
				var skip json.RawMessage
				if !dec.More() || dec.Decode(&skip) != nil {
					return 0, false
				}
			}
			if !dec.More() {
				return 0, false
			}
		default:
			return 0, false
		}
	}
	off := dec.InputOffset()
	for off < int64(len(text)) {
		switch text[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
			continue
		}
		break
	}
	return off, true
}
