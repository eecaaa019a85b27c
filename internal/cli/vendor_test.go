package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/rawhttp"
	"github.com/wp403/wp403/internal/record"
)

// harOf writes a one-entry HAR: a block-editor save of post 1 answered
// with the response of a saved sample (documented vendor pages, lab
// captures), optionally with text inserted before </head>.
func harOf(t *testing.T, sample, insert string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../signature/testdata/samples", sample))
	if err != nil {
		t.Fatal(err)
	}
	x, err := rawhttp.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(x.Response.Body, "</head>", insert+"</head>", 1)
	type nv struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	var hs []nv
	for k, vs := range x.Response.Header {
		for _, v := range vs {
			hs = append(hs, nv{k, v})
		}
	}
	entry := map[string]any{
		"startedDateTime": "2026-11-26T12:40:00.000Z", "time": 10,
		"request": map[string]any{"method": "POST", "url": "https://blog.example/wp-json/wp/v2/posts/1", "httpVersion": "HTTP/1.1",
			"headers": []nv{{"Content-Type", "application/json"}}, "queryString": []nv{}, "cookies": []nv{}, "headersSize": -1, "bodySize": 15,
			"postData": map[string]string{"mimeType": "application/json", "text": `{"title":"x"}`}},
		"response": map[string]any{"status": x.Response.Status, "statusText": "", "httpVersion": "HTTP/1.1", "headers": hs, "cookies": []nv{},
			"content": map[string]any{"size": len(body), "mimeType": "text/html", "text": body}, "redirectURL": "", "headersSize": -1, "bodySize": len(body)},
		"cache": map[string]any{}, "timings": map[string]int{"send": 0, "wait": 10, "receive": 0},
	}
	doc := map[string]any{"log": map[string]any{"version": "1.2", "creator": map[string]string{"name": "test", "version": "1"}, "entries": []any{entry}}}
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.har")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestVendorAllTheWay: when the classifier names the vendor, the finding
// carries it and the first remedy is that vendor's own narrow control
// (never "no narrow fix", never a web-server or ModSecurity snippet for a
// PHP firewall).
func TestVendorAllTheWay(t *testing.T) {
	cases := []struct {
		sample, insert string
		layer          record.Layer
		vendor         string
		product        string
		title          string
	}{
		{"documented/wordfence-blocked-503.http", "", record.LayerPlugin, "Wordfence", "Wordfence", "Remove the Wordfence block"},
		{"documented/wordfence-waf-403.http", "", record.LayerPlugin, "Wordfence", "Wordfence firewall", "Allowlist the route and parameter in Wordfence"},
		{"documented/ninjafirewall-418.http", "", record.LayerPlugin, "NinjaFirewall", "NinjaFirewall", "NinjaFirewall rule"},
		{"documented/shield-block-503.http", "", record.LayerPlugin, "Shield Security", "Shield Security", "Unblock the client's address in Shield"},
		{"documented/sucuri-block.http", "", record.LayerEdge, "Sucuri Website Firewall", "Sucuri Website Firewall", "Allowlist the URL path"},
		{"documented/cloudflare-block-1020.http", "", record.LayerEdge, "Cloudflare", "Cloudflare WAF", "Skip only the matching managed rule"},
		{"documented/jetpack-waf-403.http", "", record.LayerPlugin, "Jetpack Protect", "Jetpack Protect", "Jetpack's firewall"},
		{"lab/scenarios/plugin-block-page-origin.http", `<link rel="stylesheet" href="/wp-content/plugins/acme-firewall/block.css">`,
			record.LayerPlugin, "acme-firewall", "acme-firewall", "in the plugin's firewall or allowlist"},
	}
	for _, tc := range cases {
		t.Run(tc.sample, func(t *testing.T) {
			code, out, errs := runCLI(t, "har", "--format", "json", harOf(t, tc.sample, tc.insert))
			if code != ExitRefusal {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var rep record.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			f := firstBlockFinding(&rep)
			if f == nil {
				t.Fatalf("no block finding in %s", out)
			}
			if f.Layer != tc.layer || f.Vendor != tc.vendor {
				t.Errorf("finding %s/%q, want %s/%q: %s", f.Layer, f.Vendor, tc.layer, tc.vendor, f.Summary)
			}
			if len(f.Remedies) == 0 {
				t.Fatal("no remedy")
			}
			r := f.Remedies[0]
			if r.Product != tc.product || !strings.Contains(r.Title, tc.title) || !r.Narrow {
				t.Errorf("first remedy %q [%s, narrow=%v], want product %q and title with %q", r.Title, r.Product, r.Narrow, tc.product, tc.title)
			}
			for _, r := range f.Remedies {
				if strings.Contains(r.Snippet, "SecRule") || strings.Contains(r.Snippet, "location ") {
					t.Errorf("server or WAF snippet for a %s refusal: %s", tc.vendor, r.Snippet)
				}
			}
		})
	}
}

func firstBlockFinding(rep *record.Report) *record.Finding {
	for i := range rep.Findings {
		if rep.Findings[i].Severity == record.SevBlock {
			return &rep.Findings[i]
		}
	}
	return nil
}
