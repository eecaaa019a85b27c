package policy

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/record"
)

var update = flag.Bool("update", false, "rewrite golden files")

func obs(id, method, url string, auth record.AuthKind, v record.Vantage, status int) record.Observation {
	o := record.Observation{ID: id, Probe: "p", Vantage: v, Request: record.HTTPRequest{Method: method, URL: url, Auth: auth}}
	if status > 0 {
		o.Response = &record.HTTPResponse{Status: status}
	} else {
		o.Failure = record.FailConnReset
	}
	return o
}

// beforeAfter is "it broke after we enabled the CDN rule": the users
// route is now refused at the edge, the WAF refusal of the save turned
// into an edge refusal, and an old nonce warning went away.
func beforeAfter() (*record.Report, *record.Report) {
	const root = "https://blog.example.com/wp-json"
	users := record.Request{Method: "GET", Route: "/wp/v2/users/me", Auth: record.AuthAppPassword}
	save := record.Request{Method: "POST", Route: "/wp/v2/posts", Auth: record.AuthCookieNonce}
	a := &record.Report{Schema: record.SchemaVersion, Command: "diagnose", Started: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
		Target: record.Target{URL: "https://blog.example.com/"},
		Observations: []record.Observation{
			obs("o1", "GET", root+"/wp/v2/users/me?context=edit", record.AuthAppPassword, record.VantageEdge, 200),
			obs("o2", "GET", root+"/wp/v2/users/me?context=edit", record.AuthAppPassword, record.VantageOrigin, 200),
			obs("o3", "POST", root+"/wp/v2/posts", record.AuthCookieNonce, record.VantageEdge, 403),
			obs("o4", "GET", root+"/", record.AuthNone, record.VantageEdge, 200),
		},
		Findings: []record.Finding{
			{ID: "f1", Severity: record.SevBlock, Layer: record.LayerWAF, Mechanism: record.MechWAFRule, Vendor: "ModSecurity", Request: save, Summary: "ModSecurity refused the save (941180).", Observations: []string{"o3"}},
			{ID: "f2", Severity: record.SevWarn, Layer: record.LayerClient, Mechanism: record.MechNonce, Request: save, Summary: "The nonce was old.", Observations: []string{"o3"}},
		},
		Checks: []record.Check{{Name: "integration: read the current user", Identity: "editor", Request: users, Expect: record.ExpectAllow, Pass: true, Verdict: record.VerdictHolds}},
	}
	b := &record.Report{Schema: record.SchemaVersion, Command: "diagnose", Started: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC),
		Target: record.Target{URL: "https://blog.example.com/"},
		Observations: []record.Observation{
			obs("o1", "GET", root+"/wp/v2/users/me?context=edit", record.AuthAppPassword, record.VantageEdge, 403),
			obs("o2", "GET", root+"/wp/v2/users/me?context=edit", record.AuthAppPassword, record.VantageOrigin, 200),
			obs("o3", "POST", root+"/wp/v2/posts", record.AuthCookieNonce, record.VantageEdge, 403),
			obs("o4", "GET", root+"/", record.AuthNone, record.VantageEdge, -1),
		},
		Findings: []record.Finding{
			{ID: "f1", Severity: record.SevBlock, Layer: record.LayerEdge, Mechanism: record.MechAccessRule, Vendor: "Cloudflare", Request: users, Summary: "Cloudflare refused users/me with a firewall rule.", Observations: []string{"o1"}},
			{ID: "f2", Severity: record.SevBlock, Layer: record.LayerEdge, Mechanism: record.MechBlockPage, Vendor: "Cloudflare", Request: save, Summary: "Cloudflare's block page answered the save.", Observations: []string{"o3"}},
		},
		Checks: []record.Check{{Name: "integration: read the current user", Identity: "editor", Request: users, Expect: record.ExpectAllow, Pass: false, Verdict: record.VerdictBroken}},
	}
	return a, b
}

func TestDiffGolden(t *testing.T) {
	a, b := beforeAfter()
	d := Compare(a, b, "before.json", "after.json")
	if !d.Worse || len(d.Findings) != 3 || len(d.Statuses) != 2 || len(d.Checks) != 1 {
		t.Errorf("diff %+v", d)
	}
	var text bytes.Buffer
	if err := d.Text(&text); err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "diff.txt", text.Bytes())
	golden(t, "diff.json", append(js, '\n'))
	same := Compare(a, a, "a.json", "a.json")
	if same.Worse || len(same.Findings)+len(same.Statuses)+len(same.Checks) != 0 {
		t.Errorf("a report differs from itself: %+v", same)
	}
	back := Compare(b, a, "after.json", "before.json")
	if back.Worse {
		t.Errorf("going back to the healthy run is not worse: %+v", back)
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update to accept):\n%s", name, got)
	}
}
