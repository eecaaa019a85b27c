package logscan

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// TestEdgeCorrelateByID: a refusal is matched to the edge's log record by
// the id the edge put on its answer (a header, or the block page's
// reference), even hours away from the record's time, where matching by
// time could not; without that id nothing is attached.
func TestEdgeCorrelateByID(t *testing.T) {
	cases := []struct {
		file, url string
		header    map[string][]string
		incident  string
		want      string // the rule named by the attached entry
	}{
		{"cloudflare-http-requests.documented.ndjson", "https://blog.example/wp-json/wp/v2/posts/42", map[string][]string{"Cf-Ray": {"8f1e2d3c4b5a6978-CDG"}}, "", "6179ae15870a4bb7b2d480d4843b323c"},
		{"cloudflare-events.documented.csv", "https://blog.example/wp-json/wp/v2/posts/42", nil, "8f1e2d3c4b5a6978", "6179ae15870a4bb7b2d480d4843b323c"},
		{"cloudflare-firewall-logpush.documented.ndjson", "", nil, "", ""}, // covered by the existing tests
		{"aws-waf.documented.ndjson", "https://blog.example/wp-json/wp/v2/posts/42", map[string][]string{"X-Amz-Cf-Id": {"ZkVj1d_4Ha1QGCQHgh8T2w7fBuh4BqwGpjN3XL8mTQ1u2G9wUxgW0w=="}}, "", "CrossSiteScripting_BODY"},
		{"aws-waf.documented.ndjson", "https://blog.example/wp-json/wp/v2/media", map[string][]string{"X-Amzn-Trace-Id": {"Root=1-67a1b2c3-0123456789abcdef01234567"}}, "", "block-authorization-header"},
		{"azure-frontdoor-waf.documented.ndjson", "https://blog.example/wp-json/wp/v2/users/me", map[string][]string{"X-Azure-Ref": {"20261207T100001Z-16fb5b8c6dbx7k2mhC1PARrxvn00000004ag00000000a1b2"}}, "", "Microsoft_DefaultRuleSet-2.1-PROTOCOL-ENFORCEMENT-920320"},
		{"akamai-siem.documented.ndjson", "https://blog.example/wp-json/wp/v2/posts/42", nil, "18.2d351ab8.1796637601.2ab418ac", "3000013"},
		{"fastly-ngwaf.documented.ndjson", "https://blog.example/wp-json/wp/v2/posts/42", map[string][]string{"X-Sigsci-Requestid": {"6B4ZfKTuMwRqvL0Tq6H2Xk"}}, "", "XSS"},
	}
	for _, c := range cases {
		if c.url == "" {
			continue
		}
		mk := func(withID bool) []record.Observation {
			o := record.Observation{ID: "o1", Time: time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC), // hours after the records
				Request: record.HTTPRequest{Method: "POST", URL: c.url}, Response: &record.HTTPResponse{Status: 403}}
			if withID {
				o.Response.Header = c.header
				if c.incident != "" {
					o.Class = &record.Class{Incident: c.incident}
				}
			}
			return []record.Observation{o}
		}
		obs := mk(true)
		got, _, _, err := ReadMatching(context.Background(), []string{filepath.Join("testdata", c.file)}, Options{}, obs, 0)
		if err != nil || len(got) != 1 || len(obs[0].Logs) != 1 {
			t.Fatalf("%s: %v, %d entries attached", c.file, err, len(got))
		}
		if e := obs[0].Logs[0]; !e.Edge || !e.Blocked || len(e.Rules) == 0 || ruleName(e.Rules[0]) != c.want {
			t.Errorf("%s: attached %+v, want rule %s", c.file, e, c.want)
		}
		bare := mk(false)
		if got, _, _, _ := ReadMatching(context.Background(), []string{filepath.Join("testdata", c.file)}, Options{}, bare, 0); len(got) != 0 {
			t.Errorf("%s: attached %d entries without the edge's id", c.file, len(got))
		}
	}
}

// TestEdgeCorrelateByTime: formats without a request id (Cloud Armor,
// Fastly's JSON log, Sucuri's audit trail) are matched by time, route,
// method and client, as access logs are.
func TestEdgeCorrelateByTime(t *testing.T) {
	for _, c := range []struct{ file, url, method string }{
		{"cloud-armor.documented.ndjson", "https://blog.example/wp-json/wp/v2/posts/42?_locale=user", "POST"},
		{"fastly-json.documented.ndjson", "https://blog.example/wp-json/wp/v2/users?context=edit", "GET"},
		{"sucuri-audit.documented.ndjson", "https://blog.example/wp-json/wp/v2/posts/42?_locale=user", "POST"},
	} {
		obs := []record.Observation{{ID: "o1", Time: time.Date(2026, 12, 7, 10, 0, 2, 0, time.UTC),
			Request: record.HTTPRequest{Method: c.method, URL: c.url}, Response: &record.HTTPResponse{Status: 403}}}
		got, _, _, err := ReadMatching(context.Background(), []string{filepath.Join("testdata", c.file)}, Options{}, obs, 0)
		if err != nil || len(got) != 1 || !got[0].Blocked || !got[0].Edge {
			t.Errorf("%s: %v %+v", c.file, err, got)
		}
	}
}
