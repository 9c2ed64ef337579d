// Package oneline shortens raw input for one-line error messages, the way
// every reader of the library (policies, inventories, manifests, templates)
// quotes what it refuses.
package oneline

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Cut makes raw input fit on one line of a message: whitespace runs become
// one space, the text is cut to at most limit bytes, and text that still
// holds control characters (or invalid UTF-8) is quoted.
func Cut(s string, limit int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > limit {
		s = s[:limit-3] + "..."
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == utf8.RuneError }) {
		s = strconv.Quote(s)
	}
	return s
}
