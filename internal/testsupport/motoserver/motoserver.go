// Package motoserver starts and stops moto's server (moto_server, the
// Python package moto with its server extras) on a free loopback port, for
// tests that talk to a real implementation of the ECR, ECS and Lambda APIs.
// The server itself is package localaws's (ecr-cdk local runs it too); this
// package adds what tests need around it.
//
// moto is not a Go dependency: `make setup` installs moto[server]==5.2.1
// with pip when moto_server is missing, and a test that needs the server
// fails, never skips, when it is still missing.
package motoserver

import (
	"fmt"
	"os"
	"testing"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/localaws"
)

// Server is a running moto server.
type Server = localaws.Server

// Command starts a program other than moto_server (the launcher).
type Command = localaws.Command

// ExitError is a server that exited before answering.
type ExitError = localaws.ExitError

// Version is the moto version the tests are written against.
const Version = localaws.MotoVersion

// Install is the instruction given when moto_server is missing.
const Install = localaws.Install

// Start starts stock moto_server (localaws.StartMoto).
func Start() (*Server, error) { return localaws.StartMoto() }

// StartCommand starts a command as the server (localaws.StartCommand).
func StartCommand(c Command) (*Server, error) { return localaws.StartCommand(c) }

// EnvFor is the environment that points the AWS SDK and CLI at url
// (localaws.EnvFor).
func EnvFor(url string) map[string]string { return localaws.EnvFor(url) }

// StartT starts the server for a test and stops it at the test's end; it
// fails the test, with the instruction to install moto, when it can't.
func StartT(t testing.TB) *Server {
	t.Helper()
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// SetEnv sets Env for the test (t.Setenv: not with t.Parallel).
func SetEnv(t testing.TB, url string) {
	t.Helper()
	for k, v := range EnvFor(url) {
		t.Setenv(k, v) // restored at the test's end
		if v == "" {
			os.Unsetenv(k) // unset, not empty: the AWS CLI reads AWS_PROFILE="" as a profile
		}
	}
}

// Main is a test binary's TestMain for a package whose tests share one
// server: it starts the server into *server, runs the tests, stops it and
// exits; without moto_server it fails loudly, never skips.
func Main(m *testing.M, server **Server) {
	s, err := Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*server = s
	code := m.Run()
	s.Stop()
	os.Exit(code)
}
