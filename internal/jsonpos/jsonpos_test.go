package jsonpos

import (
	"encoding/json"
	"io"
	"strings"
	"testing"
)

func TestReaderLocatesAcrossItsBuffers(t *testing.T) {
	// Enough lines to make the Reader swap its buffers several times.
	line := strings.Repeat("x", 99) + "\n"
	text := strings.Repeat(line, 3*windowSize/len(line)) + "  é{oops"
	r := NewReader(strings.NewReader(text))
	if _, err := io.Copy(io.Discard, r); err != nil {
		t.Fatal(err)
	}
	off := int64(strings.Index(text, "{oops"))
	wantLine := strings.Count(text, "\n") + 1
	if line, col, ok := r.Locate(off); !ok || line != wantLine || col != 4 {
		t.Errorf("Locate = %d:%d %v, want %d:4", line, col, ok, wantLine)
	}
	if _, _, ok := r.Locate(10); ok {
		t.Error("an offset that left the window was located")
	}
}

func TestPositionOfSyntaxAndTypeErrors(t *testing.T) {
	text := []byte("{\n  \"a\": [1, 2,],\n}")
	var v any
	err := json.Unmarshal(text, &v)
	if line, col, ok := Position(text, err, 0); !ok || line != 2 || col != 14 {
		t.Errorf("syntax error at %d:%d %v, want 2:14", line, col, ok)
	}
	text = []byte("{\"n\":\n   \"seven\"}")
	var n struct{ N int }
	err = json.Unmarshal(text, &n)
	if line, col, ok := Position(text, err, 0); !ok || line != 2 || col != 4 || Message(err) != "must be a number, not a string" {
		t.Errorf("type error at %d:%d %v (%s), want 2:4", line, col, ok, Message(err))
	}
}
