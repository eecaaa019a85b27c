package remedy

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/labkit"
)

// A private HAProxy edge: the lab's generated haproxy.cfg for the active
// scenario, bound to its own loopback address, with the scenario's rule
// edited as the remedy says. The lab's include hook comes after the
// scenario's rules, and a deny or del-header there cannot be undone by a
// later line, so the remedy is an edit of that rule and is proven here.
const privEdge = "127.0.96.1:18443"

// edgeConfig rewrites the lab's HAProxy config: private bind address and
// the scenario rule line containing match replaced per the remedy snippet.
func (r *labRun) edgeConfig(t *testing.T, match, snippet string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(r.lab.StateDir, "haproxy", "haproxy.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	edited := false
	for _, l := range strings.Split(string(b), "\n") {
		trim := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(trim, "bind ") && strings.Contains(trim, ":80 "), trim == "bind "+r.lab.Edge+":80":
			continue
		case strings.HasPrefix(trim, "bind ") && strings.Contains(trim, ":443"):
			l = strings.Replace(l, r.lab.Edge+":443", privEdge, 1)
		case strings.HasPrefix(trim, "log stdout"):
			continue
		case !edited && strings.HasPrefix(trim, "http-request") && strings.Contains(trim, match):
			acls, line := applyEdit(t, trim, snippet)
			out = append(out, acls...)
			l, edited = "  "+line, true
		}
		out = append(out, l)
	}
	if !edited {
		t.Fatalf("no rule containing %q in the lab's haproxy.cfg", match)
	}
	return strings.Join(out, "\n")
}

// applyEdit applies a HAProxy remedy to the refusing rule as its snippet
// instructs: the acl lines go before the rule, and the rule's condition is
// rewritten like the snippet's "e.g. … becomes …" example.
func applyEdit(t *testing.T, rule, snippet string) ([]string, string) {
	t.Helper()
	var acls, example []string
	for _, l := range strings.Split(snippet, "\n") {
		switch {
		case strings.HasPrefix(l, "acl "):
			acls = append(acls, "  "+l)
		case strings.HasPrefix(l, "#   "):
			example = append(example, strings.TrimPrefix(l, "#   "))
		}
	}
	if len(example) != 2 {
		t.Fatalf("snippet has no before/after example:\n%s", snippet)
	}
	before, after := example[0], example[1]
	_, exCond, exHasCond := strings.Cut(before, " if ")
	ruleHead, cond, hasCond := strings.Cut(rule, " if ")
	switch {
	case exHasCond && hasCond: // "COND" -> "COND !a || COND !b"
		tmpl := strings.TrimPrefix(after, strings.SplitN(before, " if ", 2)[0]+" if ")
		return acls, ruleHead + " if " + strings.ReplaceAll(tmpl, exCond, cond)
	case !exHasCond && hasCond: // append the new term to the existing condition
		_, added, _ := strings.Cut(after, " if ")
		return acls, rule + " " + added
	case !exHasCond:
		return acls, rule + strings.TrimPrefix(after, before)
	}
	t.Fatalf("cannot apply %q -> %q to %q", before, after, rule)
	return nil, ""
}

// startEdge runs the private HAProxy until the test ends.
func (r *labRun) startEdge(t *testing.T, cfg string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("haproxy", "-c", "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("haproxy -c: %v\n%s\n%s", err, out, cfg)
	}
	busy(t, privEdge)
	cmd := exec.Command("haproxy", "-db", "-f", path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stop(cmd) })
	for i := 0; i < 50; i++ {
		if c, err := net.DialTimeout("tcp", privEdge, 100*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("private edge did not listen on %s", privEdge)
}

// edgeReq is a request to the private edge or straight to the origin.
type edgeReq struct {
	method, path, ua, user, body string
	header                       map[string]string
}

// client is an HTTPS client pinned to addr that presents the site's name
// and trusts the lab CA; it never follows redirects.
func (r *labRun) client(t *testing.T, addr string) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	ca, err := os.ReadFile(r.lab.CA)
	if err != nil || !pool.AppendCertsFromPEM(ca) {
		t.Fatalf("lab CA: %v", err)
	}
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{
		Timeout:       20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: r.lab.Host},
			DialContext: func(ctx context.Context, n, _ string) (net.Conn, error) {
				return d.DialContext(ctx, n, addr)
			},
		},
	}
}

// do sends it pinned to addr with the site's name, and returns the status
// and the request id it carried.
func (r *labRun) do(t *testing.T, addr string, q edgeReq) (int, string) {
	t.Helper()
	c := r.client(t, addr)
	req, err := http.NewRequest(q.method, "https://"+r.lab.Host+q.path, bytes.NewReader([]byte(q.body)))
	if err != nil {
		t.Fatal(err)
	}
	rid := fmt.Sprintf("wp403-remedy-%d", time.Now().UnixNano())
	req.Header.Set("X-WP403-Request-Id", rid)
	req.Header.Set("User-Agent", orDefault(q.ua, labkit.BrowserUA))
	req.Header.Set("Accept", "application/json")
	if q.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range q.header {
		req.Header.Set(k, v)
	}
	if q.user != "" {
		u, err := r.lab.Creds(q.user)
		if err != nil {
			t.Fatal(err)
		}
		req.SetBasicAuth(u.Login, u.AppPassword)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s via %s: %v", q.method, q.path, addr, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, rid
}

func (r *labRun) expectAt(t *testing.T, addr string, q edgeReq, want int) {
	t.Helper()
	if got, _ := r.do(t, addr, q); got != want {
		t.Errorf("%s %s (ua %q, user %q) via %s: %d, want %d", q.method, q.path, q.ua, q.user, addr, got, want)
	} else {
		t.Logf("%s %s (ua %q, user %q) via %s: %d as expected", q.method, q.path, q.ua, q.user, addr, got)
	}
}

// draft creates a draft post for the test and removes the lab's drafts after.
func (r *labRun) draft(t *testing.T, login string) string {
	t.Helper()
	out, err := exec.Command("php", filepath.Join(r.lab.Dir(), "php", "labctl.php"), "draft", login).Output()
	if err != nil {
		t.Fatalf("labctl draft: %v", err)
	}
	t.Cleanup(func() { _ = r.lab.Cleanup(context.Background()) })
	return strings.TrimSpace(string(out))
}

// stop ends a daemon this test started: SIGTERM lets an nginx master take
// its workers down with it; SIGKILL only if it does not exit in 5 s.
func stop(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// busy fails the test when something already listens on addr: a private
// daemon of another run would answer in place of this one.
func busy(t *testing.T, addr string) {
	t.Helper()
	if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
		c.Close()
		t.Fatalf("%s is already in use (another test run?)", addr)
	}
}
