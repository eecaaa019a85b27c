package report

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wp403/wp403/internal/browser"
	"github.com/wp403/wp403/internal/redact"
)

// TestHTMLInBrowser loads the HTML report with planted secrets in headless
// Chromium from a loopback server and checks what a reader sees: the
// verdict, the stop marker on the layer path, no secret anywhere in the
// DOM, and no request for anything but the page. Set WP403_SCREENSHOT to
// a file name to save a full-page PNG for a look.
func TestHTMLInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	if _, err := browser.Find(); err != nil {
		t.Skip(err)
	}
	page := renderSecretHTML(t)
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	defer srv.Close()

	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	checkBrowserPage(t, ctx)
	mu.Lock()
	defer mu.Unlock()
	for _, p := range paths {
		if p != "/" && p != "/favicon.ico" {
			t.Errorf("the page fetched %s; it must be self-contained", p)
		}
	}
}

func renderSecretHTML(t *testing.T) []byte {
	t.Helper()
	scrub := new(redact.Scrubber)
	scrub.Add(plantedAppPassword, plantedCookie, plantedNonce)
	r, err := New("html", Options{Scrub: scrub})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.Render(&buf, secretReport()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// newBrowser starts headless Chromium (internal/browser: private profile,
// no background traffic); it stops when the test ends or after a minute.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	parent, cancelParent := context.WithTimeout(context.Background(), time.Minute)
	ctx, stop, err := browser.Start(parent, browser.Options{ProfileDir: t.TempDir(), Width: 1100, Height: 900})
	if err != nil {
		cancelParent()
		t.Fatal(err)
	}
	t.Cleanup(func() { stop(); cancelParent() })
	return ctx
}

func checkBrowserPage(t *testing.T, ctx context.Context) {
	t.Helper()
	verdict, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("section.block .verdict")))
	if err != nil {
		t.Fatalf("read verdict: %v", err)
	}
	if !strings.HasPrefix(verdict, "ModSecurity with the OWASP CRS on the origin refused the post save") {
		t.Errorf("verdict = %q", verdict)
	}
	stop, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("section.block svg.layers g.hop.stop")))
	if err != nil || !strings.HasPrefix(stop, "waf") {
		t.Errorf("stop hop = %q, %v; want waf", stop, err)
	}
	dom, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		t.Fatalf("read DOM: %v", err)
	}
	for _, form := range secretForms() {
		if strings.Contains(dom, form) {
			t.Errorf("the rendered page contains the secret %q", form)
		}
	}
	if !strings.Contains(dom, redact.Mask) {
		t.Error("the rendered page shows no [redacted] marker")
	}
	if file := os.Getenv("WP403_SCREENSHOT"); file != "" {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if err := os.WriteFile(file, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
