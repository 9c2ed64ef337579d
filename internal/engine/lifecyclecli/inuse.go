package lifecyclecli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle/preview"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
	"github.com/secure-ecr/ecr-cdk-go/internal/library/imageref"
)

// Images in use, offline: `--in-use FILE` lists images deployed elsewhere,
// and `--template` marks the images the same template deploys (an ECS task
// definition or a Lambda function that renders the repository's URI with a
// tag). An image in use is never counted as expired or archived
// (preview.Options.InUse); the preview prints one line for each the policy
// would expire or archive, and exits 1.

// inUseRef is one line of an --in-use file: an image URI
// (123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:v1), or
// REPOSITORY:TAG, or REPOSITORY@sha256:DIGEST.
var inUseRef = regexp.MustCompile(`^(?:[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?/)?([a-z0-9][a-z0-9._/-]*)(?::([A-Za-z0-9_][A-Za-z0-9._-]{0,127})|@(sha256:[a-f0-9]{64}))$`)

// isLiveUsers reports whether an --in-use value names the live readers
// (ecs, lambda) rather than a file.
func isLiveUsers(v string) bool {
	for _, u := range strings.Split(v, ",") {
		if u != "ecs" && u != "lambda" {
			return false
		}
	}
	return v != ""
}

// readInUse reads an --in-use file: one image a line; blank lines and
// lines starting with # are skipped. A line that is not an image reference
// is refused with its line number.
func readInUse(path string, stdin io.Reader, stderr io.Writer) ([]live.ImageRef, int) {
	data, code := readAll(path, stdin, stderr)
	if data == nil && code != ExitOK {
		return nil, code
	}
	var refs []live.ImageRef
	scanner := bufio.NewScanner(strings.NewReader(string(data)))
	for n := 1; scanner.Scan(); n++ {
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := inUseRef.FindStringSubmatch(line)
		if m == nil {
			fmt.Fprintf(stderr, "%s:%d: %q: must be an image URI, REPOSITORY:TAG or REPOSITORY@sha256:DIGEST\n", source(path), n, line)
			return nil, ExitInvalid
		}
		refs = append(refs, live.ImageRef{Repository: m[1], Tag: m[2], Digest: m[3], User: fmt.Sprintf("%s:%d", source(path), n)})
	}
	return refs, ExitOK
}

// templateInUse returns the images of the template's repository logicalID
// that its other resources deploy, and the repository's name when the
// template gives one.
func templateInUse(data []byte, logicalID string) ([]live.ImageRef, string) {
	var template struct {
		Resources map[string]json.RawMessage `json:"Resources"`
	}
	if json.Unmarshal(data, &template) != nil {
		return nil, ""
	}
	var repo struct {
		Properties struct {
			RepositoryName any `json:"RepositoryName"`
		} `json:"Properties"`
	}
	_ = json.Unmarshal(template.Resources[logicalID], &repo)
	name, _ := repo.Properties.RepositoryName.(string)
	var refs []live.ImageRef
	for _, id := range slices.Sorted(func(yield func(string) bool) {
		for k := range template.Resources {
			if !yield(k) {
				return
			}
		}
	}) {
		if id == logicalID {
			continue
		}
		var v any
		if json.Unmarshal(template.Resources[id], &v) != nil {
			continue
		}
		imageref.Walk(v, func(r imageref.Ref) {
			if (r.LogicalID == logicalID || (name != "" && r.Name == name)) && !r.Token {
				refs = append(refs, live.ImageRef{Tag: r.Tag, Digest: r.Digest, User: "template resource " + id})
			}
		})
	}
	return refs, name
}

// inUseOf returns the predicate that tells an image in use by one of refs,
// for the repository named name ("" when unknown: then every reference
// counts, whatever its repository).
func inUseOf(refs []live.ImageRef, name string) func(*preview.Image) bool {
	return func(im *preview.Image) bool {
		return len(usersOf(refs, name, im)) > 0
	}
}

// usersOf returns who uses an image.
func usersOf(refs []live.ImageRef, name string, im *preview.Image) []string {
	var users []string
	for _, r := range refs {
		if r.Repository != "" && name != "" && r.Repository != name {
			continue
		}
		if (r.Digest != "" && r.Digest == im.Digest) || (r.Tag != "" && slices.Contains(im.Tags, r.Tag)) {
			ref := r.Tag
			if ref == "" {
				ref = shortDigest(r.Digest)
			}
			users = append(users, r.User+" as "+ref)
		}
	}
	return users
}

// inUseLines returns one line per image in use that the policy would
// expire or archive.
func inUseLines(res *preview.Result, refs []live.ImageRef, name string) []string {
	shown := name
	if shown == "" {
		shown = "image"
	}
	var lines []string
	for _, o := range res.InUse {
		lines = append(lines, inUseLine(shown, o, usersOf(refs, name, o.Image), " (kept in this preview)"))
	}
	return lines
}

// inUseLine says, in one line, that the policy would expire or archive an
// image that users use.
func inUseLine(repository string, o preview.Outcome, users []string, suffix string) string {
	verb := "expire"
	if o.Action == lifecycle.ActionTransition {
		verb = "archive"
	}
	desc := ""
	if o.Rule.Description != "" {
		desc = " (" + o.Rule.Description + ")"
	}
	return fmt.Sprintf("%s@%s (%s): in use by %s; rule %d%s would %s it%s",
		repository, o.Image.Digest, tagList(o.Image.Tags), strings.Join(users, ", "), o.Rule.Priority, desc, verb, suffix)
}

// inventoryRepository returns the repositoryName of a describe-images
// inventory's first image, "" when it has none.
func inventoryRepository(data []byte) string {
	var inv struct {
		ImageDetails []struct {
			RepositoryName string `json:"repositoryName"`
		} `json:"imageDetails"`
	}
	if json.Unmarshal(data, &inv) != nil || len(inv.ImageDetails) == 0 {
		return ""
	}
	return inv.ImageDetails[0].RepositoryName
}
