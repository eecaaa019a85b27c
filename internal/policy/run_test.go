package policy

import (
	"context"
	"strconv"
	"testing"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/record"
)

// fakeSite answers diagnose runs from a table: status by method+route and
// auth kind; a refusal gets a block finding naming layer.
type fakeSite struct {
	status map[string]int          // "GET /wp/v2/users public" → status
	layer  map[string]record.Layer // same key → refusing layer
	runs   []diagnose.Config
}

func (s *fakeSite) diagnose(_ context.Context, cfg diagnose.Config) (*record.Report, error) {
	s.runs = append(s.runs, cfg)
	auth := record.AuthNone
	switch {
	case cfg.AppPassword != "":
		auth = record.AuthAppPassword
	case cfg.Password != "":
		auth = record.AuthCookieNonce
	}
	rep := &record.Report{Schema: record.SchemaVersion, Command: "diagnose", Target: record.Target{URL: cfg.URL, RESTRoot: cfg.URL + "wp-json/"}}
	if cfg.Password == "refused login" {
		rep.Findings = append(rep.Findings, record.Finding{ID: "f1", Severity: record.SevBlock, Layer: record.LayerServer,
			Mechanism: record.MechHTTPAuth, Request: record.Request{Method: "POST", Route: "/wp-login.php"}, Summary: "basic auth on wp-login.php"})
		return rep, nil
	}
	rep.Observations = append(rep.Observations, record.Observation{ID: "o1", Probe: "index", Vantage: record.VantageEdge,
		Request: record.HTTPRequest{Method: "GET", Route: "/", Auth: record.AuthNone}, Response: &record.HTTPResponse{Status: 200}})
	for i, r := range cfg.Requests {
		key := r.Method + " " + r.Route + " " + string(auth)
		st := s.status[key]
		if st == 0 {
			st = 200
		}
		for _, v := range []record.Vantage{record.VantageEdge, record.VantageOrigin} {
			id := "o" + strconv.Itoa(len(rep.Observations)+1)
			rep.Observations = append(rep.Observations, record.Observation{ID: id, Probe: "request:" + strconv.Itoa(i+1) + "@" + string(auth),
				Vantage: v, Request: record.HTTPRequest{Method: r.Method, Route: r.Route, Auth: auth},
				Response: &record.HTTPResponse{Status: st}, Class: &record.Class{REST: true}})
		}
		if l, ok := s.layer[key]; ok {
			n := len(rep.Observations)
			rep.Findings = append(rep.Findings, record.Finding{ID: "f" + strconv.Itoa(len(rep.Findings)+1), Severity: record.SevBlock,
				Layer: l, Mechanism: record.MechAccessRule, Request: record.Request{Method: r.Method, Route: r.Route, Auth: auth},
				Summary: "refused by " + string(l), Observations: []string{rep.Observations[n-2].ID},
				Evidence: []string{rep.Observations[n-2].ID + " edge: 403; not o1x"},
				Remedies: []record.Remedy{{Title: "allow it"}}})
		}
	}
	return rep, nil
}

const runPolicy = `site: {url: "https://blog.example/"}
identities:
  editor: {user: jane, app_password: {env: ED}}
rules:
  - {name: users stay hidden, route: /wp/v2/users, identities: [anonymous], expect: deny}
  - {name: posts are public, route: "/wp/v2/posts?per_page=1", identities: [anonymous], expect: allow}
  - {name: editor reads itself, route: "/wp/v2/users/me?context=edit", identities: [editor], expect: allow}
  - {name: editor saves, route: /wp/v2/posts/999999999, methods: [POST], identities: [editor], expect: allow, reach: wordpress}
  - {name: editor drafts, route: /wp/v2/posts, methods: [POST], identities: [editor], expect: allow, write: true}
`

func TestCheckRun(t *testing.T) {
	p, err := Load([]byte(runPolicy))
	if err != nil {
		t.Fatal(err)
	}
	site := &fakeSite{
		status: map[string]int{"GET /wp/v2/users public": 403, "GET /wp/v2/users/me app-password": 403, "POST /wp/v2/posts/999999999 app-password": 404},
		layer:  map[string]record.Layer{"GET /wp/v2/users public": record.LayerEdge, "GET /wp/v2/users/me app-password": record.LayerServer},
	}
	r := &Runner{Base: diagnose.Config{}, Diagnose: site.diagnose,
		Secret: func(s Secret) (string, error) { return map[string]string{"ED": "abcd efgh"}[s.Env], nil }}
	rep, err := r.Check(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(site.runs) != 2 || site.runs[1].AppPassword != "abcd efgh" || site.runs[1].User != "jane" || site.runs[0].AppPassword != "" {
		t.Fatalf("runs %+v", site.runs)
	}
	if len(site.runs[1].Requests) != 2 {
		t.Errorf("the write rule was sent without --write: %+v", site.runs[1].Requests)
	}
	want := []struct {
		pass    bool
		verdict record.Verdict
		layer   record.Layer
	}{{true, record.VerdictHardening, record.LayerEdge}, {true, record.VerdictHolds, ""}, {false, record.VerdictBroken, record.LayerServer}, {true, record.VerdictHolds, ""}}
	if len(rep.Checks) != len(want) {
		t.Fatalf("%d checks: %+v", len(rep.Checks), rep.Checks)
	}
	for i, w := range want {
		c := rep.Checks[i]
		if c.Pass != w.pass || c.Verdict != w.verdict || c.Layer != w.layer {
			t.Errorf("check %d %q: pass %v verdict %s layer %s, want %v %s %s (%s)", i, c.Name, c.Pass, c.Verdict, c.Layer, w.pass, w.verdict, w.layer, c.Detail)
		}
	}
	broken := rep.Checks[2]
	f := findingByID(rep, broken.Finding)
	if f == nil || f.Severity != record.SevBlock || f.Layer != record.LayerServer {
		t.Fatalf("the broken check does not cite the server finding: %+v", broken)
	}
	if want := f.Observations[0] + " edge: 403; not o1x"; f.Evidence[0] != want {
		t.Errorf("evidence %q, want the renumbered id: %q", f.Evidence[0], want)
	}
	hard := findingByID(rep, rep.Checks[0].Finding)
	if hard == nil || hard.Severity != record.SevInfo || len(hard.Remedies) != 0 || hard.Summary != "Hardening still in place: refused by edge" {
		t.Errorf("hardening finding %+v", hard)
	}
	if rep.Findings[0].Severity != record.SevBlock || rep.Command != "check" {
		t.Errorf("findings not most decisive first: %+v", rep.Findings)
	}
	seen := map[string]bool{}
	for _, o := range rep.Observations {
		if seen[o.ID] {
			t.Errorf("observation id %s twice after merging", o.ID)
		}
		seen[o.ID] = true
	}
	for _, c := range rep.Checks {
		for _, id := range c.Observations {
			if rep.Observation(id) == nil {
				t.Errorf("check %q cites missing %s", c.Name, id)
			}
		}
	}
	if len(rep.Notes) == 0 || rep.Notes[len(rep.Notes)-1] != "1 write check was not run: add --write to create and then delete what they write" {
		t.Errorf("notes %q", rep.Notes)
	}
}

func TestCheckMissingSecret(t *testing.T) {
	p, _ := Load([]byte(runPolicy))
	r := &Runner{Diagnose: (&fakeSite{}).diagnose, Secret: func(Secret) (string, error) { return "", nil }}
	if _, err := r.Check(context.Background(), p); err == nil || err.Error() != "identity editor: $ED is empty or not set" {
		t.Errorf("err = %v", err)
	}
}

func findingByID(rep *record.Report, id string) *record.Finding {
	for i := range rep.Findings {
		if rep.Findings[i].ID == id {
			return &rep.Findings[i]
		}
	}
	return nil
}

// TestCheckLoginRefused: when a login identity cannot log in, its checks
// fail as not sent and cite the finding that says where the login broke.
func TestCheckLoginRefused(t *testing.T) {
	doc := "site: {url: 'https://b.example/'}\nidentities:\n  ed: {user: j, password: {env: P}}\nprofiles:\n  block-editor: [ed]\n"
	p, err := Load([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Diagnose: (&fakeSite{}).diagnose, Secret: func(Secret) (string, error) { return "refused login", nil }}
	rep, err := r.Check(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Checks) != len(Profile("block-editor")) {
		t.Fatalf("%d checks", len(rep.Checks))
	}
	for _, c := range rep.Checks {
		if c.Pass || c.Layer != record.LayerServer || c.Finding == "" || c.Request.Auth != record.AuthCookieNonce {
			t.Errorf("check %+v: want a failure citing the server finding", c)
		}
	}
}
