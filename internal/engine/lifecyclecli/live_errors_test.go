package lifecyclecli

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/livetest"
)

// seedTeam makes six repositories of 40 images under team/, each with a
// policy, and returns the registry-wide preview read straight from moto.
func seedTeam(t *testing.T) (*livetest.Seeder, string) {
	t.Helper()
	s := server(t)
	for i := 0; i < 6; i++ {
		name := fmt.Sprintf("team/r%d", i)
		s.Repo(name, nil)
		s.Images(name, 40, func(j int) string {
			if j%2 == 0 {
				return ""
			}
			return fmt.Sprintf("v%d", j)
		})
		s.LifecyclePolicy(name, fmt.Sprintf(`{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":%d},"action":{"type":"expire"}}]}`, 5+i))
	}
	code, out, errOut := run(t, "", "preview", "--repository-prefix", "team/", "--now", daysLater(1))
	if code != ExitOK {
		t.Fatalf("direct: exit %d: %s", code, errOut)
	}
	return s, out
}

func TestLiveRetriesThrottlingAndServerErrors(t *testing.T) {
	_, direct := seedTeam(t)
	p := livetest.NewProxy(t, moto.URL)
	// Of the distinct requests, every other one is throttled at its first
	// attempt, every third answered 503 at its first attempt and 500 at its
	// second: each succeeds within the SDK's attempts, after one or two
	// retries with backoff.
	var mu sync.Mutex
	attempts := map[string]int{}
	distinct := 0
	p.Answer = func(n int64, op string, body []byte) (int, string, bool) {
		mu.Lock()
		key := op + string(body)
		if attempts[key] == 0 {
			distinct++
		}
		attempts[key]++
		attempt, id := attempts[key], distinct
		mu.Unlock()
		switch {
		case id%3 == 0 && attempt == 1:
			return http.StatusServiceUnavailable, `{"__type":"ServiceUnavailableException","message":"try again"}`, true
		case id%3 == 0 && attempt == 2:
			return http.StatusInternalServerError, `{"__type":"ServerException","message":"internal"}`, true
		case id%2 == 0 && attempt == 1:
			return http.StatusBadRequest, livetest.Throttling, true
		}
		return 0, "", false
	}
	t.Setenv("AWS_ENDPOINT_URL", p.URL)
	start := time.Now()
	code, out, errOut := run(t, "", "preview", "--repository-prefix", "team/", "--now", daysLater(1))
	if code != ExitOK || errOut != "" {
		t.Fatalf("through the proxy: exit %d: %s", code, errOut)
	}
	if out != direct {
		t.Errorf("the output differs once retried:\n%s", firstDifference(direct, out))
	}
	if p.Answered() == 0 {
		t.Fatal("the proxy refused nothing")
	}
	t.Logf("%d requests, %d answered by the proxy with throttling or 5xx, all retried, in %s", p.Requests(), p.Answered(), time.Since(start).Round(time.Millisecond))
}

func TestLiveAccessDeniedOnOneRepository(t *testing.T) {
	_, direct := seedTeam(t)
	p := livetest.NewProxy(t, moto.URL)
	// moto doesn't enforce IAM: the proxy denies what concerns team/r3.
	p.Answer = func(n int64, op string, body []byte) (int, string, bool) {
		if bytes.Contains(body, []byte(`"repositoryName":"team/r3"`)) {
			return http.StatusBadRequest, livetest.AccessDenied(op, "team/r3"), true
		}
		return 0, "", false
	}
	t.Setenv("AWS_ENDPOINT_URL", p.URL)
	code, out, errOut := run(t, "", "preview", "--repository-prefix", "team/", "--now", daysLater(1))
	if code != ExitInvalid {
		t.Errorf("exit %d, want 1", code)
	}
	if strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "ecr-lifecycle preview: team/r3: ECR GetLifecyclePolicy: AccessDeniedException: User: ") {
		t.Errorf("stderr = %q, want one line for team/r3", errOut)
	}
	// The others still report, as they did straight from moto.
	for _, line := range strings.Split(direct, "\n") {
		if strings.HasPrefix(line, "team/") && !strings.HasPrefix(line, "team/r3 ") && !strings.Contains(out, line) {
			t.Errorf("row %q missing:\n%s", line, out)
		}
	}
	if !strings.Contains(out, "team/r3     -       unreadable") || !strings.Contains(out, "6 repositories (1 unreadable)") {
		t.Errorf("output:\n%s", out)
	}
}

func TestLiveEndpointThatDoesNotAnswer(t *testing.T) {
	server(t)
	t.Setenv("AWS_ENDPOINT_URL", livetest.Silent(t))
	start := time.Now()
	code, out, errOut := run(t, "", "preview", "--repository-name", "team/r0", "--timeout", "300ms")
	took := time.Since(start)
	if code != ExitInvalid || out != "" || strings.Count(errOut, "\n") != 1 ||
		!strings.Contains(errOut, "ecr-lifecycle preview: ECR DescribeRepositories: no answer within the timeout (--timeout), after every retry") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// Five attempts of 300 ms and backoffs of at most 200 ms (the tests'
	// bound; the SDK's is 20 s).
	if took > 15*time.Second {
		t.Errorf("took %s", took)
	}
	t.Logf("gave up after %s", took.Round(time.Millisecond))
}

func TestLiveBadInputIsOneLine(t *testing.T) {
	s := server(t)
	s.Repo("here", nil)
	s.Put("here", "v1", livetest.OCIManifest, livetest.Manifest(livetest.OCIManifest, "v1", 1))
	s.LifecyclePolicy("here", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}`)
	p := livetest.NewProxy(t, moto.URL)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String() // nothing listens there: refused
	l.Close()
	for _, tt := range []struct {
		name   string
		args   []string
		env    map[string]string
		answer func(n int64, op string, body []byte) (int, string, bool)
		want   string
	}{
		{"repository that doesn't exist", []string{"--repository-name", "nowhere"}, nil, nil,
			`ecr-lifecycle preview: --repository-name "nowhere": no such repository in us-east-1`},
		{"prefix matching nothing", []string{"--repository-prefix", "nope/"}, nil, nil,
			`ecr-lifecycle preview: no repository matches the prefix "nope/" in us-east-1`},
		{"unknown Region", []string{"--repository-name", "here", "--region", "us-nowhere-1"}, nil, nil,
			`ecr-lifecycle preview: --region "us-nowhere-1": unknown Region (not in the table of aws-cdk-go `},
		{"missing credentials", []string{"--repository-name", "here"}, map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}, nil,
			"ecr-lifecycle preview: no AWS credentials found by the SDK's default chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the shared credentials and config files"},
		{"endpoint that refuses the connection", []string{"--repository-name", "here"}, map[string]string{"AWS_ENDPOINT_URL": dead}, nil,
			"ecr-lifecycle preview: ECR DescribeRepositories: gave up after 5 attempts: can't connect to the endpoint " + dead + " (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ECR, else the Region's): connection refused"},
		{"an answer that isn't JSON", []string{"--repository-name", "here"}, nil, func(n int64, op string, body []byte) (int, string, bool) {
			return http.StatusOK, `{"imageDetails": [{"imageDigest": "sha256:`, op == "DescribeImages"
		}, "ecr-lifecycle preview: here: ECR DescribeImages: the server's answer is not the API's JSON: "},
		{"an image without imagePushedAt", []string{"--repository-name", "here"}, nil, func(n int64, op string, body []byte) (int, string, bool) {
			return http.StatusOK, `{"imageDetails": [{"imageDigest": "sha256:` + strings.Repeat("a", 64) + `", "imageTags": ["v1"]}]}`, op == "DescribeImages"
		}, "here (describe-images, batch-get-image): imageDetails[0] (sha256:" + strings.Repeat("a", 64) + "): imagePushedAt: is required"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("AWS_ENDPOINT_URL", p.URL)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			p.Answer = tt.answer
			code, out, errOut := run(t, "", append([]string{"preview", "--timeout", "5s"}, tt.args...)...)
			if code != ExitInvalid || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q\nwant 1 and %q", code, out, errOut, tt.want)
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Errorf("a stack: %s", errOut)
			}
		})
	}
}
