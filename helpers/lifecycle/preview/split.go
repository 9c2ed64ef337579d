package preview

import (
	"bytes"
	"errors"
	"io"
)

// splitter hands out the elements of a JSON array as raw bytes, so that
// each can be decoded on its own (see ReadImages). encoding/json's Decoder
// has no way to hand out an element's bytes without decoding them; finding
// an element's end only needs its brackets and strings, and its syntax is
// checked when it is decoded.
type splitter struct {
	r     io.Reader
	buf   []byte
	pos   int   // next byte of buf to read
	off   int64 // offset in the text of buf[0]
	eof   bool
	err   error // a read error other than EOF
	first bool  // no element handed out yet
}

// errMissingComma is encoding/json's message for elements not separated by
// a comma.
var errMissingComma = errors.New("expected comma after array element")

// splitterChunk is how much the splitter reads at a time.
const splitterChunk = 1 << 20

// newSplitter reads the elements of an array whose opening bracket has
// been read; off is the offset in the text of r's first byte.
func newSplitter(r io.Reader, off int64) *splitter {
	return &splitter{r: r, off: off, first: true, buf: make([]byte, 0, splitterChunk)}
}

// fill reads more input, keeping buf[keep:] (moved to the front); it
// returns false at the end of the input.
func (s *splitter) fill(keep int) bool {
	if s.eof {
		return false
	}
	if keep > 0 {
		n := copy(s.buf, s.buf[keep:])
		s.buf = s.buf[:n]
		s.off += int64(keep)
		s.pos -= keep
	}
	if cap(s.buf)-len(s.buf) < splitterChunk/2 {
		grown := make([]byte, len(s.buf), 2*cap(s.buf))
		copy(grown, s.buf)
		s.buf = grown
	}
	n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
	s.buf = s.buf[:len(s.buf)+n]
	if err == io.EOF {
		s.eof = true
	} else if err != nil {
		s.eof, s.err = true, err
	}
	return n > 0 || !s.eof
}

// skipSpace moves past white space; it returns false at the end of input.
func (s *splitter) skipSpace() bool {
	for {
		for s.pos < len(s.buf) {
			switch s.buf[s.pos] {
			case ' ', '\t', '\r', '\n':
				s.pos++
				continue
			}
			return true
		}
		if !s.fill(s.pos) {
			return false
		}
	}
}

// next returns the next element and its offset in the text, or done once
// it has read the array's closing bracket. err is a missing comma between
// elements, or the input ending (or failing) inside the array; base is
// then where.
func (s *splitter) next() (elem []byte, base int64, done bool, err error) {
	if !s.skipSpace() {
		return nil, s.off + int64(s.pos), false, s.endError()
	}
	if s.buf[s.pos] == ']' {
		s.pos++
		return nil, 0, true, nil
	}
	if !s.first {
		if s.buf[s.pos] != ',' {
			return nil, s.off + int64(s.pos), false, errMissingComma
		}
		s.pos++
		if !s.skipSpace() {
			return nil, s.off + int64(s.pos), false, s.endError()
		}
	}
	s.first = false
	startAbs := s.off + int64(s.pos)
	end, ok := s.valueEnd(startAbs)
	if !ok {
		return nil, s.off + int64(len(s.buf)), false, s.endError()
	}
	start := int(startAbs - s.off)
	s.pos = end
	return s.buf[start:end], startAbs, false, nil
}

// valueEnd returns the index in buf just past the value starting at offset
// startAbs, reading more input as needed (which may move the value to the
// front of buf); false when the input ends inside the value.
func (s *splitter) valueEnd(startAbs int64) (int, bool) {
	j := int(startAbs - s.off)
	depth, inString, escaped := 0, false, false
	literal := s.buf[j] != '{' && s.buf[j] != '[' && s.buf[j] != '"'
	for {
		for ; j < len(s.buf); j++ {
			c := s.buf[j]
			switch {
			case escaped:
				escaped = false
			case inString:
				switch c {
				case '\\':
					escaped = true
				case '"':
					inString = false
					if depth == 0 {
						return j + 1, true
					}
				}
			case literal:
				switch c {
				case ',', ']', '}', ' ', '\t', '\r', '\n':
					return j, true
				}
			default:
				switch c {
				case '"':
					inString = true
				case '{', '[':
					depth++
				case '}', ']':
					depth--
					if depth == 0 {
						return j + 1, true
					}
				}
			}
		}
		keep := int(startAbs - s.off)
		if !s.fill(keep) {
			if literal {
				return len(s.buf), true // a literal may end the input; decoding judges it
			}
			return 0, false
		}
		j -= keep
	}
}

// endError is the problem of input that ends, or can't be read, inside the
// array.
func (s *splitter) endError() error {
	if s.err != nil {
		return s.err
	}
	return io.ErrUnexpectedEOF
}

// rest returns the input after what the splitter handed out: the bytes read
// but not used (copied: the buffer is the splitter's), then the rest of the
// reader; offset is its place in the text.
func (s *splitter) rest() (r io.Reader, offset int64) {
	left := bytes.NewReader(append([]byte(nil), s.buf[s.pos:]...))
	return io.MultiReader(left, s.r), s.off + int64(s.pos)
}
