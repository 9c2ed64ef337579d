package livetest

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Proxy is a loopback HTTP proxy in front of the server that can answer
// some requests itself: throttling, server errors, access denied,
// malformed answers. Requests reach it through AWS_ENDPOINT_URL.
type Proxy struct {
	URL string
	// Answer, when set, sees each request (its X-Amz-Target operation, such
	// as "DescribeImages", and body) and may answer it itself: ok true sends
	// status and body instead of forwarding.
	Answer func(n int64, operation string, body []byte) (status int, answer string, ok bool)
	// Delay, when set, holds each request that long before forwarding it:
	// the round trip of a network that loopback doesn't have.
	Delay time.Duration

	requests atomic.Int64
	answered atomic.Int64
}

// Requests counts the requests the proxy received; Answered those it
// answered itself.
func (p *Proxy) Requests() int64 { return p.requests.Load() }

// Answered counts the requests the proxy answered itself.
func (p *Proxy) Answered() int64 { return p.answered.Load() }

// NewProxy starts a proxy to target on 127.0.0.1; it stops at the test's end.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := p.requests.Add(1)
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		op := r.Header.Get("X-Amz-Target")
		if i := strings.LastIndexByte(op, '.'); i >= 0 {
			op = op[i+1:]
		}
		if p.Answer != nil {
			if status, answer, ok := p.Answer(n, op, body); ok {
				p.answered.Add(1)
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				w.WriteHeader(status)
				io.WriteString(w, answer)
				return
			}
		}
		if p.Delay > 0 {
			time.Sleep(p.Delay)
		}
		rp.ServeHTTP(w, r)
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	p.URL = "http://" + l.Addr().String()
	return p
}

// Throttling is ECR's answer to too many requests.
const Throttling = `{"__type":"ThrottlingException","message":"Rate exceeded"}`

// AccessDenied is an IAM denial.
func AccessDenied(action, repo string) string {
	return `{"__type":"AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/tester is not authorized to perform: ecr:` + action +
		` on resource: arn:aws:ecr:us-east-1:123456789012:repository/` + repo + ` because no identity-based policy allows the ecr:` + action + ` action"}`
}

// Silent starts a listener on 127.0.0.1 that accepts connections and never
// answers: an endpoint that hangs. It stops at the test's end.
func Silent(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return "http://" + l.Addr().String()
}
