// Package inventorygen generates large, realistic image inventories for the
// preview benchmarks: a repository's mix of release, pull-request, feature,
// nightly and untagged images, some archived, some restored, some signed.
package inventorygen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle"
	"github.com/secure-ecr/ecr-cdk-go/helpers/lifecycle/preview"
)

// Now is the evaluation time the inventories are generated around.
var Now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// Images returns n images, the same for the same n.
func Images(n int) []preview.Image {
	r := rand.New(rand.NewPCG(uint64(n), 42))
	images := make([]preview.Image, n)
	day := int64(24 * time.Hour)
	for i := range images {
		im := &images[i]
		im.Digest = fmt.Sprintf("sha256:%016x%016x%016x%016x", r.Uint64(), r.Uint64(), r.Uint64(), uint64(i))
		im.PushedAt = Now.UnixNano() - r.Int64N(720*day)
		im.SizeBytes = 40<<20 + r.Int64N(200<<20)
		switch k := r.IntN(100); {
		case k < 10:
			im.Tags = []string{fmt.Sprintf("release-%d.%d", i/1000, i%1000)}
		case k < 35:
			im.Tags = []string{"pr-" + strconv.Itoa(i)}
		case k < 50:
			im.Tags = []string{"feature-" + strconv.Itoa(i%977), "sha-" + strconv.Itoa(i)}
		case k < 60:
			im.Tags = []string{"nightly-" + strconv.Itoa(i%97)}
		case k < 70:
			im.Tags = []string{fmt.Sprintf("v%d.%d-rc%d", i%7, i%13, i%5)}
		case k < 80:
			im.Tags = []string{fmt.Sprintf("v%d.%d.%d", i%7, i%13, i%11)}
		}
		if r.IntN(3) == 0 {
			im.LastPulledAt = im.PushedAt + r.Int64N(Now.UnixNano()-im.PushedAt+1)
		}
		switch r.IntN(20) {
		case 0:
			im.Status, im.ArchivedAt = preview.ImageStatusArchived, im.PushedAt+r.Int64N(Now.UnixNano()-im.PushedAt+1)
		case 1:
			im.ActivatedAt = Now.UnixNano() - r.Int64N(60*day)
			im.Status = preview.ImageStatusActive
		default:
			im.Status = preview.ImageStatusActive
		}
		if i > 0 && r.IntN(25) == 0 {
			im.SubjectDigest, im.Tags = images[r.IntN(i)].Digest, nil
		}
	}
	return images
}

// Policy is the ten-rule policy of the benchmarks.
func Policy() *lifecycle.Policy {
	rules := append(lifecycle.Protect("release-"),
		lifecycle.DeleteTaggedAfterDays("pr-", 7),
		lifecycle.DeleteTaggedAfterDays("feature-", 14),
		lifecycle.DeleteMatchingAfterDays("v*-rc*", 30),
		lifecycle.DeleteUntaggedAfterDays(14),
	)
	rules = append(rules, lifecycle.KeepLastNTagged(20, "nightly-", "v")...)
	rules = append(rules, lifecycle.ArchiveNotPulledForDays(90), lifecycle.DeleteArchivedAfterDays(365))
	p, err := lifecycle.NewPolicy(rules...)
	if err != nil {
		panic(err)
	}
	return p
}

// WriteDescribeImages writes images as `aws ecr describe-images` prints them,
// with the fields the CLI includes and lifecycle rules don't read.
func WriteDescribeImages(w io.Writer, images []preview.Image) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	ts := func(nanos int64) string {
		return time.Unix(0, nanos).In(time.FixedZone("", 9*3600)).Format("2006-01-02T15:04:05.000000-07:00")
	}
	bw.WriteString("{\n    \"imageDetails\": [")
	for i, im := range images {
		if i > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, "\n        {\n            \"registryId\": \"123456789012\",\n            \"repositoryName\": \"shop/web\",\n            \"imageDigest\": %q,\n", im.Digest)
		if len(im.Tags) > 0 {
			bw.WriteString("            \"imageTags\": [")
			for j, t := range im.Tags {
				if j > 0 {
					bw.WriteString(", ")
				}
				fmt.Fprintf(bw, "%q", t)
			}
			bw.WriteString("],\n")
		}
		fmt.Fprintf(bw, "            \"imageSizeInBytes\": %d,\n            \"imagePushedAt\": %q,\n", im.SizeBytes, ts(im.PushedAt))
		mediaType := im.MediaType
		if mediaType == "" {
			mediaType = "application/vnd.oci.image.manifest.v1+json"
		}
		fmt.Fprintf(bw, "            \"imageManifestMediaType\": %q,\n", mediaType)
		if im.SubjectDigest != "" {
			fmt.Fprintf(bw, "            \"artifactMediaType\": \"application/vnd.dev.cosign.artifact.sig.v1+json\",\n            \"subjectManifestDigest\": %q,\n", im.SubjectDigest)
		} else {
			bw.WriteString("            \"artifactMediaType\": \"application/vnd.oci.image.config.v1+json\",\n")
		}
		if im.LastPulledAt != 0 {
			fmt.Fprintf(bw, "            \"lastRecordedPullTime\": %q,\n", ts(im.LastPulledAt))
		}
		if im.ArchivedAt != 0 {
			fmt.Fprintf(bw, "            \"lastArchivedAt\": %q,\n", ts(im.ArchivedAt))
		}
		if im.ActivatedAt != 0 {
			fmt.Fprintf(bw, "            \"lastActivatedAt\": %q,\n", ts(im.ActivatedAt))
		}
		fmt.Fprintf(bw, "            \"imageStatus\": %q\n        }", string(im.Status))
	}
	bw.WriteString("\n    ]\n}\n")
	return bw.Flush()
}

// DescribeImagesFile returns the path of a describe-images file with n
// images in the system's temporary directory, writing it on first use.
func DescribeImagesFile(n int) (string, error) {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("ecr-lifecycle-bench-v1-%d.json", n))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	return path, writeFile(path, func(w io.Writer) error { return WriteDescribeImages(w, Images(n)) })
}

// MultiArch returns n images, the same for the same n and lists, of which
// lists are manifest lists (OCI image indexes), each tagged and referencing
// the untagged images that follow it, one per platform: n/lists - 1 each.
// It also returns the lists' children by list digest, in inventory order.
func MultiArch(n, lists int) ([]preview.Image, []List) {
	images := Images(n)
	per := n / lists
	out := make([]List, 0, lists)
	for l := 0; l < lists; l++ {
		first := l * per
		list := &images[first]
		list.MediaType = preview.MediaTypeOCIIndex
		list.SubjectDigest = ""
		if len(list.Tags) == 0 {
			list.Tags = []string{fmt.Sprintf("v%d.%d.%d", l%7, l%13, l)}
		}
		children := make([]string, 0, per-1)
		for c := first + 1; c < first+per && c < n; c++ {
			child := &images[c]
			child.Tags, child.SubjectDigest = nil, ""
			child.PushedAt, child.Status, child.ArchivedAt, child.ActivatedAt = list.PushedAt, list.Status, list.ArchivedAt, list.ActivatedAt
			children = append(children, child.Digest)
		}
		out = append(out, List{Digest: list.Digest, Tag: list.Tags[0], Children: children})
	}
	return images, out
}

// List is a manifest list of MultiArch.
type List struct {
	Digest, Tag string
	Children    []string
}

// platforms name the children of a list in its manifest.
var platforms = []string{"amd64", "arm64", "arm", "ppc64le", "s390x", "386", "riscv64", "mips64le", "loong64"}

// WriteBatchGetImage writes the lists as `aws ecr batch-get-image` prints
// them: each manifest list's manifest as a JSON string.
func WriteBatchGetImage(w io.Writer, lists []List) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("{\n    \"images\": [")
	for i, l := range lists {
		if i > 0 {
			bw.WriteString(",")
		}
		manifest := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[`
		for j, c := range l.Children {
			if j > 0 {
				manifest += ","
			}
			manifest += fmt.Sprintf(`{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1583,"platform":{"architecture":"%s","os":"linux"}}`, c, platforms[j%len(platforms)])
		}
		manifest += "]}"
		quoted, _ := json.Marshal(manifest)
		fmt.Fprintf(bw, "\n        {\n            \"registryId\": \"123456789012\",\n            \"repositoryName\": \"shop/web\",\n            \"imageId\": {\n                \"imageDigest\": %q,\n                \"imageTag\": %q\n            },\n            \"imageManifest\": %s,\n            \"imageManifestMediaType\": \"application/vnd.oci.image.index.v1+json\"\n        }", l.Digest, l.Tag, quoted)
	}
	bw.WriteString("\n    ],\n    \"failures\": []\n}\n")
	return bw.Flush()
}

// MultiArchFiles returns the paths of a describe-images file of MultiArch(n,
// lists) and of the batch-get-image file of its lists, in the system's
// temporary directory, writing them on first use.
func MultiArchFiles(n, lists int) (images, manifests string, err error) {
	images = filepath.Join(os.TempDir(), fmt.Sprintf("ecr-lifecycle-bench-v2-%d-%d-images.json", n, lists))
	manifests = filepath.Join(os.TempDir(), fmt.Sprintf("ecr-lifecycle-bench-v2-%d-%d-manifests.json", n, lists))
	if _, err := os.Stat(manifests); err == nil {
		return images, manifests, nil
	}
	inv, ls := MultiArch(n, lists)
	if err := writeFile(images, func(w io.Writer) error { return WriteDescribeImages(w, inv) }); err != nil {
		return "", "", err
	}
	return images, manifests, writeFile(manifests, func(w io.Writer) error { return WriteBatchGetImage(w, ls) })
}

// writeFile writes a file through a temporary one, so that a file found is
// whole.
func writeFile(path string, write func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
