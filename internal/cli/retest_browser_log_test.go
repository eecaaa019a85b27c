package cli

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/browser"
	"github.com/wp403/wp403/internal/finish"
	"github.com/wp403/wp403/internal/logscan"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/source"
)

// browserHAR is a browser's recording of an editor save that Cloudflare
// refused: its answer carries the Ray ID that the zone's Logpush
// http_requests sample records for a managed rule.
const browserHAR = `{"log":{"version":"1.2","creator":{"name":"wp403","version":"test"},"entries":[
{"startedDateTime":"2026-12-07T15:00:00.000Z","time":40,
 "request":{"method":"POST","url":"https://blog.example/wp-json/wp/v2/posts/42?_locale=user","httpVersion":"HTTP/2",
  "headers":[{"name":"Content-Type","value":"application/json"},{"name":"X-WP-Nonce","value":"[redacted]"}],"queryString":[],"cookies":[],
  "postData":{"mimeType":"application/json","text":"{\"title\":\"x\"}"},"headersSize":-1,"bodySize":13},
 "response":{"status":403,"statusText":"Forbidden","httpVersion":"HTTP/2",
  "headers":[{"name":"Server","value":"cloudflare"},{"name":"CF-RAY","value":"8f1e2d3c4b5a6978-CDG"},{"name":"Content-Type","value":"text/html; charset=UTF-8"}],
  "cookies":[],"content":{"size":40,"mimeType":"text/html","text":"<html><body>Sorry, you have been blocked</body></html>"},"redirectURL":"","headersSize":-1,"bodySize":40},
 "cache":{},"timings":{"send":1,"wait":38,"receive":1}}]}}`

// TestRetestBrowserEdgeLog: the refusal the browser met is matched to the
// edge's log record by the Ray ID its answer carried, hours away from the
// record's time, and the finding names the managed rule.
func TestRetestBrowserEdgeLog(t *testing.T) {
	site, _ := url.Parse("https://blog.example/")
	cfg := browser.Config{Site: site, User: "editor", Vantages: []browser.Vantage{{Name: "edge", Addr: "192.0.2.1"}}}
	results := []browser.Result{{Vantage: "edge", HAR: []byte(browserHAR)}}
	ev, err := source.Browser(results, cfg, classifier())
	if err != nil {
		t.Fatal(err)
	}
	logs := func(ctx context.Context, obs []record.Observation) ([]record.LogEntry, error) {
		e, _, _, err := logscan.ReadMatching(ctx, []string{"../logscan/testdata/cloudflare-http-requests.documented.ndjson"}, logscan.Options{}, obs, 0)
		return e, err
	}
	rep := finish.Report(context.Background(), ev, finish.Stages{Logs: logs})
	top := firstBlock(rep)
	if top == nil || top.Rule != "edge-log" || top.Layer != record.LayerEdge || len(top.Rules) == 0 ||
		top.Rules[0].Name != "6179ae15870a4bb7b2d480d4843b323c" {
		t.Fatalf("top finding %+v", top)
	}
	if len(top.Remedies) == 0 || top.Remedies[0].Product != "Cloudflare WAF" {
		t.Errorf("remedies %+v, want Cloudflare's skip of the managed rule", top.Remedies)
	}
}

// TestRetestLogNeedsBrowser: --log belongs to --browser; with a report it
// is a usage error, not silently ignored.
func TestRetestLogNeedsBrowser(t *testing.T) {
	code, _, errb := runCLI(t, "retest", "old.json", "--log", "edge.log")
	if code != ExitUsage || !strings.Contains(errb, "only with --browser") {
		t.Errorf("exit %d, stderr %q", code, errb)
	}
}
