package logscan

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/record"
)

func readAll(t *testing.T, names ...string) []record.LogEntry {
	t.Helper()
	var paths []string
	for _, n := range names {
		paths = append(paths, filepath.Join("testdata", n))
	}
	got, _, err := ReadFiles(context.Background(), paths, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestSummaryGroups(t *testing.T) {
	var s Summary
	for _, e := range readAll(t, "modsec3-audit.json") {
		s.Add(e)
	}
	s.Finish()
	if s.Records != 12 || s.Refused != 12 {
		t.Fatalf("requests %d refused %d", s.Records, s.Refused)
	}
	var save *Group
	for _, g := range s.Groups {
		if g.RuleID == 949110 {
			t.Errorf("scoring rule filed as a group although detections exist: %+v", g)
		}
		if g.Method == "POST" && g.Route == "/wp/v2/posts/{id}" && g.RuleID == 941180 {
			save = g
		}
	}
	if save == nil || save.Count != 2 || save.MaxScore != 5 || save.Target != "ARGS:json.content" || save.Rule == "" || len(save.Examples) != 2 {
		t.Fatalf("editor-save group: %+v", save)
	}
}

func TestSummaryAccessOnly(t *testing.T) {
	var s Summary
	for _, e := range readAll(t, "nginx-error.log", "apache-access-common.log") {
		s.Add(e)
	}
	s.Finish()
	var scoring, plain int
	for _, g := range s.Groups {
		switch g.RuleID {
		case 949110:
			scoring += g.Count
		case 0:
			plain += g.Count
		}
	}
	if scoring != 18 || plain != 6 {
		t.Errorf("949110 groups %d requests, status-only %d; groups %+v", scoring, plain, s.Groups)
	}
}

func TestCorrelateByRequestID(t *testing.T) {
	entries := readAll(t, "nginx-access-wp403.log", "nginx-error.log", "modsec3-audit.json")
	obs := []record.Observation{{ID: "o1", RequestID: "gen-4", Request: record.HTTPRequest{Method: "POST", URL: "http://blog.wp403.test/wp-json/wp/v2/posts/1?_locale=user"}}}
	if n := Correlate(obs, entries); n != 1 {
		t.Fatalf("matched %d", n)
	}
	formats := map[string]bool{}
	for _, e := range obs[0].Logs {
		formats[e.Format] = true
	}
	// the access line and audit record carry the id; the error line shares the audit record's unique id
	if len(obs[0].Logs) != 3 || !formats[FmtAccess] || !formats[FmtModsec3JSON] || !formats[FmtNginxError] {
		t.Fatalf("attached %+v", obs[0].Logs)
	}
}

func TestCorrelateByTime(t *testing.T) {
	entries := readAll(t, "apache-error.log")
	save := entries[0]
	obs := []record.Observation{
		{ID: "o1", Time: save.Time.Add(-800 * time.Millisecond), Request: record.HTTPRequest{Method: "POST", URL: "http://blog.wp403.test/wp-json/wp/v2/posts/1"}},
		{ID: "o2", Time: save.Time.Add(time.Hour), Request: record.HTTPRequest{Method: "POST", URL: "http://blog.wp403.test/wp-json/wp/v2/posts/1"}},
		{ID: "o3", Time: save.Time, Request: record.HTTPRequest{Method: "GET", URL: "http://blog.wp403.test/wp-json/wp/v2/settings"}},
	}
	if n := Correlate(obs, entries); n != 1 {
		t.Fatalf("matched %d", n)
	}
	if len(obs[0].Logs) != 1 || obs[0].Logs[0].UniqueID != save.UniqueID || len(obs[1].Logs)+len(obs[2].Logs) != 0 {
		t.Fatalf("logs %+v / %+v / %+v", obs[0].Logs, obs[1].Logs, obs[2].Logs)
	}
}

func TestCorrelateAmbiguousClients(t *testing.T) {
	now := time.Now()
	mk := func(client string) record.LogEntry {
		return record.LogEntry{Source: client, Format: FmtAccess, Time: now, Client: client, Method: "GET", Route: "/wp/v2/posts", Status: 403}
	}
	obs := []record.Observation{{ID: "o1", Time: now, Request: record.HTTPRequest{Method: "GET", URL: "https://x/wp-json/wp/v2/posts"}}}
	if n := Correlate(obs, []record.LogEntry{mk("192.0.2.1"), mk("192.0.2.2")}); n != 0 {
		t.Errorf("attached an entry although two clients match: %+v", obs[0].Logs)
	}
}

// TestLabLogs reads the logs the lab itself wrote (WordPress behind HAProxy
// and nginx+ModSecurity v3, or Apache+mod_security2) and correlates the
// blocked editor save across every log by its request id.
func TestLabLogs(t *testing.T) {
	for _, c := range []struct {
		prefix string
		files  []string
		target string
	}{
		{"lab-nginx", []string{"lab-haproxy.log", "lab-nginx-access.log", "lab-nginx-error.log", "lab-modsec3-audit.json"}, "ARGS:json.content"},
		{"lab-apache", []string{"lab-haproxy-apache.log", "lab-apache-access.log", "lab-apache-error.log", "lab-modsec2-audit.json"}, "ARGS:content"},
	} {
		entries := readAll(t, c.files...)
		obs := []record.Observation{{ID: "save", RequestID: c.prefix + "-2", Request: record.HTTPRequest{Method: "POST", URL: "https://blog.wp403.test/wp-json/wp/v2/posts/1?_locale=user"}}}
		Correlate(obs, entries)
		formats := map[string]bool{}
		var rules []int
		for _, e := range obs[0].Logs {
			formats[e.Format] = true
			if e.Status != 403 {
				t.Errorf("%s: %s entry has status %d", c.prefix, e.Format, e.Status)
			}
			for _, r := range e.Rules {
				if r.ID == 941180 && r.Target != c.target {
					t.Errorf("%s: 941180 on %q", c.prefix, r.Target)
				}
				rules = append(rules, r.ID)
			}
		}
		if len(formats) != 4 || !hasID(rules, 941180) || !hasID(rules, 949110) {
			t.Errorf("%s: formats %v rules %v", c.prefix, formats, rules)
		}
	}
}

// TestSummaryMergesLogs: one refused request recorded by the edge, the
// origin's access log, its error log and its audit log counts once, with
// the edge's client and the audit log's rules.
func TestSummaryMergesLogs(t *testing.T) {
	var s Summary
	for _, e := range readAll(t, "lab-haproxy.log", "lab-nginx-access.log", "lab-nginx-error.log", "lab-modsec3-audit.json") {
		s.Add(e)
	}
	s.Finish()
	if s.Refused != 3 { // the save, the UNION SELECT search, the 401 of context=edit
		t.Fatalf("refused %d, groups:", s.Refused)
	}
	for _, g := range s.Groups {
		if g.RuleID == 941180 && (g.Client != "127.0.0.1" || g.Method != "POST" || g.Count != 1 || g.Engine != "ModSecurity v3" || g.Status != 403) {
			t.Errorf("save group %+v", g)
		}
		if g.RuleID == 0 && g.Status != 401 {
			t.Errorf("a refusal without WAF detail: %+v", g)
		}
	}
}
