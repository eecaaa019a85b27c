package policy

import (
	"context"
	"strconv"
	"testing"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/record"
)

// earlier is a report in which the WAF refused an editor save (with a
// method override and a body) and a login-only request could not be
// re-sent without a password.
func earlier() *record.Report {
	save := record.Request{Method: "POST", Route: "/wp/v2/posts/5", Auth: record.AuthAppPassword}
	cookie := record.Request{Method: "GET", Route: "/wp/v2/users/me", Auth: record.AuthCookieNonce}
	hdr := map[string][]string{"Authorization": {"Basic [redacted]"}, "X-Http-Method-Override": {"PUT"},
		"Content-Type": {"application/json"}, "User-Agent": {"curl/8.0"}, "X-Wp403-Request-Id": {"wp403-x-1"}}
	return &record.Report{Schema: record.SchemaVersion, Command: "diagnose", Target: record.Target{URL: "https://blog.example/", Origin: "10.0.0.1"},
		Observations: []record.Observation{
			{ID: "o1", Probe: "request:1@app-password", Vantage: record.VantageEdge, Expect: "2xx", Response: &record.HTTPResponse{Status: 403},
				Request: record.HTTPRequest{Method: "POST", URL: "https://blog.example/wp-json/wp/v2/posts/5?_locale=user", Route: "/wp/v2/posts/5",
					Auth: record.AuthAppPassword, Header: hdr, Body: `{"content":"<!-- wp:paragraph -->"}`, BodyBytes: 34}},
			{ID: "o2", Probe: "request:1@app-password", Variant: "rest_route", Vantage: record.VantageEdge, Response: &record.HTTPResponse{Status: 200},
				Request: record.HTTPRequest{Method: "POST", URL: "https://blog.example/index.php?rest_route=/wp/v2/posts/5", Route: "/wp/v2/posts/5", Auth: record.AuthAppPassword}},
			{ID: "o3", Probe: "users-me@cookie+nonce", Vantage: record.VantageEdge, Response: &record.HTTPResponse{Status: 403},
				Request: record.HTTPRequest{Method: "GET", URL: "https://blog.example/wp-json/wp/v2/users/me", Route: "/wp/v2/users/me", Auth: record.AuthCookieNonce}},
		},
		Findings: []record.Finding{
			{ID: "f1", Severity: record.SevBlock, Layer: record.LayerWAF, Mechanism: record.MechWAFRule, Request: save, Related: []record.Request{cookie}, Observations: []string{"o1"}},
			{ID: "f2", Severity: record.SevWarn, Layer: record.LayerClient, Mechanism: record.MechNonce, Request: cookie, Observations: []string{"o3"}},
		},
	}
}

func TestFailingRequests(t *testing.T) {
	items := FailingRequests(earlier())
	if len(items) != 2 {
		t.Fatalf("%d items: %+v", len(items), items)
	}
	s := items[0]
	if s.Spec.Method != "POST" || s.Spec.Route != "/wp/v2/posts/5" || s.Spec.Query != "_locale=user" || string(s.Spec.Body) != `{"content":"<!-- wp:paragraph -->"}` {
		t.Errorf("spec %+v", s.Spec)
	}
	if s.Spec.Header.Get("X-Http-Method-Override") != "PUT" || s.Spec.Header.Get("Authorization") != "" || s.Spec.Header.Get("X-Wp403-Request-Id") != "" {
		t.Errorf("headers %v: want the override, without credentials or request ids", s.Spec.Header)
	}
	if s.Spec.ContentType != "application/json" || s.UserAgent != "curl/8.0" || s.Layer != record.LayerWAF || s.Status.Edge != 403 {
		t.Errorf("item %+v", s)
	}
	if items[1].Request.Auth != record.AuthCookieNonce || items[1].Layer != record.LayerWAF {
		t.Errorf("related request %+v", items[1])
	}
}

// fixedSite answers every request 200 except those in refuse, which a
// finding at the given layer explains.
type fixedSite struct {
	refuse map[string]record.Layer
	cfgs   []diagnose.Config
}

func (s *fixedSite) run(_ context.Context, cfg diagnose.Config) (*record.Report, error) {
	s.cfgs = append(s.cfgs, cfg)
	auth := record.AuthNone
	if cfg.AppPassword != "" {
		auth = record.AuthAppPassword
	}
	rep := &record.Report{}
	for i, r := range cfg.Requests {
		st := 200
		l, refused := s.refuse[r.Method+" "+r.Route]
		if refused {
			st = 403
		}
		id := "o" + strconv.Itoa(i+1)
		rep.Observations = append(rep.Observations, record.Observation{ID: id, Probe: "request:" + strconv.Itoa(i+1) + "@" + string(auth),
			Vantage: record.VantageEdge, Request: record.HTTPRequest{Method: r.Method, Route: r.Route, Auth: auth}, Response: &record.HTTPResponse{Status: st}})
		if refused {
			rep.Findings = append(rep.Findings, record.Finding{ID: "f" + id, Severity: record.SevBlock, Layer: l, Mechanism: record.MechAccessRule,
				Request: record.Request{Method: r.Method, Route: r.Route, Auth: auth}, Observations: []string{id}})
		}
	}
	return rep, nil
}

func TestRetestVerdicts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		refuse map[string]record.Layer
		want   record.Verdict
	}{
		{"fixed", nil, record.VerdictFixed},
		{"same layer", map[string]record.Layer{"POST /wp/v2/posts/5": record.LayerWAF}, record.VerdictStillFailing},
		{"elsewhere", map[string]record.Layer{"POST /wp/v2/posts/5": record.LayerEdge}, record.VerdictMoved},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := &fixedSite{refuse: tc.refuse}
			rt := Retester{Base: diagnose.Config{URL: "https://blog.example/", User: "jane", AppPassword: "app pw"}, Diagnose: site.run}
			rep, err := rt.Retest(context.Background(), FailingRequests(earlier()))
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Checks) != 2 || rep.Checks[1].Verdict != record.VerdictNotSent {
				t.Fatalf("checks %+v: want the cookie request not sent (no password)", rep.Checks)
			}
			c := rep.Checks[0]
			if c.Verdict != tc.want || c.Previous != record.LayerWAF || c.Pass != (tc.want == record.VerdictFixed) {
				t.Errorf("check %+v, want %s", c, tc.want)
			}
			if len(site.cfgs) != 1 || site.cfgs[0].UserAgent != "curl/8.0" || site.cfgs[0].Password != "" {
				t.Errorf("configs %+v", site.cfgs)
			}
		})
	}
}
