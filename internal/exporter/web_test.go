package exporter

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/record"
)

// serveExporter serves an exporter on a loopback listener, through Serve
// (the guard and the web configuration), until the test ends.
func serveExporter(t *testing.T, opts Options, config string) (*Exporter, string) {
	t.Helper()
	opts.ConfigPath = writeConfig(t, config)
	e, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	return e, ln.Addr().String()
}

func do(t *testing.T, c *http.Client, method, url string, header http.Header) int {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if h := header.Get("Host"); h != "" {
		req.Host = h
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestScrapeTimeoutBounded: Prometheus's scrape timeout header can only
// shorten a probe (less a margin); a huge, infinite or NaN value leaves the
// configured limit.
func TestScrapeTimeoutBounded(t *testing.T) {
	var left atomic.Int64
	r := replayRunner(t, "healthy", new(atomic.Int32))
	r.Diagnose = func(ctx context.Context, _ diagnose.Config) (*record.Report, error) {
		d, _ := ctx.Deadline()
		left.Store(int64(time.Until(d)))
		return &record.Report{}, nil
	}
	e, err := New(Options{ConfigPath: writeConfig(t, "sites:\n  - name: lab\n"+labSite), Runner: r, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	for _, tc := range []struct {
		header   string
		min, max time.Duration
	}{
		{"30", 2500 * time.Millisecond, 3 * time.Second},
		{"1e12", 2500 * time.Millisecond, 3 * time.Second},
		{"NaN", 2500 * time.Millisecond, 3 * time.Second},
		{"Inf", 2500 * time.Millisecond, 3 * time.Second},
		{"-Inf", 2500 * time.Millisecond, 3 * time.Second},
		{"-5", 2500 * time.Millisecond, 3 * time.Second},
		{"2", 1500 * time.Millisecond, 1800 * time.Millisecond},
	} {
		left.Store(0)
		code := do(t, http.DefaultClient, "GET", srv.URL+"/probe?target=lab", http.Header{"X-Prometheus-Scrape-Timeout-Seconds": {tc.header}})
		if got := time.Duration(left.Load()); code != 200 || got < tc.min || got > tc.max {
			t.Errorf("scrape timeout %s: probe had %s (status %d), want %s..%s", tc.header, got, code, tc.min, tc.max)
		}
	}
}

// TestReloadOffByDefault: /-/reload exists only with Lifecycle, and a
// browser page of another origin cannot POST to it.
func TestReloadOffByDefault(t *testing.T) {
	cfg := "sites:\n  - name: lab\n" + labSite
	_, addr := serveExporter(t, Options{Runner: replayRunner(t, "healthy", new(atomic.Int32))}, cfg)
	if code := do(t, http.DefaultClient, "POST", "http://"+addr+"/-/reload", nil); code != http.StatusNotFound {
		t.Errorf("POST /-/reload without Lifecycle: %d, want 404", code)
	}
	_, addr = serveExporter(t, Options{Runner: replayRunner(t, "healthy", new(atomic.Int32)), Lifecycle: true}, cfg)
	for _, h := range []http.Header{
		{"Origin": {"http://evil.example"}, "Content-Type": {"text/plain"}},
		{"Sec-Fetch-Site": {"cross-site"}},
	} {
		if code := do(t, http.DefaultClient, "POST", "http://"+addr+"/-/reload", h); code != http.StatusForbidden {
			t.Errorf("cross-origin POST /-/reload %v: %d, want 403", h, code)
		}
	}
	if code := do(t, http.DefaultClient, "POST", "http://"+addr+"/-/reload", nil); code != 200 {
		t.Errorf("POST /-/reload from curl: %d", code)
	}
}

// TestHostAndCrossSite: a rebinding DNS name reaches nothing on a loopback
// exporter, and another site's page cannot make it probe.
func TestHostAndCrossSite(t *testing.T) {
	var runs atomic.Int32
	_, addr := serveExporter(t, Options{Runner: replayRunner(t, "healthy", &runs), AllowedHosts: []string{"mon.example"}},
		"sites:\n  - name: lab\n"+labSite)
	_, port, _ := net.SplitHostPort(addr)
	for host, want := range map[string]int{"rebind.evil.example:" + port: http.StatusMisdirectedRequest,
		"localhost:" + port: 200, addr: 200, "mon.example:" + port: 200, "[::1]:" + port: 200} {
		if code := do(t, http.DefaultClient, "GET", "http://"+addr+"/", http.Header{"Host": {host}}); code != want {
			t.Errorf("Host %s: %d, want %d", host, code, want)
		}
	}
	for _, site := range []string{"cross-site", "same-site"} {
		if code := do(t, http.DefaultClient, "GET", "http://"+addr+"/probe?target=lab", http.Header{"Sec-Fetch-Site": {site}}); code != http.StatusForbidden {
			t.Errorf("probe from a %s page: %d, want 403", site, code)
		}
	}
	if runs.Load() != 0 {
		t.Fatalf("%d probes ran for refused requests", runs.Load())
	}
	if code := do(t, http.DefaultClient, "GET", "http://"+addr+"/report?id=1", nil); code != http.StatusNotFound {
		t.Errorf("/report?id=1: %d", code)
	}
}

// TestWebConfig: the Prometheus web configuration's TLS and basic auth
// (exporter-toolkit) guard every endpoint.
func TestWebConfig(t *testing.T) {
	dir := t.TempDir()
	pool := writeCert(t, dir)
	web := filepath.Join(dir, "web.yml")
	doc := "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n" +
		"  prometheus: $2a$10$Rj07XsPe1M8Mmrl5CM0bhOGViAbceK3bQ56xfMEpfZLuyVLLZk0bi\n"
	if err := os.WriteFile(web, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	_, addr := serveExporter(t, Options{Runner: replayRunner(t, "healthy", new(atomic.Int32)), WebConfig: web},
		"sites:\n  - name: lab\n"+labSite)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	base := "https://" + addr
	for _, path := range []string{"/metrics", "/", "/probe?target=lab", "/report?target=lab"} {
		if code := do(t, c, "GET", base+path, nil); code != http.StatusUnauthorized {
			t.Errorf("%s without credentials: %d, want 401", path, code)
		}
	}
	req, _ := http.NewRequest("GET", base+"/metrics", nil)
	req.SetBasicAuth("prometheus", "wrong")
	if resp, err := c.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong password: %v %v", resp, err)
	}
	req.SetBasicAuth("prometheus", "scrape-secret")
	if resp, err := c.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("right password: %v %v", resp, err)
	}
	if resp, err := http.Get("http://" + addr + "/metrics"); err == nil && resp.StatusCode == 200 {
		t.Error("plain HTTP answered on the TLS listener")
	}
	e, err := New(Options{ConfigPath: writeConfig(t, "sites:\n  - name: lab\n"+labSite), WebConfig: filepath.Join(dir, "nope.yml")})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := e.Serve(context.Background(), ln); err == nil || !strings.Contains(err.Error(), "nope.yml") {
		t.Errorf("a missing web configuration: %v", err)
	}
}

// writeCert writes a self-signed certificate for 127.0.0.1 (cert.pem,
// key.pem) and returns a pool trusting it.
func writeCert(t *testing.T, dir string) *x509.CertPool {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "wp403 test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kd, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	for name, b := range map[string][]byte{"cert.pem": certPEM,
		"key.pem": pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd})} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	if !strings.Contains(string(certPEM), "CERTIFICATE") {
		t.Fatal("no certificate")
	}
	return pool
}
