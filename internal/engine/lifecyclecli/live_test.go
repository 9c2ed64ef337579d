package lifecyclecli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/livetest"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/motoserver"
)

// The live modes are tested against moto_server (moto 5.2.1), started once
// for the package on first use. moto's gaps, and how the tests handle them:
//   - imagePushedAt is the time of the put, so images seeded together are of
//     the same age: the tests age them with --now, days after the seeding;
//   - imageSizeInBytes is the config blob's size, not the image's: byte
//     counts are moto's, compared between the two paths, not checked as
//     ECR's;
//   - it lacks lastRecordedPullTime, so sinceImagePulled rules see no pull;
//   - put_lifecycle_policy accepts only sinceImagePushed and
//     imageCountMoreThan rules that expire, so the live policies seeded are
//     of those kinds (--policy gives others);
//   - a Lambda function's ResolvedImageUri carries a digest moto makes up,
//     not the image's: --in-use matches by tag as well as by digest.

var (
	motoOnce sync.Once
	moto     *motoserver.Server
	motoErr  error
)

func TestMain(m *testing.M) {
	// Short backoffs: the proxy tests throttle on purpose.
	os.Setenv(live.MaxBackoffEnv, "200ms") // retries are tested, not waited for
	code := m.Run()
	if moto != nil {
		moto.Stop()
	}
	os.Exit(code)
}

// server returns the package's moto server, emptied, with the environment
// pointing at it.
func server(t testing.TB) *livetest.Seeder {
	t.Helper()
	motoOnce.Do(func() { moto, motoErr = motoserver.Start() })
	if motoErr != nil {
		t.Fatal(motoErr)
	}
	return livetest.Fresh(t, moto)
}

// aws runs the AWS CLI (v1, installed with moto) against the server, as a
// user exporting a registry's data would, and returns its output.
func awsCLI(t *testing.T, url string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("aws", append([]string{"--endpoint-url", url, "--region", "us-east-1", "--output", "json"}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// daysLater is --now for images seeded just now: moto's imagePushedAt is
// the push time.
func daysLater(days int) string {
	return time.Now().UTC().Add(time.Duration(days) * 24 * time.Hour).Format(time.RFC3339)
}

const movingPolicy = `{"rules":[
 {"rulePriority":1,"description":"keep 400 releases","selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":400},"action":{"type":"expire"}},
 {"rulePriority":2,"description":"untagged after a day","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]}`

func TestLivePreviewEqualsOfflinePreviewOfTheSameData(t *testing.T) {
	s := server(t)
	s.Repo("shop/web", nil)
	start := time.Now()
	// 1,150 images: tagged v0..., untagged, and a manifest list whose two
	// untagged children the policy marks but ECR keeps.
	s.Images("shop/web", 1150, func(i int) string {
		if i%4 == 0 {
			return ""
		}
		return fmt.Sprintf("v%d", i)
	})
	a := s.Put("shop/web", "", livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, "amd64", 10))
	b := s.Put("shop/web", "", livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, "arm64", 10))
	list := s.Index("shop/web", "multi", a, b)
	s.LifecyclePolicy("shop/web", movingPolicy)
	livetest.Since(t, "seeding 1,153 images", start)
	now := daysLater(3)

	// What a user exports by hand, with the AWS CLI, from the same server:
	// describe-images in pages of 300 (the CLI joins them), the manifest
	// list, the policy.
	images := writeFile(t, "images.json", awsCLI(t, moto.URL, "ecr", "describe-images", "--repository-name", "shop/web", "--page-size", "300"))
	manifests := writeFile(t, "manifests.json", awsCLI(t, moto.URL, "ecr", "batch-get-image", "--repository-name", "shop/web",
		"--image-ids", "imageDigest="+list, "--accepted-media-types", livetest.OCIIndex, livetest.OCIManifest, livetest.DockerManifest))
	policy := writeFile(t, "policy.json", awsCLI(t, moto.URL, "ecr", "get-lifecycle-policy", "--repository-name", "shop/web"))

	for _, format := range []string{"table", "json"} {
		code, offline, offErr := run(t, "", "preview", "--policy", policy, "--images", images, "--manifests", manifests, "--now", now, "--format", format)
		if code != ExitOK {
			t.Fatalf("offline %s: exit %d: %s", format, code, offErr)
		}
		code, liveOut, liveErr := run(t, "", "preview", "--repository-name", "shop/web", "--now", now, "--format", format)
		if code != ExitOK {
			t.Fatalf("live %s: exit %d: %s", format, code, liveErr)
		}
		if liveOut != offline || liveErr != offErr {
			t.Errorf("%s: the live preview differs from the offline one of the same data:\n%s", format, firstDifference(offline, liveOut))
		}
		if format == "table" && !strings.Contains(liveOut, "1,153 images: ") {
			t.Errorf("table: not every image was read:\n%s", lastLines(liveOut, 4))
		}
		t.Logf("%s: %d bytes alike; summary: %s", format, len(liveOut), lastLines(liveOut, 1))
	}
	// The policy's kept images of the list: held, not expired.
	if _, out, _ := run(t, "", "preview", "--repository-name", "shop/web", "--now", now); !strings.Contains(out, "2 images a rule marks are kept: a manifest list that stays references them.") {
		t.Errorf("manifest list children not held:\n%s", lastLines(out, 4))
	}
}

func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\noffline: %q\nlive:    %q", i+1, a, b)
		}
	}
	return "(same lines)"
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func TestLivePreviewOfManyRepositories(t *testing.T) {
	s := server(t)
	s.Repo("team/api", nil)
	s.Repo("team/web", nil)
	s.Repo("team/docs", nil)
	s.Repo("other", nil)
	s.Images("team/api", 30, func(i int) string { return fmt.Sprintf("v%d", i) })
	s.Images("team/web", 12, func(i int) string { return "" })
	s.Images("team/docs", 5, func(i int) string { return "" })
	s.LifecyclePolicy("team/api", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}`)
	s.LifecyclePolicy("team/web", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]}`)
	// team/docs has no policy.
	code, out, errOut := run(t, "", "preview", "--repository-prefix", "team/", "--now", daysLater(2))
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden(t, "live-summary-table", out)
	for _, want := range []string{"team/api    live    30         20         0          ≤19.7 KiB", "team/docs   none    5          0          0          0 B", "team/web    live    12         12", "3 repositories, 47 images: 32 expired, 0 archived."} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "other") {
		t.Errorf("a repository outside the prefix was read:\n%s", out)
	}
	// --policy applies one policy to every repository; JSON totals.
	code, out, errOut = run(t, "", "preview", "--all-repositories", "--policy", "testdata/policy.json", "--now", daysLater(2), "--format", "json", "--prices", "standard=1")
	if code != ExitOK || !strings.Contains(out, `"repositories":4`) || !strings.Contains(out, `"standardPerGBMonth":1,`) || !strings.Contains(out, `"policy":"given"`) {
		t.Errorf("exit %d, stderr %q, out %s", code, errOut, out)
	}
}

func TestLiveInUse(t *testing.T) {
	s := server(t)
	s.Repo("svc", nil)
	for _, tag := range []string{"old-1", "old-2", "old-3", "new-1"} {
		s.Put("svc", tag, livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, tag, 100))
	}
	s.LifecyclePolicy("svc", `{"rules":[{"rulePriority":1,"description":"old builds","selection":{"tagStatus":"tagged","tagPrefixList":["old-"],"countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]}`)
	s.Service("prod", "web", livetest.URI("svc", "old-1"))
	s.Function("worker", livetest.URI("svc", "old-2"))
	s.Function("fresh", livetest.URI("svc", "new-1"))
	now := daysLater(3)

	code, out, errOut := run(t, "", "preview", "--repository-name", "svc", "--now", now, "--in-use", "ecs,lambda")
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if code != ExitInvalid || out != "" || len(lines) != 2 {
		t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(lines[0], "(old-1): in use by ecs:prod/web (web:1) as old-1; rule 1 (old builds) would expire it") ||
		!strings.Contains(lines[1], "(old-2): in use by lambda:worker as old-2; rule 1 (old builds) would expire it") {
		t.Errorf("stderr:\n%s", errOut)
	}
	// Without --in-use, the same preview expires all three old builds.
	if code, out, _ := run(t, "", "preview", "--repository-name", "svc", "--now", now); code != ExitOK || !strings.Contains(out, "4 images: 1 kept, 3 expired") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	// A policy that spares what runs: exit 0.
	spare := writeFile(t, "spare.json", []byte(`{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["old-3"],"countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]}`))
	if code, out, errOut := run(t, "", "preview", "--repository-name", "svc", "--policy", spare, "--now", now, "--in-use", "ecs,lambda"); code != ExitOK || !strings.Contains(out, "1 expired") {
		t.Errorf("exit %d, stderr %q:\n%s", code, errOut, out)
	}
	// diff against the live policy, and --in-use there too.
	code, out, errOut = run(t, "", "diff", "--policy", spare, "--repository-name", "svc", "--now", now)
	if code != ExitOK || !strings.Contains(out, "4 images in 1 repository: 2 treated differently; the new policy expires 0 that the current one doesn't and keeps or archives 2 that it expires") {
		t.Errorf("diff: exit %d, stderr %q:\n%s", code, errOut, out)
	}
	all := writeFile(t, "all.json", []byte(`{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]}`))
	if code, _, errOut := run(t, "", "diff", "--policy", all, "--repository-name", "svc", "--now", now, "--in-use", "lambda"); code != ExitInvalid || strings.Count(errOut, "\n") != 2 || !strings.Contains(errOut, "lambda:worker") || !strings.Contains(errOut, "lambda:fresh") {
		t.Errorf("diff --in-use: exit %d, stderr %q", code, errOut)
	}
}
