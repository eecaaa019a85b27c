package exporter

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wp403/wp403/internal/demo"
	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/record"
)

// scriptedRunner replays the real lab's captures in the order given, one
// per probe.
func scriptedRunner(t *testing.T, scenarios ...string) *Runner {
	t.Helper()
	var n atomic.Int32
	r := replayRunner(t, "healthy", new(atomic.Int32))
	r.Diagnose = func(ctx context.Context, cfg diagnose.Config) (*record.Report, error) {
		name := scenarios[int(n.Add(1)-1)%len(scenarios)]
		capt, err := demo.Load(name)
		if err != nil {
			return nil, err
		}
		if name == "edge-path-block" { // captured as diagnose --request 'GET /wp/v2/users', anonymous
			spec, err := diagnose.ParseRequest("GET /wp/v2/users")
			if err != nil {
				return nil, err
			}
			cfg.Requests, cfg.User, cfg.AppPassword, cfg.Password = []diagnose.RequestSpec{spec}, "", "", ""
		}
		if cfg.Wrap, err = diagnose.ReplayWrap(capt); err != nil {
			return nil, err
		}
		return diagnose.Run(ctx, cfg)
	}
	return r
}

var cellRe = regexp.MustCompile(`<(a|span) class="c-(ok|fail|error)( gone)?"(?: href="/report\?id=([A-Z2-7]+)")? title="([^"]*)">([A-Z]?)</(?:a|span)>`)

// TestStatusStrip: the status page shows each site's last probes, which
// layer refused, when the state changed, and links each kept report.
func TestStatusStrip(t *testing.T) {
	for _, tc := range []struct {
		history int
		kept    string // per probe, 'k' kept (linked) or '-' gone
	}{{100, "kkkk"}, {1, "---k"}} {
		e, err := New(Options{ConfigPath: writeConfig(t, "sites:\n  - name: lab\n"+labSite+
			"    identities:\n      editor: {user: lab-editor, app_password: {env: X}}\n      browser: {user: lab-editor, password: {env: Y}}\n"), Runner: scriptedRunner(t, "healthy", "healthy", "edge-path-block", "healthy"),
			Vocab: DefaultVocab(), History: tc.history})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(e.Handler())
		defer srv.Close()
		for range 4 {
			if code, body := get(t, srv.URL+"/probe?target=lab"); code != 200 {
				t.Fatalf("probe: %d %s", code, body)
			}
		}
		resp, err := http.Get(srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("status page CSP %q", csp)
		}
		resp.Body.Close()
		_, page := get(t, srv.URL+"/")
		cells := cellRe.FindAllStringSubmatch(page, -1)
		if len(cells) != 4 {
			t.Fatalf("history %d: %d strip cells, want 4:\n%s", tc.history, len(cells), page)
		}
		var states, kept, letters string
		for _, c := range cells {
			states += c[2][:1]
			letters += c[6]
			if c[4] != "" && c[3] == "" {
				kept += "k"
				if code, rep := get(t, srv.URL+"/report?id="+c[4]); code != 200 || !strings.Contains(rep, "<!DOCTYPE html>") {
					t.Errorf("cell report %s: %d", c[4], code)
				}
			} else {
				kept += "-"
			}
		}
		if states != "oofo" || letters != "E" || kept != tc.kept {
			t.Errorf("history %d: states %q letters %q kept %q, want oofo E %s", tc.history, states, letters, kept, tc.kept)
		}
		if !strings.Contains(cells[2][5], "refused by the edge layer") {
			t.Errorf("failed cell title %q", cells[2][5])
		}
		st := e.hist.strips["lab"]
		if !st.Changed.Equal(st.Marks[3].Started) {
			t.Errorf("state changed at %s, want the last probe's start %s", st.Changed, st.Marks[3].Started)
		}
	}
}

// TestStripBounded: a strip keeps the last StripLen probes.
func TestStripBounded(t *testing.T) {
	var s siteStrip
	for i := range StripLen + 5 {
		s.push(mark{ID: string(rune('a' + i)), State: "ok"})
	}
	if len(s.Marks) != StripLen || s.Marks[0].ID != string(rune('a'+5)) {
		t.Fatalf("strip %+v", s.Marks)
	}
}
