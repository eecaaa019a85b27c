package remedy

import (
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/signature"
)

// TestProductExactMatch: a product is found by its exact slug, vendor name
// or own WP_Error code, never by a substring of another name.
func TestProductExactMatch(t *testing.T) {
	cases := []struct {
		code, name, want string
	}{
		{"", "Disable REST API", "disable-json-api"},
		{"", "disable-rest-api-soil", "soil"},
		{"", "Roots Soil", "soil"},
		{"", "disable-rest-api", "disable-json-api"}, // DRA's vendor name, not Soil's feature
		{"", "Solid Security (iThemes)", "better-wp-security"},
		{"", "ithemes-security", "better-wp-security"},
		{"", "  WORDFENCE ", "wordfence"},
		{"", "wordfence-assistant", ""},
		{"", "Wordfence Login", ""},
		{"", "sucuri", "sucuri"},
		{"", "Sucuri Website Firewall", "sucuri"},
		{"aios_user_lists_forbidden", "", "all-in-one-wp-security-and-firewall"},
		{"nfw_rest_api_access_restricted", "", "ninjafirewall"},
		{"rest_cannot_access", "", ""}, // shared by several plugins: names none
		{"itsec_rest_api_access", "", ""},
	}
	for _, c := range cases {
		got := ""
		if p := productFor(c.code, c.name); p != nil {
			got = p.slug
		}
		if got != c.want {
			t.Errorf("productFor(%q, %q) = %q, want %q", c.code, c.name, got, c.want)
		}
	}
	if s := pluginSetting("disable-rest-api", "rest"); strings.Contains(s, "soil") || !strings.Contains(s, "Disable REST API") {
		t.Errorf("disable-rest-api got Soil's fix: %s", s)
	}
}

// TestProductsUnique: no name or code belongs to two products.
func TestProductsUnique(t *testing.T) {
	seen := map[string]string{}
	for _, p := range products {
		keys := []string{p.slug}
		for _, n := range p.names {
			keys = append(keys, normName(n))
		}
		for _, c := range p.codes {
			keys = append(keys, "code:"+c)
		}
		for _, k := range keys {
			if other, ok := seen[k]; ok && other != p.slug {
				t.Errorf("%q names both %s and %s", k, other, p.slug)
			}
			seen[k] = p.slug
		}
	}
}

// withoutControl lists plugin vendors of the signature database for which
// remedy knowingly has no product-specific control: the generic plugin
// remedies (REST settings, plugin allowlist, lockout) apply.
var withoutControl = map[string]string{
	"WP Cerber":                              "block page; generic plugin allowlist",
	"Defender (WPMU DEV)":                    "shares rest_cannot_access with DRA; generic",
	"MalCare":                                "cloud dashboard; generic plugin allowlist",
	"Hide My WP Ghost":                       "hides paths; generic",
	"BulletProof Security":                   ".htaccess-based; generic",
	"SecuPress":                              "generic plugin allowlist",
	"REST-disabling snippet (functions.php)": "a code snippet, no settings",
	"CleanTalk":                              "generic plugin allowlist",
	"CrowdSec":                               "bouncer decisions; generic",
	"CIDRAM":                                 "generic plugin allowlist",
	"Astra Security":                         "generic plugin allowlist",
	"WebTotem":                               "generic plugin allowlist",
}

// TestEveryPluginVendorHasEntry: every plugin named by the signature
// database has a product entry, or is knowingly without one; every product
// fix yields complete, narrow remedies.
func TestEveryPluginVendorHasEntry(t *testing.T) {
	db, err := signature.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range db.Signatures() {
		if s.Layer != record.LayerPlugin {
			continue
		}
		if productFor("", s.Vendor) == nil && withoutControl[s.Vendor] == "" {
			t.Errorf("signature %s: plugin vendor %q has no product entry and is not in withoutControl", s.ID, s.Vendor)
		}
		if s.Kind != record.KindRefusal {
			continue
		}
		f := finding(PL, s.Mechanism, s.Vendor, "POST", post, app)
		for _, r := range For(&f, Context{}) {
			if strings.Contains(r.Snippet, "SecRule") || strings.Contains(r.Snippet, "location ") || r.Layer == record.LayerServer {
				t.Errorf("%s (%s, %s): a plugin refusal got a server or WAF snippet: %+v", s.ID, s.Vendor, s.Mechanism, r)
			}
			if r.Title == "No narrow fix exists" {
				t.Errorf("%s (%s): no narrow fix for a named plugin", s.ID, s.Vendor)
			}
		}
	}
	for _, p := range products {
		for mech, g := range p.fixes {
			f := finding(PL, mech, p.slug, "POST", post, app)
			rs := g(&f, Context{}.fill(&f))
			if len(rs) == 0 {
				t.Errorf("%s/%s: no remedy", p.slug, mech)
			}
			for _, r := range rs {
				if !r.Narrow || r.Title == "" || r.Scope == "" || r.Where == "" || r.Caveat == "" {
					t.Errorf("%s/%s: incomplete remedy %+v", p.slug, mech, r)
				}
			}
		}
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
