package probe

import (
	"context"
	"sync"
	"time"
)

// limiter bounds in-flight requests per host and holds a host back after
// a 429 until its Retry-After has passed.
type limiter struct {
	per   int
	mu    sync.Mutex
	hosts map[string]*hostState
}

type hostState struct {
	slots     chan struct{}
	notBefore time.Time
}

func newLimiter(per int) *limiter {
	return &limiter{per: per, hosts: map[string]*hostState{}}
}

func (l *limiter) state(host string) *hostState {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.hosts[host]
	if !ok {
		s = &hostState{slots: make(chan struct{}, l.per)}
		l.hosts[host] = s
	}
	return s
}

// acquire takes a slot for host, waiting for any backoff first.
func (l *limiter) acquire(ctx context.Context, host string) error {
	s := l.state(host)
	l.mu.Lock()
	wait := time.Until(s.notBefore)
	l.mu.Unlock()
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	select {
	case s.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *limiter) release(host string) { <-l.state(host).slots }

// backoff holds the host back for d.
func (l *limiter) backoff(host string, d time.Duration) {
	s := l.state(host)
	l.mu.Lock()
	if t := time.Now().Add(d); t.After(s.notBefore) {
		s.notBefore = t
	}
	l.mu.Unlock()
}

// InFlightMax reports the configured per-host bound (for tests).
func (l *limiter) InFlightMax() int { return l.per }
