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

func TestLocatePath(t *testing.T) {
	text := []byte("{\"rules\": [\n  {\"a\": 1},\n  {\"selection\": {\"n\": \"5\"}}\n], \"x\": true}")
	for _, tt := range []struct {
		path      []any
		line, col int
		found     bool
	}{
		{[]any{"rules", 1, "selection", "n"}, 3, 23, true},
		{[]any{"rules", 0}, 2, 3, true},
		{[]any{"x"}, 4, 9, true},
		{[]any{"rules", 2}, 0, 0, false},
		{[]any{"rules", "a"}, 0, 0, false},
		{[]any{"missing"}, 0, 0, false},
	} {
		off, ok := LocatePath(text, tt.path...)
		if ok != tt.found {
			t.Errorf("%v: found %v", tt.path, ok)
			continue
		}
		if !ok {
			continue
		}
		if line, col := Locate(text, off); line != tt.line || col != tt.col {
			t.Errorf("%v: at %d:%d, want %d:%d", tt.path, line, col, tt.line, tt.col)
		}
	}
}
