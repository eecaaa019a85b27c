package exporter

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/demo"
	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/policy"
	"github.com/wp403/wp403/internal/product"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/signature"
)

// site returns a configuration entry for the lab site as captured.
const labSite = `    url: https://blog.wp403.test/
    origin: 127.0.81.1
    resolve: [blog.wp403.test:443:127.0.80.1]
`

// replayRunner answers every probe from a capture of the real lab and
// counts the diagnoses it ran.
func replayRunner(t *testing.T, scenario string, runs *atomic.Int32) *Runner {
	t.Helper()
	capt, err := demo.Load(scenario)
	if err != nil {
		t.Fatal(err)
	}
	db, err := signature.Default()
	if err != nil {
		t.Fatal(err)
	}
	return &Runner{
		Base: diagnose.Config{Classifier: db},
		Secret: func(string) func(policy.Secret) (string, error) {
			return func(s policy.Secret) (string, error) { return "demo demo demo demo demo demo", nil }
		},
		Diagnose: func(ctx context.Context, cfg diagnose.Config) (*record.Report, error) {
			runs.Add(1)
			wrap, err := diagnose.ReplayWrap(capt)
			if err != nil {
				return nil, err
			}
			cfg.Wrap = wrap
			return diagnose.Run(ctx, cfg)
		},
	}
}

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sites.yaml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func newTestExporter(t *testing.T, config string, r *Runner) (*Exporter, *httptest.Server) {
	t.Helper()
	e, err := New(Options{ConfigPath: writeConfig(t, config), Runner: r, Vocab: NewVocab(product.Default()), Lifecycle: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	return e, srv
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestUnknownTargetSendsNothing: only configured sites can be probed.
func TestUnknownTargetSendsNothing(t *testing.T) {
	var runs atomic.Int32
	_, srv := newTestExporter(t, "sites:\n  - name: lab\n"+labSite, replayRunner(t, "healthy", &runs))
	for _, q := range []string{"target=https://evil.example/", "target=", "target=lab2", "target=lab&module=policy", "target=lab&module=x"} {
		if code, _ := get(t, srv.URL+"/probe?"+q); code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", q, code)
		}
	}
	if runs.Load() != 0 {
		t.Fatalf("%d diagnoses ran for refused probes", runs.Load())
	}
}

// TestProbeHealthyDefaultPlan replays the healthy lab through the default
// plan: success, statuses of the planned routes, no refusal.
func TestProbeHealthyDefaultPlan(t *testing.T) {
	var runs atomic.Int32
	cfg := "sites:\n  - name: lab\n" + labSite + "    identities:\n      editor: {user: lab-editor, app_password: {env: X}}\n      browser: {user: lab-editor, password: {env: Y}}\n"
	_, srv := newTestExporter(t, cfg, replayRunner(t, "healthy", &runs))
	code, body := get(t, srv.URL+"/probe?target=lab")
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	for _, want := range []string{"wp403_probe_success 1", `wp403_status{auth="app-password",method="GET",route="/wp/v2/users/me",vantage="edge"} 200`,
		`wp403_status{auth="cookie+nonce",method="GET",route="/wp/v2/users/me",vantage="edge"} 200`} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %s in\n%s", want, body)
		}
	}
	if strings.Contains(body, "wp403_refusal{") {
		t.Errorf("refusal on the healthy lab:\n%s", body)
	}
	// The default plan asks the origin only about what the edge refused.
	if strings.Contains(body, `vantage="origin"`) {
		t.Errorf("origin statuses on the healthy lab, where nothing was refused:\n%s", body)
	}
	_, page := get(t, srv.URL+"/")
	m := regexp.MustCompile(`href="/report\?id=([A-Z2-7]{26})"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("status page lists no probe:\n%s", page)
	}
	if code, rep := get(t, srv.URL+"/report?id="+m[1]); code != 200 || !strings.Contains(rep, "<!DOCTYPE html>") {
		t.Fatalf("report page: %d", code)
	}
}

// TestProbeRefusalPolicy replays the lab's edge-path-block scenario
// through a policy: the failing check and the refusal name the edge.
func TestProbeRefusalPolicy(t *testing.T) {
	var runs atomic.Int32
	cfg := "sites:\n  - name: lab\n" + labSite + "    rules:\n      - {name: list users, route: /wp/v2/users, identities: [anonymous], expect: allow}\n"
	_, srv := newTestExporter(t, cfg, replayRunner(t, "edge-path-block", &runs))
	_, body := get(t, srv.URL+"/probe?target=lab")
	for _, want := range []string{"wp403_probe_success 0",
		`wp403_check_pass{expect="allow",identity="anonymous",layer="edge",method="GET",rule="list users"} 0`,
		`wp403_refusal{auth="public",layer="edge",mechanism="access-rule",method="GET",route="/wp/v2/users",vendor="HAProxy"} 1`,
		`wp403_status{auth="public",method="GET",route="/wp/v2/users",vantage="edge"} 403`} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %s in\n%s", want, body)
		}
	}
	if code, rep := get(t, srv.URL+"/report?target=lab"); code != 200 || !strings.Contains(rep, "edge") {
		t.Fatalf("report of the failing probe: %d", code)
	}
}

// TestLabelsBounded: a route, vendor or layer outside the configuration
// and the closed vocabularies becomes "other".
func TestLabelsBounded(t *testing.T) {
	v := NewVocab(product.Default())
	allowed := map[string]bool{"/wp/v2/posts": true}
	if route("/wp/v2/users/12345", allowed) != other || route("/wp/v2/posts", allowed) != "/wp/v2/posts" {
		t.Error("route not bounded")
	}
	for _, c := range []struct {
		f    record.Finding
		want string
	}{
		{record.Finding{Vendor: "Evil <script>", Product: "evil"}, other},
		{record.Finding{Vendor: "Evil <script>"}, other},
		{record.Finding{Vendor: "haproxy-ish", Product: "haproxy"}, "HAProxy"}, // the registry's name, by id
		{record.Finding{}, ""},
	} {
		if got := v.vendor(&c.f); got != c.want {
			t.Errorf("vendor label of %+v = %q, want %q", c.f, got, c.want)
		}
	}
	if layer("x-layer") != other || mechanism("x") != other || auth("x") != other {
		t.Error("layer, mechanism or auth not bounded")
	}
}

// TestReload: POST /-/reload picks up a new site; a broken file keeps
// the old configuration.
func TestReload(t *testing.T) {
	var runs atomic.Int32
	e, srv := newTestExporter(t, "sites:\n  - name: lab\n"+labSite, replayRunner(t, "healthy", &runs))
	if err := os.WriteFile(e.opts.ConfigPath, []byte("sites:\n  - name: lab\n"+labSite+"  - name: lab2\n"+labSite), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _ := get(t, srv.URL+"/-/reload"); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /-/reload: %d", code)
	}
	resp, err := http.Post(srv.URL+"/-/reload", "", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("reload: %v %v", err, resp)
	}
	if _, ok := e.config.Load().Site("lab2"); !ok {
		t.Fatal("lab2 not loaded")
	}
	if err := os.WriteFile(e.opts.ConfigPath, []byte("sites: [{name: x, url: ftp://a}]"), 0o600); err != nil {
		t.Fatal(err)
	}
	if resp, _ := http.Post(srv.URL+"/-/reload", "", nil); resp.StatusCode != 500 {
		t.Fatalf("broken reload: %d", resp.StatusCode)
	}
	if _, ok := e.config.Load().Site("lab2"); !ok {
		t.Fatal("a broken reload dropped the configuration")
	}
}

// TestProbeNoAnswer: a site that answers nothing is a failed probe with
// its problem named, not a passing one.
func TestProbeNoAnswer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more
	r := &Runner{Base: diagnose.Config{Timeout: 2 * time.Second},
		Secret: func(string) func(policy.Secret) (string, error) { return nil }}
	_, srv := newTestExporter(t, "sites:\n  - {name: gone, url: 'http://"+addr+"/'}\n", r)
	_, body := get(t, srv.URL+"/probe?target=gone")
	for _, want := range []string{"wp403_probe_success 0", `wp403_probe_problem{kind="no-answer"} 1`} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %s in\n%s", want, body)
		}
	}
	if _, page := get(t, srv.URL+"/"); !strings.Contains(page, "error: No request got an answer") {
		t.Errorf("status page does not say why:\n%s", page)
	}
}

// TestReloadOnSignal: what SIGHUP delivers to Options.Reload reloads.
func TestReloadOnSignal(t *testing.T) {
	var runs atomic.Int32
	hup := make(chan os.Signal, 1)
	path := writeConfig(t, "sites:\n  - name: lab\n"+labSite)
	e, err := New(Options{ConfigPath: path, Runner: replayRunner(t, "healthy", &runs), Reload: hup})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = e.Serve(ctx, ln); close(done) }()
	defer func() { cancel(); <-done }()
	if err := os.WriteFile(path, []byte("sites:\n  - name: other\n"+labSite), 0o600); err != nil {
		t.Fatal(err)
	}
	hup <- syscall.SIGHUP
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, ok := e.config.Load().Site("other"); ok {
			if code, _ := get(t, "http://"+ln.Addr().String()+"/probe?target=lab"); code != http.StatusBadRequest {
				t.Fatalf("a site removed by the reload is still probed: %d", code)
			}
			return
		}
	}
	t.Fatal("SIGHUP did not reload the configuration")
}

// TestRefusedCoversEveryRequest: one finding per cause still gives one
// refusal series per auth kind and related request.
func TestRefusedCoversEveryRequest(t *testing.T) {
	f := record.Finding{Request: record.Request{Method: "GET", Route: "/wp/v2/users/me", Auth: record.AuthAppPassword},
		Auths:   []record.AuthKind{record.AuthAppPassword, record.AuthCookieNonce},
		Related: []record.Request{{Method: "GET", Route: "/wp/v2/users", Auth: record.AuthNone}}}
	got := refused(f)
	if len(got) != 3 || got[1].Auth != record.AuthCookieNonce || got[2].Route != "/wp/v2/users" {
		t.Fatalf("refused = %+v", got)
	}
}
