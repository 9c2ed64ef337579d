// Package inventorygen generates large, realistic image inventories for the
// preview benchmarks: a repository's mix of release, pull-request, feature,
// nightly and untagged images, some archived, some restored, some signed.
package inventorygen

import (
	"bufio"
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
		bw.WriteString("            \"imageManifestMediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n")
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
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return "", err
	}
	if err := WriteDescribeImages(f, Images(n)); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}
