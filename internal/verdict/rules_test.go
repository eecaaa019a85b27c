package verdict

import (
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// asked is the probe key of the user's first --request: the rows test
// the rules that decide a refusal the user cares about.
const asked = "request:1@public"

type row struct {
	rule string
	in   Input
}

// ruleRows cover the rules the real captures do not reach. Each row is
// the smallest set of observations the prober and classifier produce for
// that situation.
func ruleRows() []row {
	ap, cn := record.AuthAppPassword, record.AuthCookieNonce
	return []row{
		{"network-edge-side", withOrigin(in(ob(asked, edge, 0, fail(record.FailConnReset)), ob(asked, origin, 200, wp(""))))},
		{"tls-failure", in(ob(asked, edge, 0, fail(record.FailTLSUnknownAuth)))},
		{"bad-response", in(ob(asked, edge, 200, fail(record.FailEOF)))},
		{"unreachable", in(ob(asked, edge, 0, fail(record.FailDNS)))},
		{"login-form-again", in(ob("login", edge, 200, expect(record.ExpectLogin)))},
		{"nonce-not-issued", in(ob("rest-nonce", edge, 400))},
		{"nonce-stale", in(ob(asked, edge, 403, auth(cn), wp("rest_cookie_invalid_nonce")),
			ob(asked, edge, 200, auth(cn), variant(record.VarWithNonce), wp("")))},
		{"nonce-cookie-invalid", in(ob("rest-nonce", edge, 400), ob(asked, edge, 403, auth(cn), wp("rest_cookie_invalid_nonce")))},
		{"nonce-refused", in(ob(asked, edge, 403, auth(cn), wp("rest_cookie_invalid_nonce")))},
		{"auth-checked-too-early", in(ob(asked, edge, 401, auth(ap), early("rest_forbidden")),
			ob("request:1@cookie+nonce", edge, 200, auth(cn), wp("")),
			ob("aux:fresh-app-password", edge, 401, auth(record.AuthCustom), route("/wp/v2/users/me/application-passwords/introspect"), early("rest_forbidden")))},
		{"auth-refused-before-rest", in(ob(asked, edge, 401, auth(ap), early("rest_forbidden")))},
		{"nonce-other-session", in(ob("rest-nonce", edge, 200), ob(asked, edge, 403, auth(cn), wp("rest_cookie_invalid_nonce")))},
		{"nonce-cached-page", in(ob("rest-nonce", edge, 200), ob(record.ProbeNoncePage, edge, 200, wp(""), hdr("X-Proxy-Cache", "HIT")),
			ob(record.ProbeUsersMeCookie, edge, 200, auth(cn), wp("")),
			ob(record.ProbePageNonce, edge, 403, auth(cn), wp("rest_cookie_invalid_nonce")))},
		{"nonce-page-stale", in(ob("rest-nonce", edge, 200), ob(record.ProbeNoncePage, edge, 200, wp("")),
			ob(record.ProbeUsersMeCookie, edge, 200, auth(cn), wp("")),
			ob(record.ProbePageNonce, edge, 403, auth(cn), wp("rest_cookie_invalid_nonce")))},
		{"nonce-cached-page", in(ob(record.ProbeNoncePage, record.VantageHAR, 200, wp(""), hdr("Age", "90000")),
			ob(record.ProbePageNonce, record.VantageHAR, 403, auth(cn), wp("rest_cookie_invalid_nonce")))},
		{"nonce-page-stale", in(ob(record.ProbeNoncePage, record.VantageHAR, 200, wp("")),
			ob(record.ProbePageNonce, record.VantageHAR, 403, auth(cn), wp("rest_cookie_invalid_nonce")))},
		{"app-password-wrong", in(ob(asked, edge, 401, auth(ap), wp("rest_not_logged_in")),
			ob("aux:authorization-header-test", edge, 200, wp(""), body(`{"status":"good"}`)))},
		{"authorization-missing", in(ob(asked, edge, 401, auth(ap), wp("rest_not_logged_in")),
			ob("aux:authorization-header-test", edge, 200, wp(""), body(`{"status":"critical"}`)))},
		{"app-password-ignored", in(ob(asked, edge, 401, auth(ap), wp("rest_not_logged_in")))},
		{"nonce-header-lost", in(ob(asked, edge, 401, auth(cn), wp("rest_not_logged_in")))},
		{"credentials-unrecognised", in(ob(asked, edge, 401, auth(record.AuthCustom), wp("rest_not_logged_in")))},
		{"agent-callback", in(ob(asked, edge, 401, wp("rest_not_logged_in"), agentSaw(record.AgentTrace{Refusal: &record.AgentCallback{
			Hook: "rest_authentication_errors", Callable: `Acme\Guard->restrict_rest`, File: "wp-content/plugins/acme-guard/guard.php",
			Component: record.AgentComponent{Type: "plugin", Slug: "acme-guard", Name: "Acme Guard", Version: "2.3"}, Code: "rest_not_logged_in", Status: 401}})))},
		{"agent-app-password-rejected", in(ob(asked, edge, 401, auth(ap), wp("rest_not_logged_in"), agentSaw(record.AgentTrace{Auth: basicSeen("failed", "incorrect_password")})))},
		{"agent-app-passwords-off", in(ob(asked, edge, 401, auth(ap), wp("rest_not_logged_in"), agentSaw(record.AgentTrace{Auth: func() record.AgentAuth {
			a, off := basicSeen("not-tried", ""), false
			a.AppPasswordsAvailable, a.AppPasswordsWhyNot = &off, []string{"filtered"}
			a.AppPasswordsDisabledBy = &record.AgentCallback{Hook: "wp_is_application_passwords_available", Callable: "__return_false", Component: record.AgentComponent{Type: "core"}}
			return a
		}()})))},
		{"agent-authorization-lost", in(ob(asked, edge, 401, auth(ap), wp("rest_cannot_create"), agentSaw(record.AgentTrace{Auth: record.AgentAuth{AppPassword: record.AgentAppPassword{Result: "no-credentials"}}})))},
		{"wp-die", in(ob(asked, edge, 403, wp("wp_die")))},
		{"plugin-error-code", in(ob(asked, edge, 403, wp("acme_rest_forbidden")))},
		{"public-route-needs-auth", in(ob(asked, edge, 401, route("/"), wp("rest_not_logged_in")))},
		{"needs-auth", in(ob(asked, edge, 401, route("/wp/v2/settings"), wp("rest_forbidden")))},
		{"no-route-for-method", in(ob(asked, edge, 404, method("POST"), wp("rest_no_route")),
			ob(asked, edge, 200, variant(record.VarGetControl), expect(record.ExpectWordPress), wp("")))},
		{"wordpress-other", in(ob(asked, edge, 500, wp("")))},
		{"edge-signature", in(ob(asked, edge, 403, sig(record.KindRefusal, record.LayerEdge, "Cloudflare", record.MechBlockPage)))},
		{"edge-stock-page", in(ob(asked, edge, 403, sig(record.KindRefusal, record.LayerEdge, "HAProxy", record.MechAccessRule)))},
		{"edge-fingerprint", in(ob("index", edge, 200, wp(""), hdr("Server", "nginx")), ob(asked, edge, 403, hdr("Server", "cloudflare")))},
		{"edge-log", in(ob(asked, edge, 403, logs(record.LogEntry{Source: "edge.log", Line: 3, Format: "aws-waf", Blocked: true, Edge: true,
			Engine: "AWS WAF", Rules: []record.RuleHit{{Name: "CrossSiteScripting_BODY", Set: "AWS#AWSManagedRulesCommonRuleSet", Kind: "managed rule group"}}})))},
		{"waf-log", in(ob(asked, origin, 403, logs(record.LogEntry{Source: "error.log", Line: 7, Format: "nginx-error", Blocked: true,
			Rules: []record.RuleHit{{ID: 942100}, {ID: 949110}}})))},
		{"refusal-signature", in(ob(asked, origin, 403, sig(record.KindRefusal, record.LayerPlugin, "Acme Firewall", record.MechLockout)))},
		{"refusal-signature", in(ob(asked, origin, 403, body("Access denied.\n"), sig(record.KindRefusal, record.LayerPHP, "php-fpm", record.MechHandler)))},
		{"http-auth", in(ob(asked, origin, 401, hdr("WWW-Authenticate", `Basic realm="x"`)))},
		{"rate-limit", in(ob(asked, origin, 429, hdr("Retry-After", "60")))},
		{"server-unexplained", in(ob(asked, origin, 403, pageShape("stock-nginx")))},
		{"hardening-in-place", in(ob("public:users", edge, 403, route("/wp/v2/users"), sig(record.KindRefusal, record.LayerEdge, "HAProxy", record.MechAccessRule)))},
		{"hardening-in-place", in(ob("index", edge, 401, wp("rest_not_logged_in")))},
		{"locked-origin-edge-side", withOrigin(in(ob("index", edge, 200, wp("")), ob("index", origin, 403, pageShape("stock-nginx")),
			ob(asked, edge, 403, pageShape("custom-html")), ob(asked, origin, 403, pageShape("stock-nginx"))))},
		{"public-route-refused", in(ob(asked, edge, 403, route("/wp/v2/users"), wp("rest_user_cannot_view")))},
		{"token-refused", in(ob(asked, edge, 403, auth(record.AuthCustom), hdr("X-Unused", "1"), wp("jwt_auth_invalid_token")),
			ob(asked, edge, 200, auth(record.AuthNone), variant(record.VarNoAuth), wp("")))},
		{"refused-in-body", in(ob(asked, edge, 200, route("/wp/v2/users"), wpBody("rest_user_cannot_view", 403)))},
		{"rest-method-refused", in(ob(asked, edge, 405, method("DELETE"), hdr("Allow", "GET, POST"), wp("rest_method_not_allowed")))},
		{"rest-login-redirect", in(ob(asked, edge, 302, hdr("X-Redirect-By", "WordPress"), hdr("Location", "https://blog.example/wp-login.php?redirect_to=x")))},
		{"nonce-cookie-lost", in(ob("rest-nonce", edge, 200), ob(asked, edge, 403, auth(cn), wp("rest_cookie_invalid_nonce")),
			ob(asked, edge, 403, auth(cn), variant(record.VarWithNonce), wp("rest_cookie_invalid_nonce")))},
		{"php-code-refusal", in(ob(asked, origin, 403, pageShape("empty"), producer(record.LayerPHP), hdr("Content-Type", "text/html; charset=UTF-8")))},
		{"waf-replay", in(ob(asked, origin, 403, pageShape("stock-nginx"), replay(record.WAFResult{Blocked: true, Rules: []record.RuleHit{{ID: 913100}}})))},
		{"login-cookie-scope", func() Input {
			login := ob("login", edge, 302, hdr("Set-Cookie", "wordpress_logged_in_x=[redacted]; path=/blog/; secure; HttpOnly"),
				func(o *record.Observation) { o.Request.URL = "https://blog.example/wp-login.php" })
			i := in(login)
			i.RESTRoot = "https://blog.example/wp-json/"
			return i
		}()},
		{"foreign-rest-root", func() Input {
			i := in(ob(asked, edge, 200, wp("")))
			i.RESTRoot, i.ForeignRESTRoot = "https://blog.example/wp-json/", "https://cdn.other.example/wp-json/"
			return i
		}()},
		// a security plugin's own page, written by application code
		{"custom-page", in(ob(asked, origin, 403, pageShape("custom-html"), appCode()))},
		// a theme's 404 on /wp-json/… whose ?rest_route= variant reaches
		// WordPress (plain permalinks behind nginx try_files): the rewrite,
		// not a security plugin's block page
		{"rewrite", in(ob(asked, origin, 404, pageShape("custom-html"), appCode()),
			ob(asked, origin, 200, variant(record.VarRESTRoute), wp("")))},
	}
}

func TestRuleRows(t *testing.T) {
	for _, r := range ruleRows() {
		t.Run(r.rule, func(t *testing.T) {
			fs := Analyze(r.in).Findings
			if !strings.Contains(" "+strings.Join(ruleIDs(fs), " ")+" ", " "+r.rule+" ") {
				t.Fatalf("rules %v, want %s", ruleIDs(fs), r.rule)
			}
			for _, f := range fs {
				if f.Rule == r.rule && (f.Summary == "" || len(f.Observations) == 0) {
					t.Errorf("finding of %s lacks a summary or citations: %+v", r.rule, f)
				}
			}
		})
	}
}

// producedElsewhere lists mechanisms no verdict rule writes by itself;
// each names where it comes from.
var producedElsewhere = map[record.Mechanism]string{}

// TestEveryRuleHasARow: each rule (and site rule) is exercised by a
// capture or a row, and every mechanism of record's vocabulary is reached
// by some rule.
func TestEveryRuleHasARow(t *testing.T) {
	seen, mechs := map[string]bool{}, map[record.Mechanism]bool{}
	note := func(fs []record.Finding) {
		for _, f := range fs {
			seen[f.Rule], mechs[f.Mechanism] = true, true
		}
	}
	for name := range captureRules {
		note(Analyze(loadRun(t, name)).Findings)
	}
	for _, r := range ruleRows() {
		note(Analyze(r.in).Findings)
	}
	for _, r := range Rules() {
		if !seen[r.ID] {
			t.Errorf("rule %s has no test row", r.ID)
		}
		if r.Doc == "" {
			t.Errorf("rule %s has no doc", r.ID)
		}
	}
	for _, r := range SiteRules() {
		if !seen[r.ID] {
			t.Errorf("site rule %s has no test row", r.ID)
		}
	}
	for _, r := range PostRules() {
		if !seen[r.ID] {
			t.Errorf("post-pass %s has no test row", r.ID)
		}
	}
	for _, r := range problemRows() {
		seen[r.rule] = true
	}
	for _, r := range ProblemRules() {
		if !seen[r.ID] {
			t.Errorf("problem rule %s has no test row", r.ID)
		}
	}
	for _, m := range record.Mechanisms {
		if !mechs[m] && producedElsewhere[m] == "" {
			t.Errorf("mechanism %s is reached by no rule", m)
		}
	}
}

// TestRuleIDsUnique: a finding's rule id names one rule.
func TestRuleIDsUnique(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range Rules() {
		if ids[r.ID] {
			t.Errorf("duplicate rule id %s", r.ID)
		}
		ids[r.ID] = true
	}
	for _, r := range SiteRules() {
		if ids[r.ID] {
			t.Errorf("duplicate rule id %s", r.ID)
		}
		ids[r.ID] = true
	}
}

type problemRow struct {
	rule string
	kind record.ProblemKind
	in   Input
}

func problemRows() []problemRow {
	static := func(o record.Observation) record.Observation {
		o.Class.Page = "custom-html"
		o.Response.Header["Server"] = []string{"SimpleHTTP/0.6 Python/3.11"}
		o.Response.Header["Content-Type"] = []string{"text/html"}
		return o
	}
	return []problemRow{
		{"no-answer", record.ProblemNoAnswer, raw(ob("discover", edge, 0, fail(record.FailDNS)), ob(asked, edge, 0, fail(record.FailDNS)))},
		{"no-answer", record.ProblemNoAnswer, raw(ob("discover", edge, 0, fail(record.FailTimeout)))},
		{"not-wordpress", record.ProblemNotWordPress, raw(static(ob("discover", edge, 200)), static(ob("index", edge, 404)), static(ob(asked, edge, 404)))},
	}
}

// TestProblemRows: nothing answering, or a site that is not WordPress, is
// a problem with no findings, never a refusal.
func TestProblemRows(t *testing.T) {
	for _, r := range problemRows() {
		res := Analyze(r.in)
		if res.Problem == nil || res.Problem.Rule != r.rule || res.Problem.Kind != r.kind {
			t.Errorf("%s: problem %+v", r.rule, res.Problem)
			continue
		}
		if len(res.Findings) != 0 {
			t.Errorf("%s: findings %v besides the problem", r.rule, ruleIDs(res.Findings))
		}
	}
	if p := Analyze(raw(ob("discover", edge, 0, fail(record.FailTimeout)))).Problem; !strings.Contains(p.Next, "--timeout") {
		t.Errorf("a timeout does not mention --timeout: %+v", p)
	}
}

// TestNotAProblem: a refusal that hides WordPress, a redirect, or some
// requests failing is not a problem: findings say what happened.
func TestNotAProblem(t *testing.T) {
	for name, i := range map[string]Input{
		"all refused":    raw(ob("discover", edge, 403), ob(asked, edge, 403)),
		"redirected":     raw(ob("discover", edge, 301, hdr("Location", "https://blog.example/")), ob(asked, edge, 301, hdr("Location", "https://blog.example/wp-json/wp/v2/posts"))),
		"one route down": in(ob(asked, edge, 0, fail(record.FailConnReset))),
	} {
		res := Analyze(i)
		if res.Problem != nil {
			t.Errorf("%s: problem %+v", name, res.Problem)
		}
		if len(res.Findings) == 0 {
			t.Errorf("%s: no finding", name)
		}
	}
}

// TestLockedOriginNeverBlamed: when the origin only answers its CDN and
// the edge refuses one route, the origin server is not blamed, and the
// lockdown is said once.
func TestLockedOriginNeverBlamed(t *testing.T) {
	for _, page := range []string{"custom-html", "stock-nginx", ""} {
		res := Analyze(withOrigin(in(ob("index", edge, 200, wp("")), ob("index", origin, 403, pageShape("stock-nginx")),
			ob(asked, edge, 403, pageShape(page)), ob(asked, origin, 403, pageShape("stock-nginx")))))
		locks := 0
		for _, f := range res.Findings {
			if f.Mechanism == record.MechOriginLocked {
				locks++
				continue
			}
			if f.Layer == record.LayerServer || f.Layer == record.LayerWAF {
				t.Errorf("page %q: the origin is blamed: %s/%s (%s)", page, f.Layer, f.Mechanism, f.Rule)
			}
		}
		if locks != 1 {
			t.Errorf("page %q: %d origin-locked findings", page, locks)
		}
	}
}

// TestAppPasswordsCause: "application passwords unavailable" names its
// cause: plain HTTP, a security plugin the index shows, or a filter.
func TestAppPasswordsCause(t *testing.T) {
	lostApp := ob(asked, edge, 401, auth(record.AuthAppPassword), wp("rest_not_logged_in"))
	for _, c := range []struct {
		target, ns, want string
		layer            record.Layer
	}{
		{"http://blog.example/", "", "plain HTTP", record.LayerWordPress},
		{"https://blog.example/", "wordfence/v1", "Wordfence", record.LayerPlugin},
		{"https://blog.example/", "", "wp_is_application_passwords_available", record.LayerWordPress},
	} {
		i := in(lostApp)
		i.TargetURL, i.AppPasswords = c.target, "unavailable"
		if c.ns != "" {
			i.Site.Namespaces = []string{"wp/v2", c.ns}
		}
		fs := Analyze(i).Findings
		if len(fs) == 0 || fs[0].Rule != "app-passwords-unavailable" || !strings.Contains(fs[0].Summary+fs[0].Next, c.want) || fs[0].Layer != c.layer {
			t.Errorf("%s %s: %+v", c.target, c.ns, fs)
		}
	}
}

// TestVendorCarried: a block page the classifier attributes to a plugin
// (by its assets) names that plugin in the finding, for the remedy.
func TestVendorCarried(t *testing.T) {
	plugin := func(o *record.Observation) {
		o.Class.Plugin, o.Class.AppCode, o.Class.Page = "wordfence", true, "plugin-page"
	}
	fs := Analyze(in(ob(asked, origin, 403, plugin))).Findings
	if len(fs) == 0 || fs[0].Vendor != "wordfence" || fs[0].Layer != record.LayerPlugin {
		t.Fatalf("%+v", fs)
	}
}

// TestWantedIsNotHardening: a request the user wants (retest --browser,
// a policy allow rule) is a refusal even when it looks like hardening.
func TestWantedIsNotHardening(t *testing.T) {
	users := ob("public:users", edge, 403, route("/wp/v2/users"), sig(record.KindRefusal, record.LayerEdge, "HAProxy", record.MechAccessRule))
	i := in(users)
	if fs := Analyze(i).Findings; len(fs) != 1 || fs[0].Severity != record.SevInfo || fs[0].Rule != ruleHardening {
		t.Fatalf("not wanted: %+v", fs)
	}
	i.Wanted = []record.Request{{Method: "GET", Route: "/wp/v2/users"}}
	if fs := Analyze(i).Findings; len(fs) != 1 || fs[0].Severity != record.SevBlock || fs[0].Rule == ruleHardening {
		t.Fatalf("wanted: %+v", fs)
	}
}

// TestRoleOnObservation: the role the source set on an observation wins
// over what its probe key implies: a request the user made (whatever its
// key) is never taken for hardening; a plan key built by record.PlanKey
// is the constant the verdict compares with.
func TestRoleOnObservation(t *testing.T) {
	users := ob("public:users", edge, 403, route("/wp/v2/users"), sig(record.KindRefusal, record.LayerEdge, "HAProxy", record.MechAccessRule))
	users.Role = record.RoleUser
	if fs := Analyze(in(users)).Findings; len(fs) != 1 || fs[0].Severity != record.SevBlock || fs[0].Rule == ruleHardening {
		t.Fatalf("the user's own request was taken for hardening: %+v", fs)
	}
	if record.PlanKey(record.PlanUsersMe, record.AuthCookieNonce) != record.ProbeUsersMeCookie ||
		record.PlanKey(record.PlanIntrospect, record.AuthAppPassword) != record.ProbeIntrospectApp {
		t.Error("the plan's keys and the verdict's constants disagree")
	}
	if n, ok := record.UserIndex(record.UserKey(3, record.AuthNone)); !ok || n != 3 {
		t.Errorf("UserIndex(UserKey(3)) = %d, %v", n, ok)
	}
}
