package probe

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// staleServer answers the first `answered` requests of every connection
// and then drops the connection as soon as the next request arrives,
// without a byte of answer: with 1, a server closing an idle keep-alive
// connection just as the client reuses it; with 0, a server (or WAF) that
// drops the request itself.
func staleServer(t *testing.T, answered int) (string, *atomic.Int32) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var conns atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for range answered {
					if _, err := http.ReadRequest(br); err != nil {
						return
					}
					_, _ = c.Write([]byte("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"))
				}
				_, _ = http.ReadRequest(br) // dropped unanswered
			}()
		}
	}()
	return ln.Addr().String(), &conns
}

// TestStaleKeepAliveResent: an idempotent request (DELETE, which Go's
// transport does not resend itself) that meets a dropped keep-alive
// connection is sent once more on a new connection; a POST is never sent
// again and keeps its eof_error; a connection that fails on its first
// request is the server's doing and is not resent.
func TestStaleKeepAliveResent(t *testing.T) {
	addr, conns := staleServer(t, 1)
	send := client(t)
	if o := send("GET", addr); o.Status() != http.StatusNotFound {
		t.Fatalf("first request: %d %s", o.Status(), o.Error)
	}
	if o := send("DELETE", addr); o.Status() != http.StatusNotFound || o.Failure != "" {
		t.Errorf("DELETE on a dropped keep-alive connection: status %d, failure %q %s; want it resent and answered", o.Status(), o.Failure, o.Error)
	}
	if o := send("POST", addr); o.Failure != record.FailEOF || o.Response != nil {
		t.Errorf("POST on a dropped keep-alive connection: status %d, failure %q; want eof_error, never resent", o.Status(), o.Failure)
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2 (GET; DELETE resent on a new one, where the POST then met the same drop)", n)
	}
	dropper, drops := staleServer(t, 0)
	if o := send("DELETE", dropper); o.Failure != record.FailEOF {
		t.Errorf("DELETE dropped on a new connection: failure %q, want eof_error", o.Failure)
	}
	if n := drops.Load(); n != 1 {
		t.Errorf("a request dropped on a new connection was sent %d times, want once", n)
	}
}

func client(t *testing.T) func(method, addr string) record.Observation {
	c, err := New(Config{Timeout: 5 * time.Second, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return func(method, addr string) record.Observation {
		return c.Do(context.Background(), Request{ID: "o1", Vantage: record.VantageEdge, Method: method,
			URL: "http://" + addr + "/wp-json/wp/v2/posts/999999999"})
	}
}
