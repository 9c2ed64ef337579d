// Package localcmd is ecr-cdk local: a local AWS API for CDK apps (package
// internal/engine/localaws), in the foreground until interrupted.
package localcmd

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/secure-ecr/ecr-cdk-go/internal/engine/cli"
	"github.com/secure-ecr/ecr-cdk-go/internal/engine/localaws"
)

// Usage is ecr-cdk local's help text, printed by --help.
const Usage = `ecr-cdk local runs a local AWS API for CDK apps on 127.0.0.1 until
interrupted (Ctrl-C): moto ` + localaws.MotoVersion + `'s server, started through a launcher that
corrects what breaks the CDK CLI's deploy path on moto (generated repository
names, change-set answers, outputs, parameters) and, as EMULATION, applies an
AWS::ECR::Repository's scanning, encryption, lifecycle policy, repository
policy and EmptyOnDelete through moto's ECR API. It prints the environment to export; then
cdk bootstrap aws://123456789012/us-east-1 and cdk deploy work against it.

It can't show AWS's own deploy-time checks (principals that must exist, key
policies, quotas), event delivery or scanning.

Usage:
  ecr-cdk local [--port N]

--port is the port to listen on (default: a free one).
Needs moto ` + localaws.MotoVersion + ` with its server extras: pip install 'moto[server]==` + localaws.MotoVersion + `'.
The server's request log goes to standard error.

Exit status: 0 stopped by an interrupt, 1 moto missing or of another version,
or the server couldn't start or stopped by itself, 2 wrong usage.
`

// Run is ecr-cdk local: args are its arguments, after "local"; it runs
// until interrupted (SIGINT, SIGTERM) and returns the exit status (package
// cli's).
func Run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, args, stdout, stderr)
}

// run is Run until ctx is done (the interrupt).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("local", flag.ContinueOnError)
	port := fs.Int("port", 0, "")
	if code, ok := cli.Parse(fs, args, "ecr-cdk", Usage, stdout, stderr); !ok {
		return code
	}
	switch {
	case *port < 0 || *port > 65535:
		return cli.UsageError(stderr, "ecr-cdk", "local", fmt.Sprintf("--port %d: must be between 1 and 65535 (no --port: a free one)", *port))
	}
	log := &gate{w: stderr} // a failed start is one line, not the server's log too
	s, err := localaws.Start(localaws.Options{Port: *port, Output: log})
	if err != nil {
		fmt.Fprintf(stderr, "ecr-cdk local: %s\n", err)
		return cli.ExitRefused
	}
	defer s.Stop()
	log.open()
	fmt.Fprintf(stdout, "# ecr-cdk local: moto %s with corrections for CDK on %s; Ctrl-C stops it.\n", localaws.MotoVersion, localaws.Endpoint(s.Port))
	for _, kv := range localaws.Env(s.Port) {
		fmt.Fprintf(stdout, "export %s=%s\n", kv[0], kv[1])
	}
	fmt.Fprintln(stdout, "# then: cdk bootstrap aws://123456789012/us-east-1 && cdk deploy")
	select {
	case <-ctx.Done():
		return cli.ExitOK
	case <-s.Done():
		fmt.Fprintf(stderr, "ecr-cdk local: the server on port %d stopped by itself (its log is above)\n", s.Port)
		return cli.ExitRefused
	}
}

// gate passes the server's log on to w once opened, and drops it
// before.
type gate struct {
	mu     sync.Mutex
	w      io.Writer
	opened bool
}

func (g *gate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.opened = true
}

func (g *gate) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.opened {
		return len(p), nil
	}
	return g.w.Write(p)
}
