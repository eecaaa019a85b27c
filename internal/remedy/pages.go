package remedy

import (
	"fmt"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy/quote"
)

// blockPage is the remedy for a branded firewall page: in the refusing
// product's config language when wp403 writes it, else the generic advice
// for its layer with the product's own control.
func blockPage(f *record.Finding, c Context) []record.Remedy {
	p := refuser(f, c)
	switch {
	case p != nil && p.Syntax == "cloudflare":
		c.Edge = p.ID
		return edgeWAF(c)
	case p != nil && p.Syntax == "modsecurity", f.Layer == record.LayerWAF:
		return wafRule(&record.Finding{Layer: record.LayerWAF}, c)
	}
	if f.Layer == record.LayerEdge {
		if p != nil {
			c.Edge = p.ID
		}
		return edgeWAF(c)
	}
	return []record.Remedy{noNarrowFix(f.Layer, orDefault(f.Vendor, "firewall"),
		"the block page does not name a product whose exception syntax is known",
		"look up the page's incident or reference id in that product's log or dashboard and add an exception for "+c.routeDesc()+" and the rule it names only")}
}

func challenge(f *record.Finding, c Context) []record.Remedy {
	if p := refuser(f, c); p != nil && f.Layer == record.LayerEdge {
		c.Edge = p.ID
	}
	switch c.edgeSyntax() {
	case "cloudflare":
		return []record.Remedy{{
			Layer: record.LayerEdge, Product: "Cloudflare", Narrow: true,
			Title:   "Skip the challenge for " + c.routeDesc() + " with WordPress credentials",
			Scope:   "API clients cannot solve challenges; only this route and method with credentials skip it.",
			Snippet: c.cfScope() + "\n",
			Where:   "Security → WAF → Custom rules → Create rule: this expression, action Skip → the custom rule or Super Bot Fight Mode that challenged",
			Caveat:  "Bot Fight Mode (free plan) cannot be skipped by a rule: only switching it off helps there, which is not narrow. " + cfCaveat,
		}}
	case "haproxy", "varnish":
		c.withAuth = c.Auth != record.AuthNone && c.Auth != ""
		return edgeException(c, "challenge")
	}
	return []record.Remedy{noNarrowFix(record.LayerEdge, orDefault(f.Vendor, "edge"),
		"a challenge page answers API clients, which cannot solve it, and this edge's skip syntax is not known",
		"exempt "+c.routeDesc()+" for requests with the wordpress_logged_in_ cookie or an Authorization header in the edge's bot settings"+
			c.controlHint())}
}

func rateLimit(f *record.Finding, c Context) []record.Remedy {
	out := []record.Remedy{{
		Layer: record.LayerClient, Product: "REST client", Narrow: true,
		Title:  "Slow down and honour Retry-After",
		Scope:  "no server change; the limit keeps protecting the site.",
		Caveat: "batch requests (the REST API has /batch/v1 for writes) and back off exponentially on 429/503.",
	}}
	if f.Layer == record.LayerEdge && c.Edge != "" && c.Auth != record.AuthNone && c.Auth != "" {
		c.withAuth = true
		out = append(out, edgeException(c, "rate limit")...)
	}
	if f.Layer == record.LayerServer && c.Server == "nginx" {
		out = append(out, record.Remedy{
			Layer: record.LayerServer, Product: "nginx", Narrow: true,
			Title:   "Give " + c.routeDesc() + " its own burst allowance",
			Scope:   "this route only; the zone's rate is unchanged.",
			Snippet: fmt.Sprintf("location ~ %s {\n    limit_req zone=YOUR_ZONE burst=20 nodelay;\n    try_files $uri $uri/ /index.php$is_args$args;\n}\n", quote.Nginx(c.pathRE())),
			Where:   "the server { } block; YOUR_ZONE is the limit_req_zone that refused",
		})
	}
	return out
}

func lockout(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{{
		Layer: f.Layer, Product: orDefault(c.Plugin, orDefault(f.Vendor, "security plugin")), Narrow: true,
		Title: "Fix the client's credentials, then lift this one lockout",
		Scope: "the locked IP or user only; the lockout policy stays.",
		Caveat: "the lockout follows failed logins: correct the user name or application password first, or it recurs. " +
			"Wordfence: Firewall → Blocking (unblock); Limit Login Attempts: its Logs tab; Solid/iThemes: Security → Dashboard → Lockouts.",
	}}
}

func originLocked(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{noNarrowFix(record.LayerServer, orDefault(c.Server, "origin"),
		"the origin accepts only the edge's addresses by design; nothing should be opened for direct clients",
		"test through the edge (the public URL); to test the origin, add only your own address to its allowlist for the test and remove it after")}
}
