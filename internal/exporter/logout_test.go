package exporter

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/wp403/wp403/internal/demo"
	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/record"
)

// loginSite is a loopback wp-login.php that keeps a session per login, as
// WordPress's session_tokens do, and ends one the way wp-login.php does:
// ?action=logout without a nonce answers a confirmation page whose link
// carries the log-out nonce, and that link destroys the session.
type loginSite struct {
	mu   sync.Mutex
	live map[string]bool
	n    int
}

func (f *loginSite) nonce(token string) string {
	sum := sha256.Sum256([]byte("log-out" + token))
	return hex.EncodeToString(sum[:])[:10]
}

func (f *loginSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	token := ""
	if c, err := r.Cookie("wordpress_logged_in_abc"); err == nil && f.live[strings.TrimPrefix(c.Value, "lab-editor|")] {
		token = strings.TrimPrefix(c.Value, "lab-editor|")
	}
	switch {
	case r.Method == http.MethodPost && r.FormValue("log") == "lab-editor" && r.FormValue("pwd") != "":
		f.n++
		token = fmt.Sprintf("tok%d", f.n)
		f.live[token] = true
		http.SetCookie(w, &http.Cookie{Name: "wordpress_sec_abc", Value: "lab-editor|" + token, Path: "/wp-admin", HttpOnly: true})
		http.SetCookie(w, &http.Cookie{Name: "wordpress_logged_in_abc", Value: "lab-editor|" + token, Path: "/", HttpOnly: true})
		http.Redirect(w, r, "/wp-admin/", http.StatusFound)
	case r.URL.Query().Get("action") == "logout" && token != "" && r.URL.Query().Get("_wpnonce") == f.nonce(token):
		delete(f.live, token)
		http.SetCookie(w, &http.Cookie{Name: "wordpress_logged_in_abc", Value: " ", MaxAge: -1})
		http.Redirect(w, r, "/wp-login.php?loggedout=true", http.StatusFound)
	case r.URL.Query().Get("action") == "logout" && token != "":
		// The site also offers a link elsewhere: only the nonce is used.
		fmt.Fprintf(w, `<p>You are attempting to log out of Lab. <a href="https://evil.example/x">help</a> Do you really want to <a href="http://blog.example/wp-login.php?action=logout&amp;redirect_to=x&amp;_wpnonce=%s">log out</a>?</p>`, f.nonce(token))
	default:
		fmt.Fprint(w, `<form id="loginform"></form>`)
	}
}

// toLoginSite sends wp-login.php to the loopback login site and
// everything else to rest (the real lab's captured answers).
type toLoginSite struct {
	site *url.URL
	rest http.RoundTripper
	seen []string
	mu   sync.Mutex
}

func (t *toLoginSite) RoundTrip(req *http.Request) (*http.Response, error) {
	if path.Base(req.URL.Path) != "wp-login.php" {
		return t.rest.RoundTrip(req)
	}
	t.mu.Lock()
	t.seen = append(t.seen, req.Method+" "+req.URL.String())
	t.mu.Unlock()
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host, r.RequestURI = t.site.Scheme, t.site.Host, ""
	return http.DefaultTransport.RoundTrip(r)
}

// TestProbeLogsOut: a probe with a login identity leaves no session on the
// site, and never follows a link the site names.
func TestProbeLogsOut(t *testing.T) {
	site := &loginSite{live: map[string]bool{}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	capt, err := demo.Load("healthy")
	if err != nil {
		t.Fatal(err)
	}
	var routed []*toLoginSite
	r := replayRunner(t, "healthy", new(atomic.Int32))
	r.Diagnose = func(ctx context.Context, cfg diagnose.Config) (*record.Report, error) {
		replay, err := diagnose.ReplayWrap(capt)
		if err != nil {
			return nil, err
		}
		watch := cfg.Wrap
		cfg.Wrap = func(v record.Vantage, rt http.RoundTripper) http.RoundTripper {
			split := &toLoginSite{site: u, rest: replay(v, rt)}
			routed = append(routed, split)
			if watch == nil {
				return split
			}
			return watch(v, split)
		}
		return diagnose.Run(ctx, cfg)
	}
	cfg := "sites:\n  - name: lab\n" + labSite + "    identities:\n      browser: {user: lab-editor, password: {env: Y}}\n"
	_, exp := newTestExporter(t, cfg, r)
	code, body := get(t, exp.URL+"/probe?target=lab")
	if code != 200 || site.n == 0 {
		t.Fatalf("status %d, %d logins:\n%s", code, site.n, body)
	}
	if len(site.live) != 0 {
		t.Errorf("%d sessions left open on the site after the probe", len(site.live))
	}
	if !strings.Contains(body, "wp403_probe_logout_success 1") {
		t.Errorf("no logout metric:\n%s", body)
	}
	for _, rt := range routed {
		for _, s := range rt.seen {
			if strings.Contains(s, "evil.example") || strings.Contains(s, "redirect_to") {
				t.Errorf("request built from the site's page: %s", s)
			}
		}
	}
}
