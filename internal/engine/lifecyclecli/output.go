package lifecyclecli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle/preview"
)

// writeJSON prints {"actions": [...], "deferred": [...], "summary": {...}},
// one action per line, unaffected images left out.
func writeJSON(w *bufio.Writer, res *preview.Result) {
	w.WriteString(`{"actions":[`)
	writeActions(w, res.Outcomes)
	w.WriteString(`],"deferred":[`)
	writeActions(w, res.Deferred)
	w.WriteString("],\n\"summary\":")
	summary := struct {
		Images      int   `json:"images"`
		Kept        int   `json:"kept"`
		Expired     int   `json:"expired"`
		Archived    int   `json:"archived"`
		Held        int   `json:"held"`
		Deferred    int   `json:"deferred"`
		BytesFreed  int64 `json:"bytesFreed"`
		BytesExact  bool  `json:"bytesExact"`
		SizeUnknown int   `json:"expiredWithoutSize"`
	}{res.Images, res.Kept, res.Expired, res.Archived, res.Held, len(res.Deferred), res.BytesFreed, res.BytesExact, res.SizeUnknown}
	b, _ := json.Marshal(summary) // ints and bools: can't fail
	w.Write(b)
	w.WriteString("}\n")
}

// writeActions prints outcomes as JSON objects, one per line.
func writeActions(w *bufio.Writer, outcomes []preview.Outcome) {
	var buf []byte
	for i, o := range outcomes {
		if i > 0 {
			w.WriteByte(',')
		}
		buf = append(buf[:0], "\n{\"imageDigest\":"...)
		buf = appendString(buf, o.Image.Digest)
		buf = append(buf, `,"imageTags":[`...)
		for j, tag := range o.Image.Tags {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(buf, tag)
		}
		buf = append(buf, `],"action":`...)
		buf = appendString(buf, string(o.Action))
		if o.Action == lifecycle.ActionTransition {
			buf = append(buf, `,"targetStorageClass":"archive"`...)
		}
		buf = append(buf, `,"rulePriority":`...)
		buf = strconv.AppendInt(buf, int64(o.Rule.Priority), 10)
		buf = append(buf, `,"ruleDescription":`...)
		buf = appendString(buf, o.Rule.Description)
		if o.Subject != "" {
			buf = append(buf, `,"subjectDigest":`...)
			buf = appendString(buf, o.Subject)
		}
		if o.ManifestList != "" {
			buf = append(buf, `,"manifestList":`...)
			buf = appendString(buf, o.ManifestList)
		}
		buf = append(buf, '}')
		w.Write(buf)
	}
	if len(outcomes) > 0 {
		w.WriteByte('\n')
	}
}

// appendString appends s as a JSON string. Digests and tags are plain ASCII,
// so the common case needs no escaping; anything else goes through
// encoding/json.
func appendString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s)
			return append(buf, b...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

// Widths of the table's columns.
const (
	digestWidth  = len("sha256:") + 12
	maxTagsWidth = 40
)

// writeTable prints one row per affected image, then the images deferred
// by manifest lists, a summary and the notes.
func writeTable(w *bufio.Writer, res *preview.Result, now time.Time) {
	if len(res.Outcomes) == 0 {
		w.WriteString("No image would be expired or archived.\n")
	} else {
		writeRows(w, res.Outcomes, now)
	}
	if len(res.Deferred) > 0 {
		w.WriteString("\nKept in this run, acted on by a later run once their manifest list is gone:\n")
		writeRows(w, res.Deferred, now)
	}
	fmt.Fprintf(w, "\n%s: %s kept, %s expired, %s archived", counted(res.Images, "image"), count(res.Kept), count(res.Expired), count(res.Archived))
	switch known := res.Expired - res.SizeUnknown; {
	case res.Expired == 0 || known == 0:
	case res.BytesExact:
		fmt.Fprintf(w, "; %s freed (each layer counted once)", byteSize(res.BytesFreed))
	case res.SizeUnknown == 0:
		fmt.Fprintf(w, "; at most %s freed (sum of image sizes; layers are shared)", byteSize(res.BytesFreed))
	default:
		fmt.Fprintf(w, "; at most %s freed by the images with a size (sum of image sizes; layers are shared; %s no size)", byteSize(res.BytesFreed), hasNoSize(res.SizeUnknown))
	}
	w.WriteString(".\n")
	for _, note := range res.Notes() {
		w.WriteString("Note: " + note + "\n")
	}
}

// hasNoSize reads "1 expired image has" or "3 expired images have".
func hasNoSize(n int) string {
	if n == 1 {
		return "1 expired image has"
	}
	return count(n) + " expired images have"
}

// writeRows prints a table of outcomes. A preview of a large repository
// prints hundreds of thousands of rows, so each is built in one buffer
// rather than through fmt.
func writeRows(w *bufio.Writer, outcomes []preview.Outcome, now time.Time) {
	tags := make([]string, len(outcomes))
	tagsWidth := len("TAGS")
	for i, o := range outcomes {
		tags[i] = tagList(o.Image.Tags)
		tagsWidth = max(tagsWidth, len(tags[i]))
	}
	var buf []byte
	row := func(digest, tags, pushed, pulled, action string, rule func([]byte) []byte) {
		buf = pad(buf[:0], digest, digestWidth)
		buf = pad(append(buf, "  "...), tags, tagsWidth)
		buf = pad(append(buf, "  "...), pushed, 6)
		buf = pad(append(buf, "  "...), pulled, 6)
		buf = pad(append(buf, "  "...), action, 7)
		buf = rule(append(buf, "  "...))
		w.Write(append(buf, '\n'))
	}
	row("DIGEST", "TAGS", "PUSHED", "PULLED", "ACTION", func(b []byte) []byte { return append(b, "RULE"...) })
	for i, o := range outcomes {
		pulled := "never"
		if o.Image.LastPulledAt != 0 {
			pulled = age(o.Image.LastPulledAt, now)
		}
		action := "expire"
		if o.Action == lifecycle.ActionTransition {
			action = "archive"
		}
		row(shortDigest(o.Image.Digest), tags[i], age(o.Image.PushedAt, now), pulled, action, func(b []byte) []byte { return appendRule(b, o) })
	}
}

// pad appends s, then spaces up to width bytes (the table is ASCII but for
// tags, which are too).
func pad(buf []byte, s string, width int) []byte {
	buf = append(buf, s...)
	for n := len(s); n < width; n++ {
		buf = append(buf, ' ')
	}
	return buf
}

// shortDigest keeps the algorithm and 12 hex digits, as docker does.
func shortDigest(d string) string {
	if len(d) > digestWidth {
		return d[:digestWidth]
	}
	return d
}

// tagList joins tags, shortened to the column's maximum width.
func tagList(tags []string) string {
	if len(tags) == 0 {
		return "<untagged>"
	}
	s := strings.Join(tags, ",")
	if len(s) > maxTagsWidth {
		s = s[:maxTagsWidth-3] + "..."
	}
	return s
}

// appendRule appends the rule's priority and description, and the subject
// a referrer follows or the manifest list a deferred image waits for.
func appendRule(buf []byte, o preview.Outcome) []byte {
	buf = strconv.AppendInt(buf, int64(o.Rule.Priority), 10)
	if o.Rule.Description != "" {
		buf = append(append(buf, ' '), o.Rule.Description...)
	}
	if o.Subject != "" {
		buf = append(append(append(buf, " (follows its subject "...), shortDigest(o.Subject)...), ')')
	}
	if o.ManifestList != "" {
		buf = append(append(append(buf, " (after its manifest list "...), shortDigest(o.ManifestList)...), ')')
	}
	return buf
}

// age prints how long ago a time was, always rounded down, so that it
// never reads as old as a rule's days when it is younger: whole days, with
// the hours under 10 days ("6d23h", "7d", "23h"), where the hours matter
// against a rule's countNumber; "0h" for less than an hour and for times
// after now.
func age(at int64, now time.Time) string {
	d := max(now.UnixNano()-at, 0)
	days, hours := d/int64(24*time.Hour), d%int64(24*time.Hour)/int64(time.Hour)
	switch {
	case days == 0:
		return strconv.FormatInt(hours, 10) + "h"
	case days >= 10 || hours == 0:
		return strconv.FormatInt(days, 10) + "d"
	}
	return strconv.FormatInt(days, 10) + "d" + strconv.FormatInt(hours, 10) + "h"
}

// counted prints a count and its noun, singular for 1: "1 image",
// "1,024 images". The plural is the noun with an s, or with y made ies.
func counted(n int, noun string) string {
	if n != 1 {
		if strings.HasSuffix(noun, "y") {
			noun = noun[:len(noun)-1] + "ies"
		} else {
			noun += "s"
		}
	}
	return count(n) + " " + noun
}

// count prints an integer with thousands separators.
func count(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// byteSize prints a size in binary units.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
