package live

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// ForEach calls f for each of n items, at most limit at a time, and returns
// when every call has returned or ctx is cancelled (calls not started are
// skipped). Errors are f's to keep: a repository that can't be read is one
// line of the report, not the end of the others.
func ForEach(ctx context.Context, n, limit int, f func(ctx context.Context, i int)) {
	if limit <= 0 {
		limit = DefaultConcurrency
	}
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case sem <- struct{}{}:
		}
		wg.Add(1)
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			f(ctx, i)
		}(i)
	}
	wg.Wait()
}

// Progress is a progress line on a terminal: "reading 12/300 repositories
// (34,000 images)", rewritten at most five times a second and erased by
// Done. On anything but a terminal it prints nothing.
type Progress struct {
	w      io.Writer
	what   string
	total  int
	done   atomic.Int64
	items  atomic.Int64
	mu     sync.Mutex
	last   time.Time
	active bool
}

// NewProgress starts a progress line of total steps named what
// ("repositories"); w nil or not a terminal makes it quiet.
func (c *Clients) NewProgress(what string, total int) *Progress {
	p := &Progress{w: c.progress, what: what, total: total}
	p.active = c.progress != nil && isTerminal(c.progress)
	return p
}

// Step records one finished step and items read in it (images).
func (p *Progress) Step(items int) {
	if p == nil {
		return
	}
	p.done.Add(1)
	p.Add(items)
}

// Add records items read without finishing a step.
func (p *Progress) Add(items int) {
	if p == nil {
		return
	}
	p.items.Add(int64(items))
	if !p.active {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r\x1b[Kreading %d/%d %s (%d images)", p.done.Load(), p.total, p.what, p.items.Load())
}

// Done erases the line. A nil Progress does nothing.
func (p *Progress) Done() {
	if p == nil || !p.active {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\x1b[K")
}
