// This file starts and stops moto's server (stock moto_server, or the
// launcher with its corrections) on a free loopback port: what ecr-cdk
// local runs, and what the tests start through package motoserver.

package localaws

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// MotoVersion is the moto version the launcher's corrections, and the
// tests, are written for.
const MotoVersion = "5.2.1"

// Install is the instruction given when moto_server is missing.
const Install = "moto_server is not on PATH: run `make setup` (installs moto[server]==" + MotoVersion + " with pip) or `pip install 'moto[server]==" + MotoVersion + "'`"

// startTimeout bounds how long the server may take to answer its first
// request; moto imports every service's models at start, a few seconds.
const startTimeout = 60 * time.Second

// Server is a running moto_server.
type Server struct {
	// URL is the server's endpoint, http://127.0.0.1:PORT.
	URL string
	// Port is the port it listens on.
	Port int

	cmd      *exec.Cmd
	log      *syncWriter
	stopOnce sync.Once
	done     chan struct{}
	cleanup  func()
}

// StartMoto starts stock moto_server on a free port of 127.0.0.1 and waits
// until it answers. The caller stops it with Stop.
func StartMoto() (*Server, error) {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		return nil, errors.New(Install)
	}
	return StartCommand(Command{Path: bin})
}

// Command is a program that serves moto's API and takes moto_server's flags
// -H HOST -p PORT after its own arguments: moto_server itself, or a launcher
// that corrects moto before calling its server (internal/engine/localaws).
type Command struct {
	// Path is the program to run.
	Path string
	// Args come before -H 127.0.0.1 -p PORT; none by default.
	Args []string
	// Port is the loopback port to listen on; 0 (the default) picks a free
	// one, trying another when it is taken between probe and bind.
	Port int
	// Output, when set, receives what the server prints as it prints it
	// (Log keeps it too); nil by default.
	Output io.Writer
	// Cleanup, when set, runs once the server has exited (after Stop, or
	// after a failed start); nil by default.
	Cleanup func()
}

// ExitError is a server that exited before it answered: Code is its exit
// status, Log what it printed.
type ExitError struct {
	Port int
	Code int
	Log  string
}

func (e *ExitError) Error() string {
	return fmt.Sprintf("moto_server on port %d exited at start (status %d):\n%s", e.Port, e.Code, e.Log)
}

// StartCommand starts c on 127.0.0.1 and waits until it answers. The
// caller stops it with Stop.
func StartCommand(c Command) (*Server, error) {
	if c.Port != 0 {
		s, err := start(c, c.Port)
		if err != nil && c.Cleanup != nil {
			c.Cleanup()
		}
		return s, err
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ { // a port taken between probe and bind: try another
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s, err := start(c, port)
		if err == nil {
			return s, nil
		}
		lastErr = err
		var exit *ExitError
		if errors.As(err, &exit) && !strings.Contains(exit.Log, "in use") {
			break // it refused to start: another port won't change that
		}
	}
	if c.Cleanup != nil {
		c.Cleanup()
	}
	return nil, lastErr
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func start(c Command, port int) (*Server, error) {
	s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port), Port: port, log: &syncWriter{w: &bytes.Buffer{}}, done: make(chan struct{})}
	s.cmd = exec.Command(c.Path, append(slices.Clone(c.Args), "-H", "127.0.0.1", "-p", strconv.Itoa(port))...)
	var out io.Writer = s.log
	if c.Output != nil {
		out = io.MultiWriter(out, c.Output)
	}
	s.cmd.Stdout, s.cmd.Stderr = out, out
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its own group: Ctrl-C of the test run doesn't race Stop
	// No credentials or endpoints of the caller reach moto's own boto use.
	s.cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing", "AWS_DEFAULT_REGION=us-east-1")
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", c.Path, err)
	}
	go func() {
		_ = s.cmd.Wait()
		close(s.done)
	}()
	s.cleanup = c.Cleanup

	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return nil, &ExitError{Port: port, Code: s.cmd.ProcessState.ExitCode(), Log: s.Log()}
		default:
		}
		resp, err := client.Get(s.URL + "/moto-api/data.json")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.cleanup = nil // the caller's Cleanup runs once, after the last attempt
	s.Stop()
	return nil, fmt.Errorf("moto_server on port %d did not answer within %s:\n%s", port, startTimeout, s.Log())
}

// Done is closed when the server has exited.
func (s *Server) Done() <-chan struct{} { return s.done }

// Reset empties every service's state (moto's /moto-api/reset).
func (s *Server) Reset() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/moto-api/reset", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("moto reset: %s", resp.Status)
	}
	return nil
}

// Stop stops the server: SIGTERM, then SIGKILL after 5 seconds.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		if s.cmd.Process == nil {
			return
		}
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(5 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.done
		}
		if s.cleanup != nil {
			s.cleanup()
		}
	})
}

// Log returns what the server printed.
func (s *Server) Log() string {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return s.log.w.String()
}

// EnvFor returns the environment that points the SDK at an endpoint (the
// server's URL, or a proxy in front of it) with dummy credentials:
// AWS_ENDPOINT_URL, keys, Region, and no shared files of the user's. An
// empty value means unset.
func EnvFor(url string) map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL":            url,
		"AWS_ACCESS_KEY_ID":           "testing",
		"AWS_SECRET_ACCESS_KEY":       "testing",
		"AWS_SESSION_TOKEN":           "",
		"AWS_REGION":                  "us-east-1",
		"AWS_DEFAULT_REGION":          "",
		"AWS_PROFILE":                 "",
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_EC2_METADATA_DISABLED":   "true",
	}
}

// syncWriter is a buffer the server's output goes to from several
// goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}
