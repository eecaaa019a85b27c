package remedy

import (
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

func edgeFinding(vendor, prod string, auth record.AuthKind, rules ...record.RuleHit) *record.Finding {
	return &record.Finding{Rule: "edge-log", Layer: record.LayerEdge, Mechanism: record.MechWAFRule, Vendor: vendor, Product: prod,
		Request: record.Request{Method: "POST", Route: "/wp/v2/posts/42", Auth: auth}, Rules: rules}
}

// TestEdgeRuleFix: an edge-log finding gets the product's exception for
// exactly the rule the log named, scoped to the route, the method and, for
// an application password, the Authorization header.
func TestEdgeRuleFix(t *testing.T) {
	cases := []struct {
		name string
		f    *record.Finding
		want []string // in the first remedy's title, snippet or where
	}{
		{"cloudflare managed", edgeFinding("Cloudflare", "cloudflare", record.AuthAppPassword,
			record.RuleHit{Name: "6179ae15870a4bb7b2d480d4843b323c", Set: "efb7b8c949ac4650a09736fc376e9aee", Kind: "WAF managed rules"}),
			[]string{`"action": "skip"`, `{"efb7b8c949ac4650a09736fc376e9aee":["6179ae15870a4bb7b2d480d4843b323c"]}`,
				`http.request.uri.path matches "^/wp-json/wp/v2/posts/[0-9]+/?$"`, `http.request.method eq "POST"`, "authorization"}},
		{"cloudflare custom", edgeFinding("Cloudflare", "cloudflare", record.AuthAppPassword,
			record.RuleHit{Name: "2a3b4c5d6e7f40718293a4b5c6d7e8f9", Kind: "custom rule"}),
			[]string{"... and not (", "custom rule 2a3b4c5d6e7f40718293a4b5c6d7e8f9", "authorization"}},
		{"aws managed group", edgeFinding("AWS WAF", "aws-waf", record.AuthAppPassword,
			record.RuleHit{Name: "CrossSiteScripting_BODY", Set: "AWS#AWSManagedRulesCommonRuleSet", Kind: "managed rule group"}),
			[]string{"rule: CrossSiteScripting_BODY", "set: AWS#AWSManagedRulesCommonRuleSet", "scope-down statement", "Authorization header"}},
		{"caddy", edgeFinding("Caddy", "caddy-proxy", record.AuthAppPassword,
			record.RuleHit{Name: "edge rule api-writes-with-authorization: REST writes carrying an Authorization header are refused", Kind: "error directive"}),
			[]string{"rule: edge rule api-writes-with-authorization", "`not` matcher", "method: POST"}},
	}
	for _, c := range cases {
		rs := For(c.f, Context{})
		if len(rs) == 0 || !rs[0].Narrow || rs[0].Layer != record.LayerEdge {
			t.Fatalf("%s: %+v", c.name, rs)
		}
		all := rs[0].Title + "\n" + rs[0].Snippet + "\n" + rs[0].Where
		for _, w := range c.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: remedy lacks %q:\n%s", c.name, w, all)
			}
		}
	}
}

// TestEdgeRuleFixHostile: a rule id from a log that is not a rule id
// (quotes, newlines, an expression) never reaches a snippet.
func TestEdgeRuleFixHostile(t *testing.T) {
	bad := "x\" or true or \"\nexpression: evil"
	rs := For(edgeFinding("Cloudflare", "cloudflare", record.AuthAppPassword, record.RuleHit{Name: bad, Kind: "WAF managed rules"}), Context{})
	for _, r := range rs {
		if strings.Contains(r.Snippet, "evil") || strings.Contains(r.Title, "evil") {
			t.Fatalf("hostile rule id in a remedy: %+v", r)
		}
	}
	if len(rs) == 0 {
		t.Fatal("no remedy at all")
	}
}
