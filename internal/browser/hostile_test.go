package browser

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/redact"
)

// The loopback fake-site suite of issue 23 (items 1-6): a hostile
// wp-login.php and block editor on 127.0.0.1, another origin beside it
// that must never be reached, and the real Chromium walking them.

const (
	hostilePW  = `Pw~*&+'"é-9x`
	hostileRun = "wp403-5eed1234"
	hbNonce    = "HBNONCE12345"
	permaNonce = "PERMANONCE77"
	restNonce  = "RESTNONCE999"
	ajaxToken  = "AJAXTOKEN4242"
)

// fakeAPI is enough of wp.apiFetch for cleanup: the page's own fetch to
// /wp-json, rejecting with the error body as apiFetch does.
const fakeAPI = `<script>
window.wp = {apiFetch: function (o) {
  return fetch('/wp-json' + o.path, {method: o.method || 'GET', credentials: 'same-origin'}).then(function (r) {
    if (o.parse === false) { return r.ok ? r : Promise.reject({status: r.status}); }
    return r.ok ? r.json() : r.json().then(function (b) { return Promise.reject(b); });
  });
}};
wp.apiFetch.nonceMiddleware = {nonce: 'a1b2c3d4e5'};
</script>`

// heartbeat is what wp-admin sends admin-ajax.php every minute, nonces
// in the form and in the answer.
const heartbeat = `<script>
fetch('/wp-admin/admin-ajax.php', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},
  body: '_nonce=` + hbNonce + `&action=heartbeat&data%5Bwp-refresh-post-nonces%5D%5Bpost_id%5D=1&rest_nonce=` + restNonce + `&api_key=` + ajaxToken + `'});
</script>`

type hostileSite struct {
	t        *testing.T
	site     *httptest.Server
	other    *httptest.Server
	mode     string
	mu       sync.Mutex
	otherHit []string
	deleted  []string
}

func newHostile(t *testing.T, mode string) *hostileSite {
	h := &hostileSite{t: t, mode: mode}
	h.other = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		h.mu.Lock()
		h.otherHit = append(h.otherHit, r.Method+" "+r.URL.String()+" "+string(b))
		h.mu.Unlock()
		fmt.Fprint(w, `<html><body><form id="loginform" method="post" action="/wp-login.php"><input id="user_login" name="log"><input id="user_pass" name="pwd" type="password"><input id="wp-submit" type="submit"></form></body></html>`)
	}))
	h.site = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(func() { h.site.Close(); h.other.Close() })
	return h
}

func (h *hostileSite) loginForm(action string) string {
	return `<html><body><form id="loginform" method="post" action="` + action + `"><input id="user_login" name="log"><input id="user_pass" name="pwd" type="password"><input id="wp-submit" type="submit" value="Log In"></form></body></html>`
}

func (h *hostileSite) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/wp-login.php" && h.mode == "redirect":
		http.Redirect(w, r, h.other.URL+"/wp-login.php", http.StatusFound)
	case r.URL.Path == "/wp-login.php" && h.mode == "offsite-form":
		fmt.Fprint(w, h.loginForm(h.other.URL+"/wp-login.php"))
	case r.URL.Path == "/wp-login.php":
		fmt.Fprint(w, h.loginForm("/custom-login")) // a same-host custom login page
	case r.URL.Path == "/custom-login":
		http.SetCookie(w, &http.Cookie{Name: "wordpress_logged_in_x", Value: "editor|1|tok", Path: "/"})
		http.Redirect(w, r, "/wp-admin/", http.StatusFound)
	case r.URL.Path == "/wp-admin/":
		page := `<html><head>` + fakeAPI + heartbeat + `<img src="` + h.other.URL + `/pixel.gif?leak=1"></head><body>admin`
		if h.mode == "download" {
			page += `<a id="dl" href="/export.bin" download>x</a><script>document.getElementById('dl').click()</script>`
		}
		fmt.Fprint(w, page+`</body></html>`)
	case r.URL.Path == "/export.bin", r.URL.Path == "/wp-admin/post-new.php" && h.mode == "download":
		w.Header().Set("Content-Disposition", `attachment; filename="dropped.bin"`)
		w.Header().Set("Content-Type", "application/octet-stream")
		fmt.Fprint(w, "a file the site wanted on the disk")
	case r.URL.Path == "/wp-admin/admin-ajax.php":
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"wp-refresh-post-nonces":{"replace":{"getpermalinknonce":"`+permaNonce+`","_wpnonce":"WPNONCE8888"}},"rest_nonce":"`+restNonce+`x","heartbeat_nonce":"`+hbNonce+`","server_time":1}`)
	case r.URL.Path == "/wp-admin/post-new.php" && h.mode == "hang":
		select { // an editor that never answers
		case <-r.Context().Done():
		case <-time.After(2 * time.Minute):
		}
	case r.URL.Path == "/wp-admin/post-new.php":
		fmt.Fprint(w, `<html><head>`+fakeAPI+`</head><body id="error-page">this is no editor</body></html>`)
	case strings.HasPrefix(r.URL.Path, "/wp-json/wp/v2/"):
		h.rest(w, r)
	default:
		http.NotFound(w, r)
	}
}

// rest answers cleanup: a fuzzy search that returns the run's post and
// two that are not the run's; deletes are recorded.
func (h *hostileSite) rest(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	kind, id, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/wp-json/wp/v2/"), "/")
	switch {
	case id != "":
		h.mu.Lock()
		h.deleted = append(h.deleted, kind+" "+id)
		h.mu.Unlock()
		fmt.Fprint(w, `{"deleted":true}`)
	case h.mode == "searchfail":
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"code":"rest_forbidden","message":"no","data":{"status":403}}`)
	case kind == "posts":
		fmt.Fprint(w, `[{"id":11,"slug":"wp403-retest-`+hostileRun+`","title":{"raw":"wp403 retest `+hostileRun+`"}},`+
			`{"id":12,"slug":"wp403-notes","title":{"raw":"Notes about wp403"}},{"id":13,"slug":"hello","title":{"raw":"Hello world"}}]`)
	default:
		fmt.Fprint(w, `[{"id":40,"slug":"wp403-5eed","title":{"raw":"wp403-5eed"}}]`)
	}
}

func (h *hostileSite) walk(t *testing.T, maxTime time.Duration) (Result, time.Duration) {
	t.Helper()
	if _, err := Find(); err != nil {
		t.Skip(err)
	}
	site, _ := url.Parse(h.site.URL + "/")
	scrub := &redact.Scrubber{}
	scrub.Add(hostilePW)
	cfg := Config{Site: site, User: "editor", Password: hostilePW, RunID: hostileRun, Vantages: []Vantage{{Name: "edge"}},
		Step: 8 * time.Second, Scrub: scrub, Version: "test", MaxTime: maxTime}
	start := time.Now()
	results, err := Walk(context.Background(), cfg)
	if err != nil || len(results) != 1 {
		t.Fatalf("walk: %v (%d results)", err, len(results))
	}
	return results[0], time.Since(start)
}

func stepDetail(r Result, name string) string {
	for _, s := range r.Steps {
		if s.Name == name {
			return s.Detail
		}
	}
	return ""
}

// TestHostileLoginOffOrigin: a wp-login.php that redirects to another
// origin, or whose form posts to one, gets no password, and the step
// names the other origin (item 1).
func TestHostileLoginOffOrigin(t *testing.T) {
	for _, mode := range []string{"redirect", "offsite-form"} {
		t.Run(mode, func(t *testing.T) {
			h := newHostile(t, mode)
			res, _ := h.walk(t, 0)
			other := strings.TrimPrefix(h.other.URL, "http://")
			if d := stepDetail(res, StepLogin); !strings.Contains(d, other) || !strings.Contains(d, "not typed") {
				t.Errorf("login step does not name %s: %q", other, d)
			}
			h.mu.Lock()
			defer h.mu.Unlock()
			for _, hit := range h.otherHit {
				t.Errorf("the other origin was reached: %s", hit)
			}
		})
	}
}

// TestHostileSameOriginLogin: a same-host custom login page. The password
// is typed (same origin), the HAR masks pwd and every nonce, token and
// key field of the heartbeat by name, in the request and the answer
// (item 2); the page's image on another origin is blocked (item 1); the
// fuzzy search's untagged posts are not deleted and are named (item 3).
func TestHostileSameOriginLogin(t *testing.T) {
	h := newHostile(t, "custom")
	res, _ := h.walk(t, 0)
	if d := stepDetail(res, StepLogin); !strings.HasPrefix(d, "logged in") {
		t.Fatalf("login: %q", d)
	}
	har := string(res.HAR)
	if !strings.Contains(har, "admin-ajax.php") {
		t.Fatalf("the heartbeat is not in the HAR: the masking is not exercised\n%s", har)
	}
	for _, secret := range []string{hbNonce, permaNonce, restNonce, "WPNONCE8888", ajaxToken, url.QueryEscape(hostilePW), "pwd=Pw"} {
		if strings.Contains(har, secret) {
			t.Errorf("the HAR keeps %q", secret)
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, hit := range h.otherHit {
		t.Errorf("the other origin was reached: %s", hit)
	}
	if strings.Join(h.deleted, ",") != "posts 11" {
		t.Errorf("deleted %v, want only the run's post 11 (the search also returned 12, 13 and media 40)", h.deleted)
	}
	if d := stepDetail(res, StepClean); !strings.Contains(d, "skipped 2") || !strings.Contains(d, "post 12") || !strings.Contains(d, "media 40") {
		t.Errorf("cleanup does not say what it skipped: %q", d)
	}
}

// TestHostileCleanupSearchRefused: a refused search is said, with what
// may be left (item 3, and 15 for the browser).
func TestHostileCleanupSearchRefused(t *testing.T) {
	h := newHostile(t, "searchfail")
	res, _ := h.walk(t, 0)
	if d := stepDetail(res, StepClean); !strings.Contains(d, "search for this run's posts failed (403)") || !strings.Contains(d, hostileRun) {
		t.Errorf("cleanup: %q", d)
	}
	if len(res.Left) == 0 {
		t.Errorf("nothing listed as possibly left")
	}
}

// TestHostileDownloadDenied: a page that starts a download writes nothing
// to the disk (item 5).
func TestHostileDownloadDenied(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DOWNLOAD_DIR", filepath.Join(home, "Downloads"))
	h := newHostile(t, "download")
	h.walk(t, 0)
	_ = filepath.WalkDir(home, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(d.Name(), "dropped") {
			t.Errorf("the site dropped a file: %s", p)
		}
		return nil
	})
}

// TestHostileMaxTime: an editor that never answers cannot hold the walk
// past --max-time, cleanup included (item 6).
func TestHostileMaxTime(t *testing.T) {
	h := newHostile(t, "hang")
	const maxTime = 12 * time.Second
	res, took := h.walk(t, maxTime)
	if took > maxTime+3*time.Second { // the browser's own start and stop
		t.Errorf("the walk took %s with --max-time %s", took.Round(time.Second), maxTime)
	}
	for _, s := range res.Steps {
		t.Logf("%s %v %q %.0fms", s.Name, s.Pass, s.Detail, s.MS)
	}
	if d := stepDetail(res, StepEditor); !strings.Contains(d, "--max-time") {
		t.Errorf("open-editor: %q", d)
	}
}

// TestSandboxKeptUnlessRoot: Chromium keeps its sandbox unless wp403 runs
// as root (item 4).
func TestSandboxKeptUnlessRoot(t *testing.T) {
	site, _ := url.Parse("http://127.0.0.1:9/")
	o, err := browserOptions(context.Background(), Config{Site: site}, Vantage{Name: "edge"})
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(o.ProfileDir)
	if o.NoSandbox != (os.Geteuid() == 0) {
		t.Errorf("NoSandbox = %v as uid %d", o.NoSandbox, os.Geteuid())
	}
}

// TestCleanupBoundStartsAfterSteps: cleanup gets its own bound when it
// starts, however long the steps took (a slow editor walk must not leave
// cleanup an expired context).
func TestCleanupBoundStartsAfterSteps(t *testing.T) {
	steps, clean, cancel := bounds(context.Background(), context.Background(), time.Time{})
	defer cancel()
	if _, ok := steps.Deadline(); ok {
		t.Errorf("steps without --max-time have a deadline")
	}
	time.Sleep(50 * time.Millisecond)
	cctx, ccancel := clean()
	defer ccancel()
	if dl, ok := cctx.Deadline(); !ok || time.Until(dl) < cleanupBound-time.Second {
		t.Errorf("cleanup deadline %v, want %s from now", dl, cleanupBound)
	}
	deadline := time.Now().Add(3 * time.Second)
	_, clean, cancel2 := bounds(context.Background(), context.Background(), deadline)
	defer cancel2()
	cctx, ccancel = clean()
	defer ccancel()
	if dl, _ := cctx.Deadline(); dl.After(deadline) {
		t.Errorf("cleanup ends %v after --max-time's deadline", dl.Sub(deadline))
	}
}
