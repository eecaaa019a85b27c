package verdict

import (
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/signature"
)

// classified is an observation whose class the real classifier computed
// from the given headers and body.
func classified(t *testing.T, probe string, v record.Vantage, status int, h map[string][]string, body string, mods ...mod) record.Observation {
	t.Helper()
	o := ob(probe, v, status, mods...)
	o.Response.Header, o.Response.Body = h, body
	db, err := signature.Default()
	if err != nil {
		t.Fatal(err)
	}
	o.Request.URL = "https://blog.example/wp-json" + o.Request.Route
	o.Class = db.Classify(&o.Request, o.Response)
	return o
}

// TestSureAndWrong: the three single-response answers issue 20 found
// "high" and wrong are no longer high, and say what would settle them.
func TestSureAndWrong(t *testing.T) {
	restJSON := map[string][]string{"Content-Type": {"application/json; charset=UTF-8"},
		"Access-Control-Expose-Headers": {"X-WP-Total, X-WP-TotalPages, Link"}}
	withServer := func(h map[string][]string, s ...string) map[string][]string {
		out := map[string][]string{"Server": s}
		for k, v := range h {
			out[k] = v
		}
		return out
	}
	index := func(s ...string) record.Observation {
		return classified(t, "index", edge, 200, withServer(restJSON, s...), `{"name":"Blog"}`, route("/"))
	}
	for _, c := range []struct {
		name       string
		in         Input
		rule       string
		notLayer   record.Layer
		notSummary string
	}{
		{"private-site-302-to-login", in(index("nginx"), classified(t, asked, edge, 302, map[string][]string{"Server": {"nginx"}, "X-Redirect-By": {"WordPress"},
			"Location": {"https://blog.example/wp-login.php?redirect_to=https%3A%2F%2Fblog.example%2Fwp-json%2Fwp%2Fv2%2Fposts"}}, "")),
			"rest-login-redirect", record.LayerWordPress, ""},
		{"edge-empty-403-edge-server", in(index("Caddy", "nginx"), classified(t, asked, edge, 403, map[string][]string{"Server": {"Caddy"}}, "")),
			"edge-fingerprint", record.LayerServer, ""},
		{"stripped-cookie-no-origin", in(index("nginx"), ob("rest-nonce", edge, 200),
			classified(t, asked, edge, 403, withServer(restJSON, "nginx"), `{"code":"rest_cookie_invalid_nonce","message":"Cookie check failed","data":{"status":403}}`, auth(record.AuthCookieNonce))),
			"nonce-other-session", "", "the cookie itself is valid"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := findingFor(t, Analyze(c.in), asked)
			if f.Rule != c.rule || f.Confidence == record.ConfHigh || f.Layer == c.notLayer {
				t.Errorf("rule %s layer %s confidence %s; want rule %s, not high, not layer %s (%s)", f.Rule, f.Layer, f.Confidence, c.rule, c.notLayer, f.Summary)
			}
			if c.notSummary != "" && strings.Contains(f.Summary, c.notSummary) {
				t.Errorf("summary still says %q: %s", c.notSummary, f.Summary)
			}
			if f.NeedsOrigin == "" && c.rule != "rest-login-redirect" && c.rule != "nonce-other-session" {
				t.Errorf("no needs_origin: %+v", f)
			}
		})
	}
}

func findingFor(t *testing.T, r Result, probe string) record.Finding {
	t.Helper()
	for _, f := range r.Findings {
		if f.Request.Route == "/wp/v2/posts" {
			return f
		}
	}
	t.Fatalf("no finding for %s: %+v", probe, r.Findings)
	return record.Finding{}
}
