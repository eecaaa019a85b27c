package diagnose

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// Hostile or broken servers must give a classified finding within the
// timeout, with bounded memory. These servers are not WordPress fakes:
// they misbehave at the HTTP level, which is all these tests exercise.

func runAgainst(t *testing.T, url string, timeout time.Duration) (*record.Report, time.Duration) {
	t.Helper()
	start := time.Now()
	rep, err := Run(context.Background(), Config{URL: url, Timeout: timeout, Concurrency: 2})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep, time.Since(start)
}

func topBlock(rep *record.Report) *record.Finding {
	for i := range rep.Findings {
		if rep.Findings[i].Severity == record.SevBlock {
			return &rep.Findings[i]
		}
	}
	return nil
}

func TestHostileServers(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		layers  []record.Layer
	}{
		{"huge body", hugeBody, []record.Layer{record.LayerNetwork, record.LayerServer}},
		{"redirect loop", redirectLoop, []record.Layer{record.LayerServer, record.LayerEdge}},
		{"gzip bomb", gzipBomb, []record.Layer{record.LayerNetwork, record.LayerServer}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.handler)
			defer srv.Close()
			rep, took := runAgainst(t, srv.URL+"/", 2*time.Second)
			if took > 20*time.Second {
				t.Errorf("took %v", took)
			}
			f := topBlock(rep)
			if f == nil {
				t.Fatalf("no block finding; findings %+v", rep.Findings)
			}
			if !containsLayer(c.layers, f.Layer) {
				t.Errorf("top finding %s/%s, want one of %v: %s", f.Layer, f.Mechanism, c.layers, f.Summary)
			}
			for _, o := range rep.Observations {
				if o.Response != nil && len(o.Response.Body) > 256<<10 {
					t.Errorf("%s kept a %d-byte body", o.ID, len(o.Response.Body))
				}
			}
		})
	}
}

// TestEndlessBody: when every answer's body never ends, nothing usable
// answered: a no-answer problem naming the timeout, not a refusal.
func TestEndlessBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(slowBody))
	defer srv.Close()
	rep, took := runAgainst(t, srv.URL+"/", 2*time.Second)
	if took > 20*time.Second {
		t.Errorf("took %v", took)
	}
	if p := rep.Problem; p == nil || p.Kind != record.ProblemNoAnswer || p.Failure != record.FailBodyTimeout || topBlock(rep) != nil {
		t.Errorf("problem %+v, findings %+v", p, rep.Findings)
	}
}

func containsLayer(ls []record.Layer, l record.Layer) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}

func hugeBody(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusForbidden)
	chunk := bytes.Repeat([]byte("A"), 64<<10)
	for i := 0; i < 1024; i++ { // 64 MiB, far past the read limit
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

func slowBody(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusOK)
	f, _ := w.(http.Flusher)
	for {
		if _, err := w.Write([]byte("x")); err != nil {
			return
		}
		if f != nil {
			f.Flush()
		}
		select {
		case <-r.Context().Done():
			return
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func redirectLoop(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, r.URL.Path, http.StatusFound)
}

func gzipBomb(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusForbidden)
	gz := gzip.NewWriter(w)
	zeros := make([]byte, 1<<20)
	for i := 0; i < 64; i++ { // 64 MiB inflated from ~64 KiB on the wire
		if _, err := gz.Write(zeros); err != nil {
			return
		}
	}
	gz.Close()
}

func TestGarbageAndBadTLS(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = bufio.NewReader(c).ReadString('\n')
				_, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.2\r\nthis is not http\r\n\r\n"))
			}()
		}
	}()
	// Nothing usable answered at all: a problem naming the failure, not a refusal.
	rep, _ := runAgainst(t, "http://"+ln.Addr().String()+"/", 2*time.Second)
	if p := rep.Problem; p == nil || p.Kind != record.ProblemNoAnswer || p.Failure != record.FailNotHTTP || topBlock(rep) != nil {
		t.Errorf("garbage: problem %+v, findings %+v", p, rep.Findings)
	}
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()
	rep, _ = runAgainst(t, tlsSrv.URL+"/", 2*time.Second)
	if p := rep.Problem; p == nil || !strings.Contains(string(p.Failure), "ssl_") || !strings.Contains(p.Next, "--cacert") || topBlock(rep) != nil {
		t.Errorf("untrusted TLS: problem %+v, findings %+v", p, rep.Findings)
	}
}

// TestPerHostConcurrency checks that no more than --concurrency requests
// are in flight per host.
func TestPerHostConcurrency(t *testing.T) {
	var inFlight, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
		w.WriteHeader(http.StatusForbidden)
	}))
	defer srv.Close()
	var reqs []RequestSpec
	for i := 0; i < 12; i++ {
		reqs = append(reqs, RequestSpec{Method: "GET", Route: "/wp/v2/posts/" + strings.Repeat("1", i+1)})
	}
	_, err := Run(context.Background(), Config{URL: srv.URL, Concurrency: 2, Requests: reqs, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if p := peak.Load(); p > 2 || p < 1 {
		t.Errorf("peak in flight %d, want 1..2", p)
	}
}

// TestRetryAfterHonoured: a 429 with a short Retry-After is waited out.
func TestRetryAfterHonoured(t *testing.T) {
	var hits atomic.Int32
	var first, second atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("rest_route") != "" || !strings.Contains(r.URL.Path, "/posts/7") {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		switch hits.Add(1) {
		case 1:
			first.Store(time.Now().UnixNano())
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			second.CompareAndSwap(0, time.Now().UnixNano())
			w.WriteHeader(http.StatusOK)
		}
	}))
	defer srv.Close()
	_, err := Run(context.Background(), Config{URL: srv.URL, Requests: []RequestSpec{{Method: "GET", Route: "/wp/v2/posts/7"}}})
	if err != nil {
		t.Fatal(err)
	}
	if second.Load() == 0 {
		t.Fatal("the 429 was not retried")
	}
	if gap := time.Duration(second.Load() - first.Load()); gap < 900*time.Millisecond {
		t.Errorf("retried after %v, before Retry-After", gap)
	}
}
