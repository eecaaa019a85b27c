package remedy

import (
	"fmt"

	"github.com/wp403/wp403/internal/record"
)

// products is the registry of products with known narrow controls. The
// vendor names are those of internal/signature's database (a test checks
// that every plugin vendor there has an entry or is knowingly absent).
var products = []product{
	{slug: "wordfence", names: []string{"Wordfence"},
		settings: map[string]string{
			"rest":          "Wordfence → All Options → Brute Force Protection: \"Prevent discovery of usernames through … the WordPress REST API\" blocks /wp/v2/users only",
			"app-passwords": "Wordfence → Login Security → Settings: untick \"Disable WordPress application passwords\"",
		},
		fixes: map[record.Mechanism]generator{
			record.MechWAFRule: wordfenceWAF, record.MechBlockPage: wordfenceBlocked,
			record.MechAccessRule: wordfenceBlocked, record.MechLockout: wordfenceLockout,
		}},
	{slug: "better-wp-security", names: []string{"Solid Security (iThemes)", "Solid Security", "iThemes Security", "ithemes-security", "solid-security"},
		codes: []string{"itsec_rest_api_access_restricted"},
		settings: map[string]string{
			"rest":          "Security → Settings → Advanced → WordPress Tweaks → REST API: \"Default Access\" instead of \"Restricted Access\"",
			"app-passwords": "Security → Settings → Advanced → WordPress Tweaks: allow application passwords",
		},
		fixes: map[record.Mechanism]generator{record.MechLockout: solidLockout}},
	{slug: "all-in-one-wp-security-and-firewall", names: []string{"All In One WP Security", "all-in-one-wp-security", "AIOS"},
		codes: []string{"aios_user_lists_forbidden", "aios_user_details_forbidden"},
		settings: map[string]string{
			"rest": "WP Security → Firewall (Miscellaneous in older versions): untick \"Disallow unauthorized REST requests\", or add the route to its REST whitelist where the version has one; " +
				"for aios_user_* codes, the \"users enumeration\" setting under User Security",
		}},
	{slug: "ninjafirewall", names: []string{"NinjaFirewall"},
		codes: []string{"nfw_rest_api_access_restricted"},
		settings: map[string]string{
			"rest": "NinjaFirewall → Firewall Policies → Basic Policies → WordPress REST API: untick the access restriction that matches (the whole API, or users only)",
		},
		fixes: map[record.Mechanism]generator{record.MechWAFRule: ninjaWAF, record.MechBlockPage: ninjaWAF}},
	{slug: "sucuri", layer: record.LayerEdge, names: []string{"Sucuri Website Firewall", "Sucuri", "sucuri-website-firewall"},
		fixes: map[record.Mechanism]generator{record.MechWAFRule: sucuriWAF, record.MechBlockPage: sucuriWAF, record.MechAccessRule: sucuriWAF}},
	{slug: "cloudflare", layer: record.LayerEdge, names: []string{"Cloudflare"},
		fixes: map[record.Mechanism]generator{
			record.MechWAFRule:   func(_ *record.Finding, c Context) []record.Remedy { c.Edge = "cloudflare"; return edgeWAF(c) },
			record.MechBlockPage: cloudflareBlock,
		}},
	{slug: "wpscan-patchstack", names: []string{"Patchstack", "patchstack"},
		fixes: map[record.Mechanism]generator{record.MechWAFRule: patchstackWAF, record.MechBlockPage: patchstackWAF}},
	{slug: "jetpack-protect", names: []string{"Jetpack Protect", "Jetpack"},
		fixes: map[record.Mechanism]generator{record.MechWAFRule: jetpackWAF, record.MechBlockPage: jetpackWAF}},
	{slug: "wp-simple-firewall", names: []string{"Shield Security", "Shield"},
		codes: []string{"shield_block_anon_restapi", "shield_rule_disable_rest_api"},
		settings: map[string]string{
			"rest": "Shield → Config → Lockdown: the REST API option \"Anonymous Access\" (allow this route's namespace under its exclusions)",
		},
		fixes: map[record.Mechanism]generator{record.MechBlockPage: shieldBlock}},
	{slug: "disable-json-api", names: []string{"Disable REST API"},
		settings: map[string]string{"rest": "Settings → Disable REST API: pick the requesting role and tick this route (DRA allows routes per role)"}},
	{slug: "disable-wp-rest-api", names: []string{"Disable WP REST API"},
		settings: map[string]string{"rest": "it refuses logged-out requests only and has no settings: send credentials (an application password)"}},
	{slug: "perfmatters", names: []string{"Perfmatters"},
		settings: map[string]string{"rest": "Perfmatters → General → Disable REST API: \"Disable When Logged Out\" instead of \"Disable for Non-Admins\", and authenticate the request"}},
	{slug: "soil", names: []string{"Roots Soil", "disable-rest-api-soil"},
		settings: map[string]string{"rest": "remove add_theme_support('soil', ['disable-rest-api']) from the theme"}},
	{slug: "really-simple-ssl", names: []string{"Really Simple Security", "Really Simple SSL"},
		settings: map[string]string{"rest": "Really Simple Security → Settings → Hardening: untick \"Prevent user enumeration\" only if /wp/v2/users is needed"}},
	{slug: "kadence-security", names: []string{"Kadence Security"},
		settings: map[string]string{"rest": "Security → Settings → Advanced → WordPress Tweaks → REST API: \"Default Access\""}},
	{slug: "wp-rocket", names: []string{"WP Rocket"},
		settings: map[string]string{"cache": "WP Rocket → Advanced Rules → Never cache URL(s): /wp-admin/(.*); and Cache → untick \"Enable caching for logged-in WordPress users\""}},
	{slug: "w3-total-cache", names: []string{"W3 Total Cache"},
		settings: map[string]string{"cache": "Performance → Page Cache: tick \"Don't cache pages for logged in users\""}},
	{slug: "litespeed-cache", names: []string{"LiteSpeed Cache"},
		settings: map[string]string{"cache": "LiteSpeed Cache → Cache → Cache Logged-in Users: OFF"}},
	{slug: "wp-super-cache", names: []string{"WP Super Cache"},
		settings: map[string]string{"cache": "Settings → WP Super Cache → Advanced: tick \"Disable caching for logged in visitors\""}},
}

func wordfenceWAF(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{{
		Layer: record.LayerPlugin, Product: "Wordfence firewall", Narrow: true,
		Title: "Allowlist the route and parameter in Wordfence",
		Scope: "this URL and the named parameter only; every other URL and parameter is still filtered.",
		Snippet: fmt.Sprintf("URL: %s%s\nParam type: POST Body (JSON: the field name)\nParam name: the field the block named, e.g. content\n",
			c.RESTPrefix, c.Route),
		Where: "Wordfence → Tools → Live Traffic: the blocked request → \"Add Param to Firewall Allowlist\"; or Wordfence → Firewall → " +
			"All Firewall Options → Advanced Firewall Options → Allowlisted URLs → Add",
		Caveat: "an allowlisted URL and parameter skip every firewall rule for that pair, not only the one that fired; learning mode " +
			"allowlists everything it sees, which is broader. IP blocks, rate limiting and country blocking still apply.",
	}}
}

func wordfenceBlocked(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{{
		Layer: record.LayerPlugin, Product: "Wordfence", Narrow: true,
		Title: "Remove the Wordfence block that matched this client",
		Scope: "the one block (IP, range, country, pattern or rate-limit lockout) that refused this client; the policy stays.",
		Where: "Wordfence → Tools → Live Traffic shows why the request was blocked; Wordfence → Firewall → Blocking lists the block: delete it. " +
			"A rate-limit block: Firewall → All Firewall Options → Rate Limiting",
		Caveat: "\"Allowlisted IP addresses that bypass all rules\" exempts that address from every Wordfence rule: use it only for " +
			"an integration's fixed server address. Failed logins recreate a lockout: fix the client's credentials first.",
	}}
}

func wordfenceLockout(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{{
		Layer: record.LayerPlugin, Product: "Wordfence", Narrow: true,
		Title: "Fix the client's credentials, then unblock it in Wordfence",
		Scope: "the locked-out address only; the brute-force policy stays.",
		Where: "Wordfence → Firewall → Blocking: the lockout for this IP → Unblock; Wordfence → Tools → Live Traffic shows the failed logins that caused it",
		Caveat: "the lockout follows failed logins (Brute Force Protection): correct the user name or application password first, or it recurs. " +
			"\"Allowlisted IP addresses that bypass all rules\" is broader: only for an integration's fixed server address.",
	}}
}

func solidLockout(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{{
		Layer: record.LayerPlugin, Product: "Solid Security", Narrow: true,
		Title: "Fix the client's credentials, then release this lockout in Solid Security",
		Scope: "the locked host or user only; the lockout policy stays.",
		Where: "Security → Dashboard → Active Lockouts: release; an integration's fixed address can go in Security → Settings → Global Settings → Authorized Hosts",
		Caveat: "an authorized host is never locked out, whatever it does: only for an address you control. " +
			"The lockout follows failed logins or 404 detection: correct the user name or application password first, or it recurs.",
	}}
}

func ninjaWAF(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{{
		Layer: record.LayerPlugin, Product: "NinjaFirewall", Narrow: true,
		Title: "Find the NinjaFirewall rule that blocked " + c.routeDesc() + " and exempt the request from it",
		Scope: "the one rule that fired; every other rule still runs.",
		Where: "NinjaFirewall → Firewall Log: the blocked request and its rule ID; Security Rules → Rules Editor disables that rule ID; " +
			"the WP+ edition's Access Control → URL Access Control can allow this URL only",
		Caveat: "a rule disabled in the Rules Editor is off for the whole site, not only this route: prefer the WP+ URL exception, " +
			"or NinjaFirewall's option not to block logged-in administrators when the requests come from one.",
	}}
}

func sucuriWAF(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{{
		Layer: record.LayerEdge, Product: "Sucuri Website Firewall", Narrow: true,
		Title:   "Allowlist the URL path " + c.RESTPrefix + c.Route + " in the Sucuri firewall",
		Scope:   "this URL path only; the firewall still filters every other path.",
		Snippet: fmt.Sprintf("URL path: %s%s\n", c.RESTPrefix, c.Route),
		Where:   "the Sucuri Firewall dashboard → Access Control → Allowlist URL Path; the block page's Block ID finds the event in the Audit Trails",
		Caveat: "an allowlisted path bypasses Sucuri's filtering for every client and method on it; for an integration with a fixed " +
			"address, allowlisting that IP instead is narrower. Sucuri support can tune the rule named by the Block ID.",
	}}
}

func patchstackWAF(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{{
		Layer: record.LayerPlugin, Product: "Patchstack", Narrow: true,
		Title: "Add a Patchstack allowlist rule for " + c.routeDesc(),
		Scope: "requests that match the allowlist rule only; the firewall still protects every other request.",
		Where: "the Patchstack App → the site → Firewall: the blocked request in the firewall log, then an allowlist (whitelist) rule for this URL and method",
		Caveat: "a rule keyed on the URL alone exempts every client on it; add the integration's address or a header it sends " +
			"when the rule editor allows.",
	}}
}

func jetpackWAF(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{{
		Layer: record.LayerPlugin, Product: "Jetpack Protect", Narrow: true,
		Title: "Allow the client's address in Jetpack's firewall",
		Scope: "requests from that address only; everyone else is still filtered.",
		Where: "Jetpack → Protect → Firewall: \"Always allowed IP addresses\"",
		Caveat: "Jetpack's firewall has no per-URL exception: an allowed address skips every firewall rule, so use it only for " +
			"an integration's fixed server address.",
	}}
}

func shieldBlock(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{{
		Layer: record.LayerPlugin, Product: "Shield Security", Narrow: true,
		Title: "Unblock the client's address in Shield and find the offense that blocked it",
		Scope: "the one blocked address; Shield keeps blocking others that offend.",
		Where: "Shield → IP Rules (IP Manager): remove the auto-block; the Activity Log shows the offenses; " +
			"Firewall → Whitelist Parameters takes \"page, parameter\" lines for a firewall false positive",
		Caveat: "Shield re-blocks an address that keeps offending: fix what the client did (failed logins, 404 probing) " +
			"before unblocking; the bypass list exempts an address from everything.",
	}}
}

// cloudflareBlock: Cloudflare's block page comes from a managed rule or a
// custom rule (1020); Security → Events for the Ray ID says which, and each
// has its own narrow exception.
func cloudflareBlock(_ *record.Finding, c Context) []record.Remedy {
	c.Edge = "cloudflare"
	return append(edgeWAF(c), edgeException(c, "rule that blocked (error 1020)")...)
}
