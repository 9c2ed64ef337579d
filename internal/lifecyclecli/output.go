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
	fmt.Fprintf(w, "\n%s images: %s kept, %s expired, %s archived", count(res.Images), count(res.Kept), count(res.Expired), count(res.Archived))
	switch known := res.Expired - res.SizeUnknown; {
	case res.Expired == 0 || known == 0:
	case res.BytesExact:
		fmt.Fprintf(w, "; %s freed (each layer counted once)", byteSize(res.BytesFreed))
	case res.SizeUnknown == 0:
		fmt.Fprintf(w, "; at most %s freed (sum of image sizes; layers are shared)", byteSize(res.BytesFreed))
	default:
		fmt.Fprintf(w, "; at most %s freed by the images with a size (sum of image sizes; layers are shared; %s expired images have no size)", byteSize(res.BytesFreed), count(res.SizeUnknown))
	}
	w.WriteString(".\n")
	for _, note := range res.Notes() {
		w.WriteString("Note: " + note + "\n")
	}
}

// writeRows prints a table of outcomes.
func writeRows(w *bufio.Writer, outcomes []preview.Outcome, now time.Time) {
	tags := make([]string, len(outcomes))
	tagsWidth := len("TAGS")
	for i, o := range outcomes {
		tags[i] = tagList(o.Image.Tags)
		tagsWidth = max(tagsWidth, len(tags[i]))
	}
	row := func(digest, tags, pushed, pulled, action, rule string) {
		fmt.Fprintf(w, "%-*s  %-*s  %-6s  %-6s  %-7s  %s\n", digestWidth, digest, tagsWidth, tags, pushed, pulled, action, rule)
	}
	row("DIGEST", "TAGS", "PUSHED", "PULLED", "ACTION", "RULE")
	for i, o := range outcomes {
		pulled := "never"
		if o.Image.LastPulledAt != 0 {
			pulled = age(o.Image.LastPulledAt, now)
		}
		action := "expire"
		if o.Action == lifecycle.ActionTransition {
			action = "archive"
		}
		row(shortDigest(o.Image.Digest), tags[i], age(o.Image.PushedAt, now), pulled, action, ruleName(o))
	}
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

// ruleName is the rule's priority and description, and the subject a
// referrer follows.
func ruleName(o preview.Outcome) string {
	s := strconv.Itoa(o.Rule.Priority)
	if o.Rule.Description != "" {
		s += " " + o.Rule.Description
	}
	if o.Subject != "" {
		s += " (follows its subject " + shortDigest(o.Subject) + ")"
	}
	if o.ManifestList != "" {
		s += " (after its manifest list " + shortDigest(o.ManifestList) + ")"
	}
	return s
}

// age prints how long ago a time was, in whole days.
func age(at int64, now time.Time) string {
	days := (now.UnixNano() - at) / int64(24*time.Hour)
	return strconv.FormatInt(max(days, 0), 10) + "d"
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
