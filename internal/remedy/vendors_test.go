package remedy

import (
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/product"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/signature"
)

// TestLookupExact: a context value finds a product by its exact id,
// plugin directory or name, never by a substring of another name.
func TestLookupExact(t *testing.T) {
	for name, want := range map[string]string{
		"Disable REST API":         "disable-json-api",
		"disable-rest-api-soil":    "soil",
		"Roots Soil":               "soil",
		"disable-rest-api":         "disable-json-api", // DRA's vendor name, not Soil's feature
		"Solid Security (iThemes)": "solid-security",
		"better-wp-security":       "solid-security",
		"  WORDFENCE ":             "wordfence",
		"wordfence-assistant":      "",
		"Wordfence Login":          "",
		"sucuri":                   "sucuri-firewall",
		"Sucuri Website Firewall":  "sucuri-firewall",
		"Sucuri Security":          "sucuri-security",
		"wp-simple-firewall":       "shield",
	} {
		got := ""
		if p := lookup(name); p != nil {
			got = p.ID
		}
		if got != want {
			t.Errorf("lookup(%q) = %q, want %q", name, got, want)
		}
	}
	for code, want := range map[string]string{"aios_user_lists_forbidden": "aios", "nfw_rest_api_access_restricted": "ninjafirewall", "rest_cannot_access": ""} {
		f := finding(PL, record.MechRESTDisabled, "", "GET", "/wp/v2/users", record.AuthNone)
		got := ""
		if p := refuser(&f, Context{Code: code}); p != nil {
			got = p.ID
		}
		if got != want {
			t.Errorf("code %q: product %q, want %q", code, got, want)
		}
	}
	if s := pluginSetting("disable-rest-api", "rest"); strings.Contains(s, "soil") || !strings.Contains(s, "Disable REST API") {
		t.Errorf("disable-rest-api got Soil's fix: %s", s)
	}
}

// TestRegistryCrossCheck: every product the code names by id exists, every
// config language of the registry is one remedy writes, every registry fix
// renders complete and narrow, and every plugin refusal of the signature
// database gets a plugin remedy (never a server or WAF snippet).
func TestRegistryCrossCheck(t *testing.T) {
	for _, id := range []string{"cloudflare", "haproxy", "varnish", "nginx", "apache", "litespeed"} {
		if product.ByID(id) == nil {
			t.Errorf("remedy names product %q, which the registry lacks", id)
		}
	}
	for lang := range syntaxFixes {
		if !containsStr(product.Syntaxes, lang) {
			t.Errorf("syntaxFixes writes %q, not a registry syntax", lang)
		}
	}
	for _, p := range product.Default().All() {
		for mech := range p.Fixes {
			f := finding(p.Layer, mech, "", "POST", post, app)
			f.Product = p.ID
			rs := For(&f, Context{})
			if len(rs) == 0 || rs[0].Product == "" || !strings.HasPrefix(rs[0].Product, p.Name[:3]) {
				t.Errorf("%s/%s: the registry fix is not the first remedy: %+v", p.ID, mech, rs)
			}
			for _, r := range rs[:1] {
				if !r.Narrow || r.Title == "" || r.Scope == "" || r.Where == "" || r.Caveat == "" || strings.Contains(r.Title+r.Snippet, "{") {
					t.Errorf("%s/%s: incomplete remedy %+v", p.ID, mech, r)
				}
			}
		}
	}
	db, err := signature.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range db.Signatures() {
		if s.Layer != record.LayerPlugin || s.Kind != record.KindRefusal {
			continue
		}
		f := finding(PL, s.Mechanism, s.Vendor, "POST", post, app)
		f.Product = s.Product
		for _, r := range For(&f, Context{}) {
			if strings.Contains(r.Snippet, "SecRule") || strings.Contains(r.Snippet, "location ") || r.Layer == record.LayerServer {
				t.Errorf("%s (%s, %s): a plugin refusal got a server or WAF snippet: %+v", s.ID, s.Vendor, s.Mechanism, r)
			}
			if r.Title == "No narrow fix exists" {
				t.Errorf("%s (%s): no narrow fix for a named plugin", s.ID, s.Vendor)
			}
		}
	}
}

func containsStr(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// foreignSyntax reports whether a remedy is written in a config language
// of another product than the one that refused.
func foreignSyntax(r record.Remedy, self string) bool {
	for _, p := range []string{"HAProxy", "Varnish", "Cloudflare", "nginx", "Apache"} {
		if strings.HasPrefix(r.Product, p) && !strings.HasPrefix(self, p) {
			return true
		}
	}
	for _, m := range []string{"http-request", "vcl_recv", "http.request.uri", "SecRule", "location ~"} {
		if strings.Contains(r.Snippet, m) {
			return true
		}
	}
	return false
}

// TestUnknownEdgeSyntax: an edge whose exception syntax wp403 does not
// write gets the generic edge advice with its own control, never another
// product's syntax. Before the registry, an Akamai access-rule finding got
// HAProxy and Varnish snippets.
func TestUnknownEdgeSyntax(t *testing.T) {
	mechs := []record.Mechanism{record.MechAccessRule, record.MechWAFRule, record.MechBlockPage, record.MechChallenge,
		record.MechRateLimit, record.MechHeaderStripped, record.MechUserAgentRule, record.MechMethodRule}
	for _, p := range product.Default().All() {
		if p.Layer != record.LayerEdge || p.Syntax != "" {
			continue
		}
		for _, mech := range mechs {
			f := finding(E, mech, p.Name, "POST", post, app)
			f.Product = p.ID
			for _, r := range For(&f, Context{}) {
				if foreignSyntax(r, p.Name) {
					t.Errorf("%s %s: got another product's syntax: %s %q", p.ID, mech, r.Product, r.Snippet)
				}
			}
		}
	}
	f := finding(E, record.MechAccessRule, "Akamai", "POST", post, app)
	rs := For(&f, Context{})
	if len(rs) != 1 || rs[0].Product != "Akamai" || !strings.Contains(rs[0].Where, "Akamai Control Center") {
		t.Errorf("Akamai access rule: want the generic edge advice at Akamai's own control, got %+v", rs)
	}
}

// TestProductAtItsLayer: a product's fix applies only to a refusal at the
// layer it runs at: an unbranded plugin-layer block page on a site behind
// Cloudflare gets the plugin allowlist, not Cloudflare's WAF skip.
func TestProductAtItsLayer(t *testing.T) {
	f := finding(PL, record.MechBlockPage, "", "GET", "/wp/v2/users", record.AuthNone)
	for _, r := range For(&f, Context{Edge: "cloudflare"}) {
		if r.Layer == record.LayerEdge || strings.Contains(r.Product, "Cloudflare") {
			t.Errorf("plugin-layer refusal got an edge remedy: %+v", r)
		}
	}
	e := finding(E, record.MechBlockPage, "", "GET", "/wp/v2/users", record.AuthNone)
	rs := For(&e, Context{Edge: "cloudflare"})
	if len(rs) == 0 || rs[0].Product != "Cloudflare WAF" {
		t.Errorf("edge-layer block behind Cloudflare: %+v", rs)
	}
	w := finding(E, record.MechBlockPage, "Wordfence", "GET", "/wp/v2/users", record.AuthNone)
	for _, r := range For(&w, Context{}) {
		if strings.Contains(r.Product, "Wordfence") {
			t.Errorf("an edge-layer finding got a plugin's fix: %+v", r)
		}
	}
}
