package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// connectProxy is a loopback HTTP CONNECT proxy that tunnels every
// target to backend and records the targets asked for.
type connectProxy struct {
	ln      net.Listener
	backend string
	mu      sync.Mutex
	targets []string
}

func newConnectProxy(t *testing.T, backend string) *connectProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &connectProxy{ln: ln, backend: backend}
	t.Cleanup(func() { ln.Close() })
	go p.serve()
	return p
}

func (p *connectProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.tunnel(c)
	}
}

func (p *connectProxy) tunnel(c net.Conn) {
	defer c.Close()
	req, err := http.ReadRequest(bufio.NewReader(c))
	if err != nil || req.Method != http.MethodConnect {
		io.WriteString(c, "HTTP/1.1 405 Method Not Allowed\r\n\r\n")
		return
	}
	p.mu.Lock()
	p.targets = append(p.targets, req.Host)
	p.mu.Unlock()
	up, err := net.Dial("tcp", p.backend)
	if err != nil {
		io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\n\r\n")
		return
	}
	defer up.Close()
	io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	go io.Copy(up, c)
	io.Copy(c, up)
}

func (p *connectProxy) seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.targets...)
}

// TestProxyEdgeOnly: edge probes go through --proxy (or HTTPS_PROXY) as
// CONNECT tunnels, origin probes go straight to --origin, the report says
// so, and NO_PROXY exempts a host.
func TestProxyEdgeOnly(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "<html><body>Forbidden</body></html>")
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	site := "https://blog.example:" + port + "/"
	run := func(env map[string]string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		args = append([]string{"diagnose", site, "-k", "--origin", "127.0.0.1:" + port, "--no-waf-replay", "-f", "json", "--timeout", "5s"}, args...)
		code := Run(context.Background(), Env{Vars: env}, strings.NewReader(""), &out, &errb, args)
		return code, out.String(), errb.String()
	}
	type obs struct {
		Vantage  string          `json:"vantage"`
		Response json.RawMessage `json:"response"`
	}
	answered := func(out string) map[string]int {
		var rep struct {
			Observations []obs    `json:"observations"`
			Notes        []string `json:"notes"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v: %.300s", err, out)
		}
		n := map[string]int{}
		for _, o := range rep.Observations {
			if len(o.Response) > 4 {
				n[o.Vantage]++
			}
		}
		return n
	}

	p := newConnectProxy(t, srv.Listener.Addr().String())
	code, out, errs := run(map[string]string{}, "--proxy", "http://127.0.0.1:"+portOf(p.ln))
	n := answered(out)
	if n["edge"] == 0 || n["origin"] == 0 || code == ExitUsage {
		t.Fatalf("exit %d, answered %v: %s", code, n, errs)
	}
	for _, target := range p.seen() {
		if target != "blog.example:"+port {
			t.Errorf("the proxy was asked for %s: only edge probes to the site may use it", target)
		}
	}
	if len(p.seen()) == 0 {
		t.Error("no probe went through the proxy")
	}
	if !strings.Contains(out, "origin probes went straight to 127.0.0.1:"+port+", never through it") {
		t.Error("the report does not say origin probes bypassed the proxy")
	}

	p2 := newConnectProxy(t, srv.Listener.Addr().String())
	_, out, _ = run(map[string]string{"HTTPS_PROXY": "http://127.0.0.1:" + portOf(p2.ln)})
	if len(p2.seen()) == 0 || answered(out)["edge"] == 0 {
		t.Errorf("HTTPS_PROXY not used: %d tunnels", len(p2.seen()))
	}

	p3 := newConnectProxy(t, srv.Listener.Addr().String())
	_, out, _ = run(map[string]string{"HTTPS_PROXY": "http://127.0.0.1:" + portOf(p3.ln), "NO_PROXY": "blog.example"},
		"--resolve", "blog.example:"+port+":127.0.0.1")
	if len(p3.seen()) != 0 || answered(out)["edge"] == 0 {
		t.Errorf("NO_PROXY ignored: %d tunnels", len(p3.seen()))
	}

	if code, _, errs := run(nil, "--proxy", "ftp://user:secret@proxy"); code != ExitUsage || strings.Contains(errs, "secret") {
		t.Errorf("bad --proxy: exit %d %q", code, errs)
	}
}

func portOf(ln net.Listener) string {
	_, p, _ := net.SplitHostPort(ln.Addr().String())
	return p
}

// TestCaptureArgsDropProxyAndQuiet: a capture keeps what the run sent,
// never the proxy (its URL may hold a password) or how it printed.
func TestCaptureArgsDropProxyAndQuiet(t *testing.T) {
	got, _ := captureArgs([]string{"-q", "diagnose", "https://x.example/", "--proxy", "http://u:secret@p:3128", "--quiet", "--proxy=http://p2:1", "-H", "Accept: a, b"})
	want := "diagnose https://x.example/ -H Accept: a, b"
	if strings.Join(got, " ") != want {
		t.Errorf("capture args %q, want %q", got, want)
	}
}
