// Package localaws starts a local AWS API for CDK apps: moto's server
// (moto 5.2.1) through a launcher, embedded here, that corrects what breaks
// the CDK CLI's deploy path on stock moto (generated names, change sets,
// parameters, key policies, image functions, Fn::GetStackOutput, log group
// ARNs, Lambda's check that a function's image exists), applies, labelled EMULATION,
// the ECR settings moto's CloudFormation drops (repository and registry
// settings, EmptyOnDelete, the AWS managed key aws/ecr) through moto's own
// backends, and STUBS the types moto doesn't model. launcher.py lists each
// correction, (a) to (m), with the moto source it changes.
//
// What a deployment on it can't show: AWS's deploy-time validation
// (principals that must exist, key policies, quotas), event delivery,
// scanning, replication, and what the stubbed types do.
package localaws

import (
	"bufio"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

//go:embed launcher.py
var launcher []byte

// exitRefused is the launcher's exit status when moto is missing, lacks its
// server extras, or is of another version (launcher.py EXIT_REFUSED).
const exitRefused = 3

// Python returns the interpreter that has moto: the one in moto_server's
// shebang line, or python3 on PATH when moto_server is missing or is a
// wrapper script (a pyenv shim).
func Python() (string, error) {
	if bin, err := exec.LookPath("moto_server"); err == nil {
		if py := shebangPython(bin); py != "" {
			return py, nil
		}
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		return "", errors.New("python3 is not on PATH: install Python 3 and `pip install 'moto[server]==" + MotoVersion + "'`")
	}
	return py, nil
}

// shebangPython reads the interpreter from the first line of script, or ""
// when it names no Python.
func shebangPython(script string) string {
	f, err := os.Open(script)
	if err != nil {
		return ""
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	if !strings.HasPrefix(line, "#!") {
		return ""
	}
	fields := strings.Fields(strings.TrimPrefix(line, "#!"))
	if len(fields) == 0 {
		return ""
	}
	py := fields[0]
	if filepath.Base(py) == "env" && len(fields) > 1 {
		py = fields[1]
	}
	if !strings.HasPrefix(filepath.Base(py), "python") {
		return ""
	}
	if p, err := exec.LookPath(py); err == nil {
		return p
	}
	return ""
}

// Options are how Start runs the launcher.
type Options struct {
	// Port is the loopback port; 0 (the default) picks a free one.
	Port int
	// Output, when set, receives the server's log as it is written; nil by
	// default (Server.Log keeps it either way).
	Output io.Writer
}

// Start writes the launcher to a temporary directory and starts it on
// 127.0.0.1, waiting until it answers; Stop stops it and removes the
// directory. When moto is missing or of another version the error is the
// launcher's one line.
func Start(opts Options) (*Server, error) {
	py, err := Python()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ecr-cdk-local-")
	if err != nil {
		return nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	script := filepath.Join(dir, "launcher.py")
	if err := os.WriteFile(script, launcher, 0o600); err != nil {
		cleanup()
		return nil, err
	}
	s, err := StartCommand(Command{Path: py, Args: []string{script}, Port: opts.Port, Output: opts.Output, Cleanup: cleanup})
	var exit *ExitError
	if errors.As(err, &exit) {
		if exit.Code == exitRefused {
			return nil, errors.New(lastLine(exit.Log))
		}
		return nil, fmt.Errorf("the local AWS API (%s %s) exited at start with status %d: %s", py, script, exit.Code, lastLine(exit.Log))
	}
	return s, err
}

// lastLine is the last non-empty line of log.
func lastLine(log string) string {
	lines := strings.Split(strings.TrimSpace(log), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// Endpoint is the URL the CDK CLI and the SDKs take as AWS_ENDPOINT_URL for
// a server on port: its host is the word localhost, because moto reads a
// template URL's bucket path-style only from URLs that contain it
// (moto/cloudformation/utils.py get_stack_from_s3_url); with 127.0.0.1
// CreateStack fails with NoSuchBucket.
func Endpoint(port int) string {
	return "http://localhost:" + strconv.Itoa(port)
}

// Env is the environment that points the CDK CLI and the SDKs at a server
// on port: the endpoint, dummy credentials, the Region us-east-1 (moto's
// default account is 123456789012).
func Env(port int) [][2]string {
	return [][2]string{
		{"AWS_ENDPOINT_URL", Endpoint(port)},
		{"AWS_ACCESS_KEY_ID", "testing"},
		{"AWS_SECRET_ACCESS_KEY", "testing"},
		{"AWS_REGION", "us-east-1"},
	}
}
