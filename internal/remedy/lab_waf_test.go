package remedy

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/waf"
)

// wafCase is one refused request of a lab WAF scenario, and the requests
// that must stay refused once its exclusion is in place.
type wafCase struct {
	scenario string
	failing  int // index in the truth file's failing list
	still    []labkit.TruthRequest
}

func editor(method, route, body string) labkit.TruthRequest {
	return labkit.TruthRequest{Method: method, Route: route, Auth: "app-password", User: "editor", Body: body}
}

var wafCases = []wafCase{
	{"waf-post-content", 0, []labkit.TruthRequest{
		editor("POST", "/wp/v2/pages", "editor-save.json"),                               // same payload, other route
		editor("POST", "/wp/v2/comments", "editor-save.json"),                            // same payload, other route
		editor("POST", "/wp/v2/posts?note=%3C!--%20wp:paragraph%20--%3E", "benign.json"), // same payload, other parameter
	}},
	{"waf-post-content", 1, nil}, // cookie + nonce: the same exclusion covers the editor itself
	{"waf-put-delete", 0, []labkit.TruthRequest{
		{Method: "DELETE", Route: "/wp/v2/posts/{draft}", Auth: "app-password", User: "administrator"}, // other method
		editor("PUT", "/wp/v2/comments/999999", "update.json"),                                         // other route
	}},
	{"waf-media-upload", 0, []labkit.TruthRequest{
		editor("POST", "/wp/v2/posts", "image.jpg"), // same content type, other route
		{Method: "POST", Route: "/wp/v2/media", Auth: "app-password", User: "editor", Body: "image.jpg", ContentType: "application/x-php"},
	}},
	{"waf-media-upload", 1, []labkit.TruthRequest{ // multipart refused by the base config's 200004
		{Method: "POST", Route: "/wp/v2/posts", Auth: "app-password", User: "editor", Body: "image.jpg", ContentType: "multipart/form-data"},
	}},
	{"waf-scanner-ua", 0, []labkit.TruthRequest{
		{Method: "GET", Route: "/wp/v2/users", Auth: "public", UserAgent: "WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)"},
	}},
	{"apache-waf-post-content", 0, []labkit.TruthRequest{
		editor("POST", "/wp/v2/pages", "editor-save.json"),
		editor("POST", "/wp/v2/posts?note=%3C!--%20wp:paragraph%20--%3E", "benign.json"),
	}},
	{"apache-waf-post-content", 1, []labkit.TruthRequest{
		editor("POST", "/wp/v2/posts", "image.jpg"),
	}},
}

// TestLabWAFExclusions is the proof of issue 6 on the real servers: for each
// refused request of the lab's WAF scenarios it takes the rule ids from the
// server's own audit log, cross-checks them with the Coraza replay, writes
// the generated exclusion into the ModSecurity before-CRS include hook,
// reloads, and checks that the request now passes while the same payload on
// another route, parameter or method is still refused.
func TestLabWAFExclusions(t *testing.T) {
	run := useLab(t)
	for _, wc := range wafCases {
		sc := run.switchTo(wc.scenario)
		tr := sc.Failing[wc.failing]
		t.Run(wc.scenario+"/"+tr.String(), func(t *testing.T) {
			run.proveWAF(t, sc, tr, wc.still)
		})
	}
}

func (r *labRun) proveWAF(t *testing.T, sc labkit.Scenario, tr labkit.TruthRequest, still []labkit.TruthRequest) {
	audit, hookName, engine := r.lab.Logs.ModsecAudit, "modsec-before-crs.conf", "modsecurity-v3"
	if sc.Origin == "apache" {
		audit, hookName, engine = r.lab.Logs.ApacheModsecAudit, "apache-modsec-before-crs.conf", "modsecurity-v2"
	}
	status, rid := r.send(t, "origin", tr)
	if status != 403 {
		t.Fatalf("precondition: %s answered %d, want 403", tr, status)
	}
	entry := r.logged(t, audit, rid)
	ids := scoringIDs(entry.Rules)
	t.Logf("audit log %s: %s %s blocked=%t rules %v targets %v", entry.Engine, entry.Method, entry.URI, entry.Blocked, ids, targetsOf(entry.Rules))
	for _, want := range sc.Rules {
		if slices.Contains(ids, want) {
			goto found
		}
	}
	t.Fatalf("the audit log names %v, none of the truth file's rules %v", ids, sc.Rules)
found:
	r.crossCheck(t, tr, entry)
	route, _, _ := record.ParseRoute(entry.URI, "")
	f := record.Finding{Layer: record.LayerWAF, Mechanism: record.MechWAFRule, Rules: entry.Rules,
		Request: record.Request{Method: entry.Method, Route: route}}
	rs := wafRemedies(For(&f, Context{Server: sc.Origin, WAF: engine, CRS: 3, ContentType: r.contentType(tr)}))
	if len(rs) == 0 || !rs[0].Narrow || rs[0].Snippet == "" {
		t.Fatalf("no narrow exclusion: %+v", rs)
	}
	t.Logf("exclusion (%s):\n%s", rs[0].Product, rs[0].Snippet)
	r.hook(t, hookName, rs[0].Snippet)
	r.expect(t, "origin", tr, "2xx")
	r.expect(t, "edge", tr, "2xx")
	for _, s := range still {
		r.expect(t, "origin", s, "403")
	}
}

// crossCheck replays the same request through Coraza + CRS 4 and checks
// that it names the log's primary rule.
func (r *labRun) crossCheck(t *testing.T, tr labkit.TruthRequest, entry record.LogEntry) {
	t.Helper()
	h := http.Header{}
	h.Set("Host", r.lab.Host)
	h.Set("User-Agent", orDefault(tr.UserAgent, labkit.BrowserUA))
	h.Set("Accept", "application/json, */*;q=0.1")
	var body []byte
	if tr.Body != "" && tr.ContentType != "multipart/form-data" {
		var err error
		if body, err = os.ReadFile(filepath.Join(r.lab.Dir(), "bodies", tr.Body)); err != nil {
			t.Fatal(err)
		}
		h.Set("Content-Type", r.contentType(tr))
	}
	if tr.Auth == "app-password" {
		h.Set("Authorization", "Basic bGFiOnh4eHg=")
	}
	e, err := waf.Shared(waf.Options{Server: waf.Server{Engine: "modsecurity", CRS: "3.3.4"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Replay(context.Background(), waf.Request{Method: entry.Method, URL: entry.URI, Header: h, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	logIDs, replayIDs := scoringIDs(entry.Rules), scoringIDs(res.Rules)
	common := 0
	for _, id := range logIDs {
		if slices.Contains(replayIDs, id) {
			common++
		}
	}
	t.Logf("Coraza replay: blocked=%t score=%d rules %v (log %v, %d in common)", res.Blocked, res.Score, replayIDs, logIDs, common)
	if common == 0 && tr.ContentType != "multipart/form-data" {
		t.Errorf("the Coraza replay (%v) shares no rule with the audit log (%v)", replayIDs, logIDs)
	}
}

func (r *labRun) contentType(tr labkit.TruthRequest) string {
	switch {
	case tr.ContentType != "":
		return tr.ContentType
	case strings.HasSuffix(tr.Body, ".json"):
		return "application/json"
	case strings.HasSuffix(tr.Body, ".jpg"):
		return "image/jpeg"
	}
	return ""
}

// wafRemedies keeps the WAF-layer remedies (a body-parse error rule is
// preceded by the client's content-type fix).
func wafRemedies(rs []record.Remedy) []record.Remedy {
	var out []record.Remedy
	for _, r := range rs {
		if r.Layer == record.LayerWAF {
			out = append(out, r)
		}
	}
	return out
}

func scoringIDs(hs []record.RuleHit) []int {
	var out []int
	for _, h := range hs {
		if scoring(h.ID) && !slices.Contains(out, h.ID) {
			out = append(out, h.ID)
		}
	}
	return out
}

func targetsOf(hs []record.RuleHit) []string {
	var out []string
	for _, h := range hs {
		if scoring(h.ID) && h.Target != "" {
			out = append(out, h.Target)
		}
	}
	return out
}
