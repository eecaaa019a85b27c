package diagnose

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/redact"
	"github.com/wp403/wp403/internal/report"
)

const (
	plantedAppPassword = "abcd EFGH ijkl MNOP qrst UVWX"
	plantedPassword    = "s3cret-Pass+word&x"
	plantedCookie      = "COOKIEsecret0123456789"
	plantedNonce       = "9f8e7d6c5b"
	loginCookie        = "LOGINcookieSECRET987"
	issuedNonce        = "a1b2c3d4e5"
)

// reflector is a hostile server that echoes every credential it receives
// back in headers and bodies, and issues login cookies and nonces.
func reflector(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	switch {
	case strings.HasSuffix(r.URL.Path, "/wp-login.php"):
		http.SetCookie(w, &http.Cookie{Name: "wordpress_logged_in_abc", Value: loginCookie, Path: "/"})
		w.Header().Set("Location", "/wp-admin/")
		w.WriteHeader(http.StatusFound)
		return
	case r.URL.Query().Get("action") == "rest-nonce":
		_, _ = io.WriteString(w, issuedNonce)
		return
	}
	w.Header().Set("X-Echo-Auth", r.Header.Get("Authorization"))
	w.Header().Set("X-Echo-Cookie", r.Header.Get("Cookie"))
	w.Header().Set("X-Echo-Nonce", r.Header.Get("X-WP-Nonce"))
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusForbidden)
	_, _ = io.WriteString(w, "<html>you sent "+r.Header.Get("Authorization")+" "+r.Header.Get("Cookie")+" "+
		r.Header.Get("X-WP-Nonce")+" "+string(body)+" "+r.URL.RawQuery+"</html>")
}

// TestSecretsNeverInOutput plants every kind of secret, has the server
// reflect them, and checks every output format.
func TestSecretsNeverInOutput(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(reflector))
	defer srv.Close()
	cfg := Config{URL: srv.URL, User: "editor", AppPassword: plantedAppPassword, Password: plantedPassword, Scrubber: &redact.Scrubber{},
		Cookie: "wordpress_logged_in_abc=" + plantedCookie, Headers: []string{"X-WP-Nonce: " + plantedNonce},
		Requests: []RequestSpec{{Method: "POST", Route: "/wp/v2/posts", Body: []byte(`{"pwd":"` + plantedPassword + `"}`)}},
		Timeout:  3 * time.Second}
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{plantedAppPassword, strings.ReplaceAll(plantedAppPassword, " ", ""), plantedPassword,
		plantedCookie, plantedNonce, loginCookie, issuedNonce}
	raw, _ := json.Marshal(rep)
	assertNoSecret(t, "report (unrendered)", raw, secrets)
	for _, format := range report.Formats {
		r, err := report.New(format, report.Options{Scrub: cfg.Scrubber})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := r.Render(&buf, rep); err != nil {
			t.Fatal(err)
		}
		assertNoSecret(t, format, buf.Bytes(), secrets)
	}
}

func assertNoSecret(t *testing.T, where string, out []byte, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("%s output contains the secret %q", where, s[:4]+"…")
		}
	}
}

// TestCredentialsNeverCrossRedirectOrHost: a redirect to another host is
// reported, not followed, so the other host receives nothing.
func TestCredentialsNeverCrossRedirectOrHost(t *testing.T) {
	var otherHits atomic.Int32
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("127.0.0.2 not available: %v", err)
	}
	other := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
	})}}
	other.Start()
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusMovedPermanently)
	}))
	defer srv.Close()
	cfg := Config{URL: srv.URL, User: "editor", AppPassword: plantedAppPassword, Timeout: 3 * time.Second,
		Requests: []RequestSpec{{Method: "GET", Route: "/wp/v2/users/me"}}}
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if n := otherHits.Load(); n != 0 {
		t.Errorf("the other host received %d requests", n)
	}
	if f := topBlock(rep); f == nil || f.Mechanism != "redirect" {
		t.Errorf("want a redirect finding, got %+v", f)
	}
	cfg.Requests = []RequestSpec{{Method: "GET", URL: other.URL + "/wp-json/wp/v2/users/me"}}
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "sends nothing to other hosts") {
		t.Errorf("a request to another host: err = %v", err)
	}
	if n := otherHits.Load(); n != 0 {
		t.Errorf("the other host received %d requests", n)
	}
}
