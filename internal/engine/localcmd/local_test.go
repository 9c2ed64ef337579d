package localcmd

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
)

// lockedBuffer is a bytes.Buffer written by the command's goroutine and
// read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLocal starts ecr-cdk local, reads the environment it prints, creates
// a repository through it with the SDK, and interrupts it.
func TestLocal(t *testing.T) {
	ctx, interrupt := context.WithCancel(t.Context())
	defer interrupt()
	out, outW := io.Pipe()
	var stderr lockedBuffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, nil, outW, &stderr)
		outW.Close()
	}()

	env := map[string]string{}
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		line := lines.Text()
		if k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "="); ok && strings.HasPrefix(line, "export ") {
			env[k] = v
		}
		if strings.HasPrefix(line, "# then:") {
			break
		}
	}
	go io.Copy(io.Discard, out)
	if !regexp.MustCompile(`^http://localhost:\d+$`).MatchString(env["AWS_ENDPOINT_URL"]) || env["AWS_REGION"] != "us-east-1" || env["AWS_ACCESS_KEY_ID"] == "" || env["AWS_SECRET_ACCESS_KEY"] == "" {
		t.Fatalf("printed environment %v; stderr:\n%s", env, stderr.String())
	}

	client := ecr.NewFromConfig(aws.Config{
		Region: env["AWS_REGION"],
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: env["AWS_ACCESS_KEY_ID"], SecretAccessKey: env["AWS_SECRET_ACCESS_KEY"]}, nil
		}),
		BaseEndpoint: aws.String(env["AWS_ENDPOINT_URL"]),
	})
	if _, err := client.CreateRepository(t.Context(), &ecr.CreateRepositoryInput{RepositoryName: aws.String("local/app")}); err != nil {
		t.Fatal(err)
	}
	repos, err := client.DescribeRepositories(t.Context(), &ecr.DescribeRepositoriesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(repos.Repositories) != 1 || aws.ToString(repos.Repositories[0].RepositoryName) != "local/app" {
		t.Errorf("repositories through ecr-cdk local: %+v", repos.Repositories)
	}

	interrupt()
	select {
	case c := <-code:
		if c != cli.ExitOK {
			t.Errorf("exit status after the interrupt %d, want 0; stderr:\n%s", c, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("ecr-cdk local did not stop after the interrupt")
	}
	if _, err := client.DescribeRepositories(t.Context(), &ecr.DescribeRepositoriesInput{}); err == nil {
		t.Error("the server still answers after the interrupt")
	}
}

// TestLocalRefusesAnotherMoto: one line, exit 1, nothing on stdout.
func TestLocalRefusesAnotherMoto(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(dir+"/moto", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/moto/__init__.py", []byte("__version__ = \"5.0.0\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PYTHONPATH", dir)
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), nil, &stdout, &stderr)
	want := regexp.MustCompile(`^ecr-cdk local: moto 5\.0\.0 found for \S+, this launcher is written for moto 5\.2\.1: pip install 'moto\[server\]==5\.2\.1'\n$`)
	if code != cli.ExitRefused || stdout.Len() != 0 || !want.MatchString(stderr.String()) {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1, nothing, one line matching %s", code, stdout.String(), stderr.String(), want)
	}
}

func TestLocalUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--port", "70000"}, "ecr-cdk local: --port 70000: must be between 1 and 65535 (no --port: a free one) (see ecr-cdk local --help)\n"},
		{[]string{"extra"}, "ecr-cdk local: unexpected argument \"extra\" (see ecr-cdk local --help)\n"},
		{[]string{"--port", "x"}, "ecr-cdk local: invalid value \"x\" for flag -port: parse error (see ecr-cdk local --help)\n"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(t.Context(), tc.args, &stdout, &stderr); code != cli.ExitUsage || stdout.Len() != 0 || stderr.String() != tc.want {
			t.Errorf("local %v: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, stdout.String(), stderr.String(), tc.want)
		}
	}
}
