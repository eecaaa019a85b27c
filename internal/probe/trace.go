package probe

import (
	"crypto/tls"
	"net/http/httptrace"
	"sync"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// trace records httptrace events for one attempt.
type trace struct {
	mu                   sync.Mutex
	start                time.Time
	connect, tls, firstB time.Duration
	remoteAddr           string
	reused               bool // the connection had carried an earlier request
}

func newTrace() *trace { return &trace{start: time.Now()} }

func (t *trace) since() time.Duration { return time.Since(t.start) }

func (t *trace) clientTrace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		ConnectDone: func(_, _ string, err error) {
			t.mu.Lock()
			t.connect = t.since()
			t.mu.Unlock()
		},
		TLSHandshakeDone: func(tls.ConnectionState, error) {
			t.mu.Lock()
			t.tls = t.since()
			t.mu.Unlock()
		},
		GotConn: func(info httptrace.GotConnInfo) {
			t.mu.Lock()
			if info.Conn != nil {
				t.remoteAddr = info.Conn.RemoteAddr().String()
			}
			t.reused = info.Reused
			t.mu.Unlock()
		},
		GotFirstResponseByte: func() {
			t.mu.Lock()
			t.firstB = t.since()
			t.mu.Unlock()
		},
	}
}

// staleConn reports a connection that had carried an earlier request and
// closed before the first byte of this answer: the server dropped an idle
// keep-alive connection as the request went out (the keep-alive race).
func (t *trace) staleConn() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.reused && t.firstB == 0
}

func (t *trace) remote() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.remoteAddr
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (t *trace) timing() record.Timing {
	t.mu.Lock()
	defer t.mu.Unlock()
	return record.Timing{ConnectMS: ms(t.connect), TLSMS: ms(t.tls), FirstByteMS: ms(t.firstB), TotalMS: ms(t.since())}
}
