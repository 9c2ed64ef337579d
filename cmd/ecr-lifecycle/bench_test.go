package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/inventorygen"
)

// benchImages is the size of the stress case: three times what one
// repository may hold (ECR's quota is 100,000 images).
const benchImages = 300_000

// The manifest-list case: a repository at ECR's quota of which every tenth
// image is a manifest list referencing the nine that follow it.
const (
	multiArchImages = 100_000
	multiArchLists  = 10_000
)

// describeImages mirrors every field of the generated describe-images file:
// the baseline decodes the whole file into it.
type describeImages struct {
	ImageDetails []struct {
		RegistryID             string   `json:"registryId"`
		RepositoryName         string   `json:"repositoryName"`
		ImageDigest            string   `json:"imageDigest"`
		ImageTags              []string `json:"imageTags"`
		ImageSizeInBytes       int64    `json:"imageSizeInBytes"`
		ImagePushedAt          string   `json:"imagePushedAt"`
		ImageManifestMediaType string   `json:"imageManifestMediaType"`
		ArtifactMediaType      string   `json:"artifactMediaType"`
		LastRecordedPullTime   string   `json:"lastRecordedPullTime"`
		ImageStatus            string   `json:"imageStatus"`
		LastArchivedAt         string   `json:"lastArchivedAt"`
		LastActivatedAt        string   `json:"lastActivatedAt"`
		SubjectManifestDigest  string   `json:"subjectManifestDigest"`
	} `json:"imageDetails"`
}

// helperEnv switches the test binary into a helper process: "generate"
// writes the inventory file, "decode" decodes it (the baseline). Both run in
// their own process so that the benchmark process stays small: a child
// started by Go inherits its parent's peak memory in ru_maxrss, which would
// spoil the command's figure.
const helperEnv = "ECR_LIFECYCLE_BENCH_HELPER"

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "generate":
		if _, err := inventorygen.DescribeImagesFile(benchImages); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	case "decode":
		if err := decodeBaseline(os.Args[len(os.Args)-1]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	case "generate-multiarch":
		if _, _, err := inventorygen.MultiArchFiles(multiArchImages, multiArchLists); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	case "decode-manifests":
		if err := decodeManifests(os.Args[len(os.Args)-1]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// decodeBaseline only decodes the describe-images file with encoding/json.
func decodeBaseline(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var out describeImages
	if err := json.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&out); err != nil {
		return err
	}
	if len(out.ImageDetails) == 0 {
		return fmt.Errorf("decoded no images")
	}
	return nil
}

// batchGetImage mirrors every field of the generated batch-get-image file.
type batchGetImage struct {
	Images []struct {
		RegistryID     string `json:"registryId"`
		RepositoryName string `json:"repositoryName"`
		ImageID        struct {
			ImageDigest string `json:"imageDigest"`
			ImageTag    string `json:"imageTag"`
		} `json:"imageId"`
		ImageManifest          string `json:"imageManifest"`
		ImageManifestMediaType string `json:"imageManifestMediaType"`
	} `json:"images"`
	Failures []json.RawMessage `json:"failures"`
}

// decodeManifests only decodes the batch-get-image file with encoding/json
// (not the manifests inside it).
func decodeManifests(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var out batchGetImage
	if err := json.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&out); err != nil {
		return err
	}
	if len(out.Images) != multiArchLists {
		return fmt.Errorf("decoded %d lists", len(out.Images))
	}
	return nil
}

// BenchmarkDecodeBaseline is the yardstick: a process that only decodes the
// 300k-image describe-images file with encoding/json. The command must take
// at most as long.
func BenchmarkDecodeBaseline(b *testing.B) {
	path := inventoryFile(b)
	var peak int64
	for b.Loop() {
		cmd := exec.Command(os.Args[0], "-test.run=^$", path)
		cmd.Env = append(os.Environ(), helperEnv+"=decode")
		peak = max(peak, runMeasured(b, cmd))
	}
	b.ReportMetric(float64(peak)/1024, "peak-MiB")
}

// BenchmarkCommand runs the built ecr-lifecycle preview on the same file
// with the ten-rule benchmark policy, in both output formats, and reports
// the process's peak resident memory (target: under 330 MiB).
func BenchmarkCommand(b *testing.B) {
	path := inventoryFile(b)
	bin, policy := build(b)
	for _, format := range []string{"table", "json"} {
		b.Run("format="+format, func(b *testing.B) {
			var peak int64
			for b.Loop() {
				cmd := exec.Command(bin, "preview", "--policy", policy, "--images", path,
					"--now", inventorygen.Now.Format("2006-01-02T15:04:05Z"), "--format", format)
				peak = max(peak, runMeasured(b, cmd))
			}
			b.ReportMetric(float64(peak)/1024, "peak-MiB")
		})
	}
}

// BenchmarkManifests measures --manifests on 10,000 manifest lists over
// 100,000 images. Each iteration runs three processes: a bare
// encoding/json decode of the batch-get-image file, the preview without
// manifests and the preview with them. The ratio metric is the last over
// the sum of the first two (target: at most 1.5).
func BenchmarkManifests(b *testing.B) {
	gen := exec.Command(os.Args[0], "-test.run=^$")
	gen.Env = append(os.Environ(), helperEnv+"=generate-multiarch")
	runMeasured(b, gen)
	images, manifests, err := inventorygen.MultiArchFiles(multiArchImages, multiArchLists)
	if err != nil {
		b.Fatal(err)
	}
	bin, policy := build(b)
	now := inventorygen.Now.Format(time.RFC3339)
	var decode, without, with time.Duration
	var peak int64
	for b.Loop() {
		start := time.Now()
		cmd := exec.Command(os.Args[0], "-test.run=^$", manifests)
		cmd.Env = append(os.Environ(), helperEnv+"=decode-manifests")
		runMeasured(b, cmd)
		decode += time.Since(start)

		start = time.Now()
		runMeasured(b, exec.Command(bin, "preview", "--policy", policy, "--images", images, "--now", now))
		without += time.Since(start)

		start = time.Now()
		peak = max(peak, runMeasured(b, exec.Command(bin, "preview", "--policy", policy, "--images", images, "--manifests", manifests, "--now", now)))
		with += time.Since(start)
	}
	n := float64(b.N)
	b.ReportMetric(decode.Seconds()/n, "decode-manifests-s")
	b.ReportMetric(without.Seconds()/n, "preview-s")
	b.ReportMetric(with.Seconds()/n, "preview-manifests-s")
	b.ReportMetric(with.Seconds()/(without.Seconds()+decode.Seconds()), "ratio")
	b.ReportMetric(float64(peak)/1024, "peak-MiB")
}

// build builds the command and writes the benchmark policy, returning their
// paths.
func build(b *testing.B) (bin, policy string) {
	b.Helper()
	dir := b.TempDir()
	bin = filepath.Join(dir, "ecr-lifecycle")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	policy = filepath.Join(dir, "policy.json")
	if err := os.WriteFile(policy, []byte(inventorygen.Policy().JSON()), 0o644); err != nil {
		b.Fatal(err)
	}
	return bin, policy
}

// runMeasured runs a command with its output discarded and returns its peak
// resident memory in KiB.
func runMeasured(b *testing.B, cmd *exec.Cmd) int64 {
	b.Helper()
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("%v: %s", err, stderr.String())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss // KiB on Linux
	}
	return 0
}

// inventoryFile returns the generated 300k-image file, written once per
// machine by a helper process.
func inventoryFile(b *testing.B) string {
	b.Helper()
	gen := exec.Command(os.Args[0], "-test.run=^$")
	gen.Env = append(os.Environ(), helperEnv+"=generate")
	runMeasured(b, gen)
	path, err := inventorygen.DescribeImagesFile(benchImages) // now only finds the file
	if err != nil {
		b.Fatal(err)
	}
	if st, err := os.Stat(path); err == nil {
		b.Logf("%s: %d images, %.0f MiB", path, benchImages, float64(st.Size())/(1<<20))
	} else {
		b.Fatal(fmt.Errorf("inventory: %w", err))
	}
	return path
}
