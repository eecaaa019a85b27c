package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/wp403/wp403/internal/browser"
	"github.com/wp403/wp403/internal/policy"
	"github.com/wp403/wp403/internal/record"
)

// domSide is one side of a before/after pair as the page shows it.
type domSide struct {
	Stop  string     `json:"stop"`
	Empty string     `json:"empty"`
	Cols  []string   `json:"cols"`
	Grid  [][]string `json:"grid"`
}

type domPair struct {
	Change  string  `json:"change"`
	Request string  `json:"request"`
	Before  domSide `json:"before"`
	After   domSide `json:"after"`
}

const readPairs = `Array.from(document.querySelectorAll('section.change')).map(function (s) {
  var side = function (name) {
    var d = s.querySelector('div.side[data-side="' + name + '"]');
    var svg = d.querySelector('svg.layers'), grid = d.querySelector('table.grid'), empty = d.querySelector('p.empty');
    return {
      stop: svg ? svg.getAttribute('data-stop') : '',
      empty: empty ? empty.textContent : '',
      cols: grid ? Array.from(grid.querySelectorAll('thead th[data-col]')).map(function (h) { return h.textContent; }) : [],
      grid: grid ? Array.from(grid.querySelectorAll('tbody tr')).map(function (r) {
        return [r.getAttribute('data-variant')].concat(Array.from(r.querySelectorAll('td')).map(function (c) { return c.getAttribute('data-outcome'); }));
      }) : []
    };
  };
  return {change: s.getAttribute('data-change'), request: s.querySelector('h2 .mono').textContent, before: side('before'), after: side('after')};
})`

// TestSideBySideHTMLInBrowser loads 'wp403 diff -f html' of two recorded
// lab scenarios and 'wp403 retest -f html' of a WAF refusal that a
// loopback site now accepts in headless Chromium, and checks on the DOM
// that each side stops at the layer its report names, that its grid shows
// the finding's edge and origin outcomes, and that the page logs no error
// and fetches nothing.
func TestSideBySideHTMLInBrowser(t *testing.T) {
	needBrowser(t)
	srv := newPageServer(t)
	ctx, stop, err := browser.Start(context.Background(), browser.Options{ProfileDir: t.TempDir(), Width: 1300, Height: 900})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	problems := watchPage(t, ctx)
	artifacts := artifactDir(t)

	a, b, diffHTML := demoDiff(t, "waf-post-content", "edge-strip-authorization")
	old, retestHTML := loopbackRetest(t)
	srv.set("diff", diffHTML)
	srv.set("retest", retestHTML)
	t.Run("diff", func(t *testing.T) {
		pairs := loadPairs(t, ctx, srv.URL+"/diff")
		d := policy.Compare(a, b, "a.json", "b.json")
		if len(pairs) != len(d.Findings) || len(pairs) == 0 {
			t.Fatalf("%d pairs on the page, the diff has %d finding changes", len(pairs), len(d.Findings))
		}
		for i, c := range d.Findings {
			p := pairs[i]
			if p.Change != c.Change || p.Request != c.Request.String() {
				t.Errorf("pair %d is %s %s, the diff says %s %s", i, p.Change, p.Request, c.Change, c.Request)
			}
			checkSide(t, "before", a, c.Before, p.Before)
			checkSide(t, "after", b, c.After, p.After)
		}
		saveScreenshot(t, ctx, filepath.Join(artifacts, "diff.png"))
	})
	t.Run("retest", func(t *testing.T) {
		pairs := loadPairs(t, ctx, srv.URL+"/retest")
		if len(pairs) != 1 || pairs[0].Change != string(record.VerdictFixed) {
			t.Fatalf("retest pairs = %+v, want one fixed", pairs)
		}
		p := pairs[0]
		if p.Before.Stop != string(old.Findings[0].StoppedAt) || p.Before.Stop != "waf" {
			t.Errorf("before stops at %q, the earlier report at %q", p.Before.Stop, old.Findings[0].StoppedAt)
		}
		if p.After.Stop != "" || p.After.Empty == "" {
			t.Errorf("after (fixed) draws stop %q, empty %q", p.After.Stop, p.After.Empty)
		}
		if len(p.After.Grid) == 0 || len(p.After.Grid[0]) < 2 || p.After.Grid[0][1] != "pass" {
			t.Errorf("after grid %v: want the request passing at the edge", p.After.Grid)
		}
		saveScreenshot(t, ctx, filepath.Join(artifacts, "retest.png"))
	})
	srv.checkSelfContained(t)
	for _, p := range problems() {
		t.Error(p)
	}
}

func loadPairs(t *testing.T, ctx context.Context, url string) []domPair {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	pairs, err := chromedp.Run(ctx, chromedp.Evaluate[[]domPair](readPairs))
	if err != nil {
		t.Fatalf("read DOM: %v", err)
	}
	return pairs
}

// checkSide: a side with a finding draws its stop layer and grid; a side
// without one says so.
func checkSide(t *testing.T, name string, rep *record.Report, ref *policy.FindingRef, d domSide) {
	t.Helper()
	if ref == nil {
		if d.Empty == "" || d.Stop != "" {
			t.Errorf("%s: no finding, but the side shows stop %q and no empty sentence", name, d.Stop)
		}
		return
	}
	for i := range rep.Findings {
		if f := &rep.Findings[i]; f.ID == ref.ID {
			dom := domFinding{ID: f.ID, Stop: d.Stop, Grid: d.Grid, Cols: d.Cols}
			checkStop(t, f, dom)
			checkGrid(t, f, dom)
			if len(d.Grid) == 0 {
				t.Errorf("%s %s: no status grid", name, f.ID)
			}
			return
		}
	}
	t.Errorf("%s: finding %s is not in its report", name, ref.ID)
}

// demoDiff saves two demo scenarios as JSON and diffs them as HTML.
func demoDiff(t *testing.T, before, after string) (*record.Report, *record.Report, []byte) {
	t.Helper()
	dir := t.TempDir()
	a, _ := demoReport(t, before)
	b, _ := demoReport(t, after)
	fa, fb := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	for file, r := range map[string]*record.Report{fa: a, fb: b} {
		raw, _ := json.Marshal(r)
		if err := os.WriteFile(file, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "diff.html")
	code, _, errs := runCLI(t, "diff", fa, fb, "--force", "-o", out)
	if code != 3 {
		t.Fatalf("diff exit %d, want 3 (B is worse): %s", code, errs)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return a, b, page
}

// loopbackRetest retests the saved WAF report against a loopback site
// that now accepts the post save, as HTML.
func loopbackRetest(t *testing.T) (*record.Report, []byte) {
	t.Helper()
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(site.Close)
	raw, err := os.ReadFile("../report/testdata/waf-rule.json")
	if err != nil {
		t.Fatal(err)
	}
	var rep record.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	// Sent with an application password, so the loopback site needs no login.
	rep.Target.URL, rep.Target.Origin, rep.Target.Resolve = site.URL+"/", "", nil
	for i := range rep.Observations {
		if o := &rep.Observations[i]; o.Request.Method == "POST" {
			o.Request.Route, o.Request.URL, o.Request.Auth = "/wp/v2/posts", site.URL+"/wp-json/wp/v2/posts", record.AuthAppPassword
		}
	}
	rep.Findings[0].Request.Auth, rep.Findings[0].Related = record.AuthAppPassword, nil
	dir := t.TempDir()
	file, pw := filepath.Join(dir, "report.json"), filepath.Join(dir, "pw")
	b, _ := json.Marshal(&rep)
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pw, []byte("abcd EFGH ijkl MNOP qrst UVWX\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "retest", file, "--user", "editor", "--app-password-file", pw, "--no-waf-replay", "--timeout", "5s", "-f", "html")
	if code != 0 || !strings.Contains(out, `data-change="fixed"`) {
		t.Fatalf("retest -f html exit %d: %s\n%s", code, errs, out)
	}
	return &rep, []byte(out)
}
