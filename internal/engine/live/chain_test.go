package live_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/live"
	"github.com/secure-ecr/ecr-cdk-go/internal/testsupport/livetest"
)

// AWS_ENDPOINT_URL_ECR wins over AWS_ENDPOINT_URL for ECR, as the SDK
// documents: the general endpoint here never answers.
func TestServiceEndpointOverridesTheGeneralOne(t *testing.T) {
	s := reset(t)
	s.Repo("here", nil)
	t.Setenv("AWS_ENDPOINT_URL", livetest.Silent(t))
	t.Setenv("AWS_ENDPOINT_URL_ECR", server.URL)
	c, err := live.Load(context.Background(), live.Options{Timeout: time.Second, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if repos, err := c.Repositories(context.Background(), live.Selection{All: true}); err != nil || len(repos) != 1 {
		t.Errorf("%d repositories, %v", len(repos), err)
	}
	if _, err := c.ECSImages(context.Background()); err == nil || !strings.Contains(live.Message(err), "no answer within the timeout") {
		t.Errorf("ECS goes to AWS_ENDPOINT_URL, which doesn't answer: %v", err)
	}
}

// --profile reads a profile of the shared files: its Region and keys.
func TestProfile(t *testing.T) {
	s := reset(t)
	s.Repo("here", nil)
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	if err := os.WriteFile(config, []byte("[profile moto]\nregion = eu-west-1\naws_access_key_id = fromprofile\naws_secret_access_key = fromprofile\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", config)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_REGION", "")
	c, err := live.Load(context.Background(), live.Options{Profile: "moto"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Region != "eu-west-1" {
		t.Errorf("Region %q, want the profile's eu-west-1", c.Region)
	}
	// moto keeps a registry per Region: eu-west-1's is empty.
	if _, err := c.Repositories(context.Background(), live.Selection{All: true}); !errors.Is(err, live.ErrNoMatch) {
		t.Errorf("eu-west-1: %v", err)
	}
	if _, err := live.Load(context.Background(), live.Options{Profile: "absent"}); err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("a profile that doesn't exist: %v", err)
	}
}

// Cancelling the context (Ctrl-C in the commands) ends a read that waits
// on a server, promptly and without retrying.
func TestCancelEndsAHangingRead(t *testing.T) {
	reset(t)
	t.Setenv("AWS_ENDPOINT_URL", livetest.Silent(t))
	c, err := live.Load(context.Background(), live.Options{Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err = c.Images(ctx, "here", nil)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %s after the cancel", took)
	}
	if live.Message(err) != "interrupted" {
		t.Errorf("message %q, want interrupted (%v)", live.Message(err), err)
	}
}

// The progress line is for terminals: a buffer, or a pipe, gets nothing.
func TestProgressIsQuietOffATerminal(t *testing.T) {
	s := reset(t)
	s.Repo("here", nil)
	s.Images("here", 5, func(int) string { return "" })
	var buf bytes.Buffer
	c, err := live.Load(context.Background(), live.Options{Progress: &buf})
	if err != nil {
		t.Fatal(err)
	}
	p := c.NewProgress("repositories", 1)
	if _, err := c.Images(context.Background(), "here", p); err != nil {
		t.Fatal(err)
	}
	p.Step(0)
	p.Done()
	if buf.Len() != 0 {
		t.Errorf("progress written off a terminal: %q", buf.String())
	}
	if c.Requests() == 0 {
		t.Error("requests not counted")
	}
}

// deadEndpoint returns the URL of a local port nothing listens on: a
// connection to it is refused.
func deadEndpoint(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	return url
}

// An endpoint that refuses the connection is named in the one line, with
// where it comes from; so is one that doesn't answer.
func TestUnreachableEndpointIsNamed(t *testing.T) {
	reset(t)
	dead := deadEndpoint(t)
	t.Setenv("AWS_ENDPOINT_URL", dead)
	c, err := live.Load(context.Background(), live.Options{Timeout: time.Second, MaxAttempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Repositories(context.Background(), live.Selection{All: true})
	want := "ECR DescribeRepositories: gave up after 2 attempts: can't connect to the endpoint " + dead +
		" (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ECR, else the Region's): connection refused"
	if got := live.Message(err); got != want {
		t.Errorf("Message\n got %q\nwant %q", got, want)
	}
	_, err = c.ECSImages(context.Background())
	if got := live.Message(err); !strings.Contains(got, "can't connect to the endpoint "+dead+" (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ECS, else the Region's)") {
		t.Errorf("ECS: %q", got)
	}

	silent := livetest.Silent(t)
	t.Setenv("AWS_ENDPOINT_URL", silent)
	c, err = live.Load(context.Background(), live.Options{Timeout: 200 * time.Millisecond, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Repositories(context.Background(), live.Selection{All: true})
	want = "ECR DescribeRepositories: no answer within the timeout (--timeout), after every retry; is the endpoint " + silent +
		" (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ECR) reachable?"
	if got := live.Message(err); got != want {
		t.Errorf("Message\n got %q\nwant %q", got, want)
	}
}
