package remedy

import "github.com/wp403/wp403/internal/record"

// remedyCase is one finding and context with a golden file.
type remedyCase struct {
	name string
	f    record.Finding
	c    Context
}

func finding(layer record.Layer, mech record.Mechanism, vendor, method, route string, auth record.AuthKind, rules ...record.RuleHit) record.Finding {
	return record.Finding{
		ID: "F1", Severity: record.SevBlock, Layer: layer, Mechanism: mech, Vendor: vendor,
		Request: record.Request{Method: method, Route: route, Auth: auth}, Rules: rules,
	}
}

var (
	hit941180     = record.RuleHit{ID: 941180, Target: "ARGS:json.content", Message: "Node-Validator Deny List Keywords"}
	hit949110     = record.RuleHit{ID: 949110, Message: "Inbound Anomaly Score Exceeded (Total Score: 5)"}
	hit911100     = record.RuleHit{ID: 911100, Target: "REQUEST_METHOD"}
	hit920420     = record.RuleHit{ID: 920420, Target: "REQUEST_HEADERS:Content-Type"}
	hit913100     = record.RuleHit{ID: 913100, Target: "REQUEST_HEADERS:User-Agent"}
	hit941100meta = record.RuleHit{ID: 941100, Target: "ARGS:json.meta.deep.1"}
)

const (
	post = "/wp/v2/posts/1"
	cn   = record.AuthCookieNonce
	app  = record.AuthAppPassword
	W    = record.LayerWAF
	S    = record.LayerServer
	E    = record.LayerEdge
	P    = record.LayerPHP
	WP   = record.LayerWordPress
	PL   = record.LayerPlugin
	N    = record.LayerNetwork
	C    = record.LayerClient
)

var cases = []remedyCase{
	{"waf-rule-nginx-v3-crs3", finding(W, record.MechWAFRule, "ModSecurity", "POST", post, cn, hit941180, hit949110),
		Context{Server: "nginx", WAF: "modsecurity-v3", CRS: 3}},
	{"waf-rule-unknown-engine", finding(W, record.MechWAFRule, "", "POST", post, cn, hit941180, hit941100meta, hit949110), Context{}},
	{"waf-rule-apache-v2-crs3", finding(W, record.MechWAFRule, "ModSecurity", "POST", "/wp/v2/pages/7", cn, hit941180),
		Context{Server: "apache", WAF: "modsecurity-v2", CRS: 3, RESTPrefix: "/blog/wp-json"}},
	{"waf-rule-no-ids", finding(W, record.MechWAFRule, "", "POST", post, cn), Context{Server: "nginx"}},
	{"waf-rule-media-crs4", finding(W, record.MechWAFRule, "", "POST", "/wp/v2/media", app, hit920420),
		Context{WAF: "coraza", CRS: 4, ContentType: "image/jpeg"}},
	{"waf-rule-media-unknown-type", finding(W, record.MechWAFRule, "", "POST", "/wp/v2/media", app, record.RuleHit{ID: 920420, Target: "TX:content_type"}),
		Context{WAF: "modsecurity-v3", CRS: 3}},
	{"waf-rule-login", finding(W, record.MechWAFRule, "", "POST", "", "", record.RuleHit{ID: 942100, Target: "ARGS:pwd", Phase: 2}),
		Context{WAF: "modsecurity-v3", CRS: 4, Target: "/wp-login.php", ContentType: "application/x-www-form-urlencoded"}},
	{"waf-rule-ajax-body-action", finding(W, record.MechWAFRule, "", "POST", "", "",
		record.RuleHit{ID: 941160, Target: "ARGS:actions", Phase: 2}, record.RuleHit{ID: 920450, Target: "REQUEST_HEADERS_NAMES:x-http-method-override", Phase: 1}),
		Context{WAF: "coraza", Target: "/blog/wp-admin/admin-ajax.php", Action: "elementor_ajax", ActionInBody: true}},
	{"waf-rule-ajax-query-action", finding(W, record.MechWAFRule, "", "GET", "", "", record.RuleHit{ID: 942430, Target: "ARGS:query[orderby]", Phase: 2}),
		Context{WAF: "modsecurity-v2", Target: "/wp-admin/admin-ajax.php?action=query-attachments", Action: "query-attachments"}},
	{"waf-rule-site-editor", finding(W, record.MechWAFRule, "", "POST", "", "", hit941180),
		Context{WAF: "modsecurity-v3", Target: "/wp-json/wp/v2/template-parts/twentytwentythree//header?_locale=user"}},
	{"waf-rule-subdirectory", finding(W, record.MechWAFRule, "", "POST", "", "", hit941180),
		Context{WAF: "modsecurity-v3", Target: "https://example.org/blog/wp-json/wp/v2/posts/12#x"}},
	{"waf-rule-index-php-prefix", finding(W, record.MechWAFRule, "", "PUT", "", "", hit911100),
		Context{WAF: "modsecurity-v3", CRS: 4, Target: "/index.php/wp-json/wp/v2/posts/12"}},
	{"waf-rule-rest-route-subdirectory", finding(W, record.MechWAFRule, "", "POST", "", "", hit941180),
		Context{WAF: "modsecurity-v3", Target: "/blog/index.php?rest_route=/wp/v2/pages/7&_locale=user"}},
	{"waf-rule-body-parser", finding(W, record.MechWAFRule, "", "POST", "", "", record.RuleHit{ID: 200002, Target: "REQBODY_ERROR"}),
		Context{WAF: "modsecurity-v3", Target: "/wp-json/contact-form-7/v1/contact-forms/5/feedback", ContentType: "application/json"}},
	{"waf-rule-attack", finding(W, record.MechWAFRule, "", "POST", "", "",
		record.RuleHit{ID: 941110, Target: "ARGS:json.content", Data: "Matched Data: <script> found within ARGS:json.content: <p>hi</p><script>alert(1)</script>"}),
		Context{WAF: "modsecurity-v3", Target: "/wp-json/wp/v2/posts/1"}},
	{"waf-rule-newline-path", finding(W, record.MechWAFRule, "", "POST", "", "", hit941180),
		Context{WAF: "modsecurity-v3", Target: "/wp-admin/x%0aSecRuleEngine%20Off.php"}},
	{"waf-rule-unsafe-target", finding(W, record.MechWAFRule, "", "POST", "", "", hit941180),
		Context{WAF: "modsecurity-v3", Target: "*"}},
	{"waf-rule-hostile-path", finding(W, record.MechWAFRule, "", "POST", "", "", record.RuleHit{ID: 941100, Target: "ARGS:a\",b"}),
		Context{WAF: "modsecurity-v3", Target: "/wp-admin/x\"%{tx.0}.php"}},
	{"waf-rule-cloudflare", finding(E, record.MechWAFRule, "cloudflare", "POST", post, cn), Context{}},
	{"waf-rule-sucuri", finding(E, record.MechWAFRule, "sucuri", "POST", post, cn), Context{}},
	{"method-rule-waf", finding(W, record.MechMethodRule, "", "PUT", post, app, hit911100), Context{WAF: "modsecurity-v3", CRS: 3}},
	{"method-rule-nginx", finding(S, record.MechMethodRule, "nginx", "DELETE", post, app), Context{}},
	{"method-rule-haproxy", finding(E, record.MechMethodRule, "haproxy", "PATCH", post, app), Context{}},
	{"access-rule-nginx", finding(S, record.MechAccessRule, "nginx", "GET", "/wp/v2/users", app), Context{}},
	{"access-rule-apache", finding(S, record.MechAccessRule, "apache", "GET", "/wp/v2/users/me", app), Context{}},
	{"access-rule-edge-unknown", finding(E, record.MechAccessRule, "", "GET", "/wp/v2/users", app), Context{}},
	{"access-rule-cloudflare", finding(E, record.MechAccessRule, "cloudflare", "GET", "/wp/v2/settings", app), Context{}},
	{"access-rule-cloudflare-public", finding(E, record.MechAccessRule, "cloudflare", "GET", "/wp/v2/posts", record.AuthNone), Context{}},
	{"user-agent-rule-waf", finding(W, record.MechUserAgentRule, "", "GET", "/wp/v2/users", app, hit913100),
		Context{WAF: "modsecurity-v3", UserAgent: "sqlmap/1.7"}},
	{"user-agent-rule-server", finding(S, record.MechUserAgentRule, "", "GET", "/", app), Context{UserAgent: "python-requests/2.31"}},
	{"http-auth-nginx-app", finding(S, record.MechHTTPAuth, "nginx", "POST", post, app), Context{}},
	{"http-auth-apache-cookie", finding(S, record.MechHTTPAuth, "apache", "POST", post, cn), Context{}},
	{"header-stripped-php", finding(P, record.MechHeaderStripped, "", "POST", post, app), Context{}},
	{"header-stripped-haproxy", finding(E, record.MechHeaderStripped, "haproxy", "POST", post, app), Context{}},
	{"rewrite-nginx", finding(S, record.MechRewrite, "nginx", "GET", "/", record.AuthNone), Context{}},
	{"redirect", finding(S, record.MechRedirect, "", "POST", post, app), Context{Location: "https://www.example.org/wp-json/wp/v2/posts/1"}},
	{"handler-apache", finding(P, record.MechHandler, "apache", "GET", "/", record.AuthNone), Context{}},
	{"permission", finding(WP, record.MechPermission, "", "POST", post, app), Context{Code: "rest_cannot_edit_others"}},
	{"permission-unknown-code", finding(WP, record.MechPermission, "", "GET", "/wc/v3/orders", app), Context{Code: "woocommerce_rest_cannot_view"}},
	{"app-passwords-wordfence", finding(PL, record.MechAppPasswordsOff, "wordfence", "GET", "/wp/v2/users/me", app), Context{}},
	{"credentials", finding(C, record.MechCredentials, "", "GET", "/wp/v2/users/me", app), Context{}},
	{"nonce-wp-rocket", finding(C, record.MechNonce, "", "POST", post, cn), Context{Plugin: "wp-rocket"}},
	{"rest-disabled-perfmatters", finding(PL, record.MechRESTDisabled, "perfmatters", "GET", "/wp/v2/posts", record.AuthNone), Context{Code: "rest_authentication_error"}},
	{"rest-disabled-unknown", finding(PL, record.MechRESTDisabled, "", "GET", "/wp/v2/posts", record.AuthNone), Context{Code: "rest_cannot_access"}},
	{"block-page-wordfence", finding(PL, record.MechBlockPage, "Wordfence", "POST", post, cn), Context{}},
	{"block-page-modsecurity", finding(W, record.MechBlockPage, "", "POST", post, cn, hit941180), Context{Server: "apache", WAF: "modsecurity-v2", CRS: 3}},
	{"challenge-cloudflare", finding(E, record.MechChallenge, "cloudflare", "GET", "/wp/v2/posts", app), Context{}},
	{"challenge-unknown", finding(E, record.MechChallenge, "", "GET", "/wp/v2/posts", app), Context{}},
	{"challenge-haproxy", finding(E, record.MechChallenge, "HAProxy", "GET", "/wp/v2/users/me", app), Context{}},
	{"rate-limit-haproxy", finding(E, record.MechRateLimit, "HAProxy", "POST", "/wp/v2/posts", app), Context{}},
	{"rate-limit-nginx", finding(S, record.MechRateLimit, "nginx", "GET", "/wp/v2/posts", app), Context{Server: "nginx"}},
	{"lockout", finding(PL, record.MechLockout, "limit-login-attempts-reloaded", "GET", "/wp/v2/users/me", app), Context{}},
	{"origin-locked", finding(S, record.MechOriginLocked, "", "GET", "/", record.AuthNone), Context{}},
	{"unreachable", finding(N, record.MechUnreachable, "", "GET", "/", record.AuthNone), Context{}},
	{"tls", finding(N, record.MechTLS, "", "GET", "/", record.AuthNone), Context{Server: "nginx"}},
	{"bad-response", finding(WP, record.MechBadResponse, "", "GET", "/", record.AuthNone), Context{}},
	{"canonical-mismatch", finding(WP, record.MechCanonical, "", "POST", post, cn),
		Context{URL: "https://blog.example.com", Home: "http://blog.example.com", SiteURL: "http://blog.example.com"}},
	{"unknown", finding(S, record.MechUnknown, "", "POST", post, cn), Context{}},
	// Vendors named by the signature database, with their own narrow controls.
	{"vendor-wordfence-waf", finding(PL, record.MechWAFRule, "Wordfence", "POST", post, app), Context{}},
	{"vendor-wordfence-blocked", finding(PL, record.MechAccessRule, "Wordfence", "GET", "/wp/v2/posts", app), Context{}},
	{"vendor-wordfence-lockout", finding(PL, record.MechLockout, "Wordfence", "GET", "/wp/v2/users/me", app), Context{}},
	{"vendor-solid-rest", finding(PL, record.MechRESTDisabled, "Solid Security (iThemes)", "GET", "/wp/v2/users", record.AuthNone), Context{Code: "itsec_rest_api_access_restricted"}},
	{"vendor-solid-lockout", finding(PL, record.MechLockout, "Solid Security (iThemes)", "GET", "/wp/v2/users/me", app), Context{}},
	{"vendor-aios-rest", finding(PL, record.MechRESTDisabled, "All In One WP Security", "GET", "/wp/v2/posts", record.AuthNone), Context{Code: "wp_die"}},
	{"vendor-aios-code-only", finding(PL, record.MechRESTDisabled, "", "GET", "/wp/v2/users", record.AuthNone), Context{Code: "aios_user_lists_forbidden"}},
	{"vendor-ninjafirewall-waf", finding(PL, record.MechWAFRule, "NinjaFirewall", "POST", post, app), Context{}},
	{"vendor-ninjafirewall-rest", finding(PL, record.MechRESTDisabled, "NinjaFirewall", "GET", "/wp/v2/posts", record.AuthNone), Context{Code: "nfw_rest_api_access_restricted"}},
	{"vendor-cloudflare-block-page", finding(E, record.MechBlockPage, "Cloudflare", "POST", post, app), Context{}},
	{"vendor-sucuri-block-page", finding(E, record.MechBlockPage, "Sucuri Website Firewall", "POST", post, cn), Context{}},
	{"vendor-patchstack-waf", finding(PL, record.MechWAFRule, "Patchstack", "POST", post, app), Context{}},
	{"vendor-jetpack-waf", finding(PL, record.MechWAFRule, "Jetpack Protect", "POST", post, app), Context{}},
	{"vendor-shield-block", finding(PL, record.MechBlockPage, "Shield Security", "GET", "/wp/v2/posts", app), Context{}},
	{"vendor-dra-rest", finding(PL, record.MechRESTDisabled, "Disable REST API", "GET", "/wp/v2/posts", record.AuthNone), Context{Code: "rest_cannot_access"}},
	{"vendor-soil-rest", finding(PL, record.MechRESTDisabled, "Roots Soil", "GET", "/wp/v2/posts", record.AuthNone), Context{Code: "rest_forbidden"}},
	{"vendor-unknown-plugin-waf", finding(PL, record.MechWAFRule, "MalCare", "POST", post, app), Context{}},
	{"vendor-unknown-plugin-access", finding(PL, record.MechAccessRule, "CrowdSec", "GET", "/wp/v2/posts", app), Context{}},
}
