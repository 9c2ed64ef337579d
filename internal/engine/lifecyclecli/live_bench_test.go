package lifecyclecli

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/livetest"
)

// benchSize is the registry the benchmark previews: LIVE_BENCH_REPOS
// repositories of LIVE_BENCH_IMAGES images. The 200 × 1,000 took
// moto 5.2.1 12 min 43 s to seed on two shared cores, so the default is
// 40 × 250; set both for the full size (docs/live.md has the figures).
func benchSize() (repos, images int) {
	repos, images = 40, 250
	if n, err := strconv.Atoi(os.Getenv("LIVE_BENCH_REPOS")); err == nil && n > 0 {
		repos = n
	}
	if n, err := strconv.Atoi(os.Getenv("LIVE_BENCH_IMAGES")); err == nil && n > 0 {
		images = n
	}
	return repos, images
}

var benchSeed sync.Once

// BenchmarkLivePreviewRegistry previews every repository of a seeded
// registry through a counting proxy, at concurrency 1 and the default, and
// reports wall time per preview, requests per second and images per second.
func BenchmarkLivePreviewRegistry(b *testing.B) {
	repos, images := benchSize()
	var s *livetest.Seeder
	benchSeed.Do(func() {
		s = server(b)
		start := time.Now()
		for i := 0; i < repos; i++ {
			name := fmt.Sprintf("bench/r%03d", i)
			s.Repo(name, nil)
			s.Images(name, images, func(j int) string {
				if j%3 == 0 {
					return ""
				}
				return fmt.Sprintf("v%d", j)
			})
			s.LifecyclePolicy(name, `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}},{"rulePriority":2,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":100},"action":{"type":"expire"}}]}`)
		}
		b.Logf("seeded %d repositories of %d images in %s", repos, images, time.Since(start).Round(time.Second))
	})
	if s == nil {
		b.Fatal("the registry is seeded once per run: run one -count")
	}
	p := livetest.NewProxy(b, moto.URL)
	b.Setenv("AWS_ENDPOINT_URL", p.URL)
	now := daysLater(2)
	// Loopback has no round trip; 50 ms is one of a client far from its
	// Region, which concurrency overlaps.
	for _, tc := range []struct {
		concurrency int
		delay       time.Duration
	}{{1, 0}, {live.DefaultConcurrency, 0}, {1, 50 * time.Millisecond}, {live.DefaultConcurrency, 50 * time.Millisecond}} {
		concurrency := tc.concurrency
		b.Run(fmt.Sprintf("rtt=%s/concurrency=%d", tc.delay, concurrency), func(b *testing.B) {
			p.Delay = tc.delay
			before := p.Requests()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				code, out, errOut := run(b, "", "preview", "--all-repositories", "--concurrency", strconv.Itoa(concurrency), "--now", now)
				if code != ExitOK || !strings.Contains(out, fmt.Sprintf("%d repositories, %s images", repos, count(repos*images))) {
					b.Fatalf("exit %d: %s\n%s", code, errOut, lastLines(out, 4))
				}
			}
			wall := time.Since(start)
			reqs := float64(p.Requests() - before)
			b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "ms/preview")
			b.ReportMetric(reqs/wall.Seconds(), "requests/s")
			b.ReportMetric(float64(repos*images*b.N)/wall.Seconds(), "images/s")
		})
	}
}
