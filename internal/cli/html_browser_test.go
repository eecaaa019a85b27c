package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/wp403/wp403/internal/browser"
	"github.com/wp403/wp403/internal/demo"
	"github.com/wp403/wp403/internal/record"
)

// screenshotScenarios are kept as test artifacts: a WAF rule, a header
// lost at the edge, and a plugin.
var screenshotScenarios = map[string]bool{"waf-post-content": true, "edge-strip-authorization": true, "plugin-rest-filter": true}

// domFinding is what the page shows of one finding.
type domFinding struct {
	ID   string     `json:"id"`
	Stop string     `json:"stop"`
	Grid [][]string `json:"grid"` // per row: label, then each cell's outcome
	Cols []string   `json:"cols"`
}

const readDOM = `Array.from(document.querySelectorAll('section.finding')).map(function (s) {
  var svg = s.querySelector('svg.layers');
  var grid = s.querySelector('table.grid');
  return {
    id: s.id,
    stop: svg ? svg.getAttribute('data-stop') : '',
    cols: grid ? Array.from(grid.querySelectorAll('thead th[data-col]')).map(function (h) { return h.textContent; }) : [],
    grid: grid ? Array.from(grid.querySelectorAll('tbody tr')).map(function (r) {
      return [r.getAttribute('data-variant')].concat(Array.from(r.querySelectorAll('td')).map(function (c) { return c.getAttribute('data-outcome'); }));
    }) : []
  };
})`

// TestDemoHTMLInBrowser renders every recorded lab scenario as HTML, loads
// it in headless Chromium and checks, on the DOM, that the layer-path SVG
// stops at the layer the JSON report names and that the status grid shows
// the edge and origin outcomes the finding reports; that the page logs no
// error and fetches nothing; and that its copy button works. Screenshots of
// three scenarios go to $WP403_ARTIFACTS (default: a temporary folder).
func TestDemoHTMLInBrowser(t *testing.T) {
	needBrowser(t)
	srv := newPageServer(t)
	ctx, stop, err := browser.Start(context.Background(), browser.Options{ProfileDir: t.TempDir(), Width: 1100, Height: 900})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	problems := watchPage(t, ctx)
	artifacts := artifactDir(t)
	for _, name := range demo.Names() {
		rep, html := demoReport(t, name)
		srv.set(name, html)
		t.Run(name, func(t *testing.T) {
			checkScenarioPage(t, ctx, srv.URL+"/"+name, rep)
			if screenshotScenarios[name] {
				saveScreenshot(t, ctx, filepath.Join(artifacts, name+".png"))
			}
		})
	}
	srv.checkSelfContained(t)
	for _, p := range problems() {
		t.Error(p)
	}
}

// demoReport runs `wp403 demo NAME` as JSON and as HTML.
func demoReport(t *testing.T, name string) (*record.Report, []byte) {
	t.Helper()
	var rep record.Report
	_, out, errs := runCLI(t, "demo", name, "--format", "json")
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("demo %s --format json: %v\n%s", name, err, errs)
	}
	_, html, _ := runCLI(t, "demo", name, "--format", "html")
	if !strings.Contains(html, "</html>") {
		t.Fatalf("demo %s --format html wrote no page", name)
	}
	return &rep, []byte(html)
}

func checkScenarioPage(t *testing.T, ctx context.Context, url string, rep *record.Report) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]domFinding](readDOM))
	if err != nil {
		t.Fatalf("read DOM: %v", err)
	}
	byID := map[string]domFinding{}
	for _, d := range shown {
		byID[d.ID] = d
	}
	for i := range rep.Findings {
		f := &rep.Findings[i]
		d, ok := byID[f.ID]
		if !ok {
			t.Errorf("finding %s is not on the page", f.ID)
			continue
		}
		checkStop(t, f, d)
		checkGrid(t, f, d)
	}
	if rep.Refusals() > 0 {
		checkCopyButton(t, ctx)
	}
}

// checkStop: a refusal's SVG stops at the layer the report names.
func checkStop(t *testing.T, f *record.Finding, d domFinding) {
	t.Helper()
	want := f.StoppedAt
	if want == "" {
		want = f.Layer
	}
	if f.Severity != record.SevBlock {
		if d.Stop != "" {
			t.Errorf("%s (%s) draws a stop at %q", f.ID, f.Severity, d.Stop)
		}
		return
	}
	if d.Stop != string(want) {
		t.Errorf("%s: the SVG stops at %q, the report says %q", f.ID, d.Stop, want)
	}
}

// checkGrid: the request-as-sent row shows the outcome of the finding's
// status pair at each vantage point.
func checkGrid(t *testing.T, f *record.Finding, d domFinding) {
	t.Helper()
	if len(d.Grid) == 0 {
		return
	}
	if d.Grid[0][0] != "as sent" {
		return // the cited probe was itself a variant
	}
	for j, col := range d.Cols {
		status := map[string]int{"edge": f.Status.Edge, "origin": f.Status.Origin}[col]
		if status == 0 || j+1 >= len(d.Grid[0]) {
			continue
		}
		got := d.Grid[0][j+1]
		want := map[bool]string{true: "refused", false: "pass"}[status >= 400]
		switch {
		case status < 0:
			want = "failed"
		case status >= 300 && status < 400:
			want = "redirect"
		}
		if got != want {
			t.Errorf("%s: grid cell as sent × %s is %q, the report's status is %d", f.ID, col, got, status)
		}
	}
}

// checkCopyButton clicks the first copy button; the script answers.
func checkCopyButton(t *testing.T, ctx context.Context) {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('button.copy').length`))
	if err != nil || n == 0 {
		return
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("button.copy"))); err != nil {
		t.Fatalf("click copy: %v", err)
	}
	label, err := chromedp.Run(ctx, chromedp.Poll[string](`(function(){var t=document.querySelector('button.copy').textContent; return t==='Copy'?null:t;})()`,
		chromedp.WithPollingTimeout(3*time.Second)))
	if err != nil {
		t.Errorf("the copy button did not answer: %v", err)
	} else if label != "Copied" && label != "Select and copy" {
		t.Errorf("copy button says %q", label)
	}
}

// watchPage collects console errors, uncaught exceptions, CSP violations
// and any request for something other than a report page.
func watchPage(t *testing.T, ctx context.Context) func() []string {
	var mu sync.Mutex
	var problems []string
	add := func(s string) { mu.Lock(); problems = append(problems, s); mu.Unlock() }
	chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			add("uncaught exception: " + e.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				add("console " + string(e.Type))
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				add("log " + string(e.Entry.Level) + ": " + e.Entry.Text)
			}
		case *network.EventRequestWillBeSent:
			if u := e.Request.URL; !strings.HasPrefix(u, "http://127.0.0.1") && !strings.HasPrefix(u, "data:") {
				add("request to " + u)
			}
		}
	})
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	return func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), problems...) }
}

func artifactDir(t *testing.T) string {
	dir := os.Getenv("WP403_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "wp403-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func saveScreenshot(t *testing.T, ctx context.Context, file string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", file)
}

// pageServer serves report pages by name from loopback and remembers any
// other path a page asked for (a report must fetch nothing).
type pageServer struct {
	mu      sync.Mutex
	pages   map[string][]byte
	fetched []string
	*httptest.Server
}

func newPageServer(t *testing.T) *pageServer {
	ps := &pageServer{pages: map[string][]byte{}}
	ps.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ps.mu.Lock()
		page, ok := ps.pages[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			ps.fetched = append(ps.fetched, r.URL.Path)
		}
		ps.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	t.Cleanup(ps.Close)
	return ps
}

func (ps *pageServer) set(name string, page []byte) {
	ps.mu.Lock()
	ps.pages[name] = page
	ps.mu.Unlock()
}

// checkSelfContained fails for every path other than the pages themselves.
func (ps *pageServer) checkSelfContained(t *testing.T) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range ps.fetched {
		if p != "/favicon.ico" {
			t.Errorf("a page fetched %s; it must be self-contained", p)
		}
	}
}

// needBrowser skips without -short's browser, and fails in the full run
// (WP403_LAB set), which must have Chromium.
func needBrowser(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	if _, err := browser.Find(); err != nil {
		if os.Getenv("WP403_LAB") != "" {
			t.Fatalf("%v: the full test run needs it", err)
		}
		t.Skip(err)
	}
}
