package logscan

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// edgeSample is what each documented sample must yield: its detected
// format, and the refused entry that names the rule.
type edgeSample struct {
	file, format string
	entries      int    // REST entries kept
	route        string // of the refusal
	rule         string // the rule's name (or numeric id) on the refusal
	uniqueID     string // the edge's request id on the refusal
	requestID    string // the X-WP403-Request-Id, where the format logs headers
	status       int
	edge         bool
}

var edgeSamples = []edgeSample{
	{"cloudflare-http-requests.documented.ndjson", FmtCloudflareHTTP, 3, "/wp/v2/posts/42", "6179ae15870a4bb7b2d480d4843b323c", "8f1e2d3c4b5a6978", "wp403-cf-1", 403, true},
	{"cloudflare-events.documented.csv", FmtCloudflareCSV, 2, "/wp/v2/posts/42", "6179ae15870a4bb7b2d480d4843b323c", "8f1e2d3c4b5a6978", "", 403, true},
	{"aws-waf.documented.ndjson", FmtAWSWAF, 3, "/wp/v2/posts/42", "CrossSiteScripting_BODY", "ZkVj1d_4Ha1QGCQHgh8T2w7fBuh4BqwGpjN3XL8mTQ1u2G9wUxgW0w==", "wp403-aws-1", 403, true},
	{"cloud-armor.documented.ndjson", FmtCloudArmor, 2, "/wp/v2/posts/42", "owasp-crs-v030301-id942421-sqli", "", "", 403, true},
	{"azure-frontdoor-waf.documented.ndjson", FmtAzureWAF, 2, "/wp/v2/users/me", "Microsoft_DefaultRuleSet-2.1-PROTOCOL-ENFORCEMENT-920320", "20261207T100001Z-16fb5b8c6dbx7k2mhC1PARrxvn00000004ag00000000a1b2", "", 0, true},
	{"azure-appgw-waf.documented.ndjson", FmtAzureAppGW, 1, "/wp/v2/posts/42", "941160", "a1b2c3d4e5f60718293a4b5c6d7e8f90", "", 0, true},
	{"akamai-siem.documented.ndjson", FmtAkamai, 2, "/wp/v2/posts/42", "3000013", "2ab418ac", "wp403-ak-1", 403, true},
	{"fastly-json.documented.ndjson", FmtFastly, 2, "/wp/v2/users", "", "", "", 403, true},
	{"fastly-ngwaf.documented.ndjson", FmtFastlyNGWAF, 2, "/wp/v2/posts/42", "XSS", "6B4ZfKTuMwRqvL0Tq6H2Xk", "", 406, true},
	{"sucuri-audit.documented.ndjson", FmtSucuri, 2, "/wp/v2/posts/42", "BNP005", "", "", 403, true},
	{"caddy-json.log", FmtCaddy, 2, "/wp/v2/users/1", "edge rule block-user-enumeration", "6zmkzrt0g", "abc123", 403, true},
	{"traefik-json.documented.ndjson", FmtTraefik, 2, "/wp/v2/users", "blog-rest@file", "", "wp403-tr-1", 403, true},
	{"varnishncsa.documented.log", FmtAccess, 2, "/wp/v2/posts/42", "", "", "", 403, false},
	{"litespeed-access.documented.log", FmtAccess, 2, "/wp/v2/posts/42", "", "", "", 403, false},
}

func scanSample(t *testing.T, file string) ([]record.LogEntry, Stats) {
	t.Helper()
	var got []record.LogEntry
	st, err := ScanFile(context.Background(), filepath.Join("testdata", file), Options{}, func(e record.LogEntry) { got = append(got, e) })
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return got, st
}

// TestEdgeSamples: every documented edge format is detected without
// --as, read whole, and its refusal names the rule and the ids.
func TestEdgeSamples(t *testing.T) {
	for _, s := range edgeSamples {
		t.Run(s.file, func(t *testing.T) {
			got, st := scanSample(t, s.file)
			if st.Format != s.format || st.Unparsed != 0 || len(got) != s.entries {
				t.Fatalf("format %q unparsed %d entries %d, want %q 0 %d (samples %v)", st.Format, st.Unparsed, len(got), s.format, s.entries, st.Samples)
			}
			ref := got[0]
			if ref.Route != s.route || (s.status != 0 && ref.Status != s.status) || ref.Edge != s.edge || ref.Time.IsZero() {
				t.Fatalf("first entry %+v", ref)
			}
			if s.edge != (ref.Blocked) {
				t.Errorf("blocked = %v", ref.Blocked)
			}
			if s.rule != "" && (len(ref.Rules) == 0 || ruleName(ref.Rules[0]) != s.rule) {
				t.Errorf("rules %+v, want %s first", ref.Rules, s.rule)
			}
			if ref.UniqueID != s.uniqueID || ref.RequestID != s.requestID {
				t.Errorf("ids %q %q, want %q %q", ref.UniqueID, ref.RequestID, s.uniqueID, s.requestID)
			}
			for _, e := range got {
				if e.Blocked && e.Engine == "" {
					t.Errorf("refusal without engine: %+v", e)
				}
			}
		})
	}
}

func ruleName(h record.RuleHit) string {
	if h.Name != "" {
		return h.Name
	}
	return itoaTest(h.ID)
}

func itoaTest(n int) string {
	if n == 0 {
		return ""
	}
	b := []byte{}
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// TestEdgeSecretsMasked: credentials that the samples carry (an
// Authorization value matched by a rule, cookies in header blocks, a
// nonce in a URI) never come out of a scan.
func TestEdgeSecretsMasked(t *testing.T) {
	secrets := []string{"ZWRpdG9yOnNlY3JldA", "editor%7Csecret", "editor|secret", "nonce=0123456789"}
	for _, s := range edgeSamples {
		got, _ := scanSample(t, s.file)
		for _, e := range got {
			all := strings.Join([]string{e.URI, e.Message, e.UserAgent, e.Host, e.RequestID, e.UniqueID}, " ")
			for _, r := range e.Rules {
				all += " " + r.Message + " " + r.Data + " " + r.Target
			}
			for _, sec := range secrets[:4] {
				if strings.Contains(all, sec) {
					t.Errorf("%s line %d shows a secret %q: %s", s.file, e.Line, sec, all)
				}
			}
		}
	}
}

// TestEdgeDetectionExclusive: no edge sample is read as another format,
// and forcing each edge format on the others' samples yields nothing.
func TestEdgeDetectionExclusive(t *testing.T) {
	for _, f := range edgeFormats {
		for _, s := range edgeSamples {
			if s.format == f.name || !strings.HasSuffix(s.file, "json") {
				continue
			}
			raw, err := os.ReadFile(filepath.Join("testdata", s.file))
			if err != nil {
				t.Fatal(err)
			}
			p := &edgeParser{f: f, all: true}
			for _, l := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
				p.line([]byte(l), 1, func(e record.LogEntry) { t.Errorf("%s read a line of %s: %+v", f.name, s.file, e) })
			}
		}
	}
}
