package report

import (
	"time"

	"github.com/wp403/wp403/internal/record"
)

// Realistic reports for the golden tests, one per shape a renderer must
// handle. Once the diagnose engine lands, goldens from lab captures join
// them.

var started = time.Date(2026, 11, 20, 14, 3, 7, 0, time.UTC)

func baseReport(url string) *record.Report {
	return &record.Report{
		Schema: record.SchemaVersion, Tool: "wp403 0.1.0", Command: "diagnose",
		Started: started, DurationMS: 2310,
		Target: record.Target{URL: url, Host: "blog.example.com", RESTRoot: "https://blog.example.com/wp-json/",
			Origin: "203.0.113.10", User: "editor", Source: "live"},
		Site: record.Site{Name: "Example Blog", URL: "https://blog.example.com", Home: "https://blog.example.com",
			Namespaces: []string{"oembed/1.0", "wp/v2"}, AppPasswords: "available"},
	}
}

// obs builds an observation; status < 0 means the failure in fail.
func obs(id string, v record.Vantage, method, url string, auth record.AuthKind, status int, producer record.Layer, vendor string) record.Observation {
	o := record.Observation{
		ID: id, Probe: method + " " + url + " " + string(auth), Vantage: v, RequestID: "wp403-" + id,
		Request: record.HTTPRequest{Method: method, URL: url, Auth: auth, Style: record.StylePretty},
		Timing:  record.Timing{ConnectMS: 11.2, FirstByteMS: 84.5, TotalMS: 91.3},
	}
	if status > 0 {
		o.Response = &record.HTTPResponse{Status: status, Proto: "HTTP/2.0", BodyBytes: 153,
			Header: map[string][]string{"Content-Type": {"text/html"}}}
		o.Class = &record.Class{Producer: producer, Vendor: vendor, Refusal: status >= 400}
	}
	return o
}

func wafRuleReport() *record.Report {
	r := baseReport("https://blog.example.com/")
	edge := obs("o5", record.VantageEdge, "POST", "https://blog.example.com/wp-json/wp/v2/posts", record.AuthCookieNonce, 403, record.LayerWAF, "ModSecurity")
	origin := obs("o6", record.VantageOrigin, "POST", "https://blog.example.com/wp-json/wp/v2/posts", record.AuthCookieNonce, 403, record.LayerWAF, "ModSecurity")
	origin.Class.Page = "stock-nginx"
	origin.Class.Matches = []record.Match{{ID: "modsecurity-crs-deny", Vendor: "ModSecurity", Layer: record.LayerWAF,
		Kind: record.KindRefusal, Mechanism: record.MechWAFRule, Meaning: "CRS anomaly threshold reached", Markers: []string{"audit log 949110"}}}
	benign := obs("o7", record.VantageOrigin, "POST", "https://blog.example.com/wp-json/wp/v2/posts", record.AuthCookieNonce, 201, record.LayerWordPress, "")
	benign.Request.BodyKind = "benign"
	benign.Variant = "benign-body"
	benign.Class.REST = true
	r.Observations = []record.Observation{
		obs("o1", record.VantageEdge, "GET", "https://blog.example.com/wp-json/", record.AuthNone, 200, record.LayerWordPress, ""),
		obs("o2", record.VantageOrigin, "GET", "https://blog.example.com/wp-json/", record.AuthNone, 200, record.LayerWordPress, ""),
		edge, origin, benign,
	}
	r.Findings = []record.Finding{{
		ID: "f1", Severity: record.SevBlock, Layer: record.LayerWAF, Mechanism: record.MechWAFRule, Vendor: "ModSecurity",
		Request:    record.Request{Method: "POST", Route: "/wp/v2/posts", Auth: record.AuthCookieNonce},
		Related:    []record.Request{{Method: "PUT", Route: "/wp/v2/posts/42", Auth: record.AuthCookieNonce}},
		Status:     record.StatusPair{Edge: 403, Origin: 403},
		Confidence: record.ConfHigh,
		Summary:    "ModSecurity with the OWASP CRS on the origin refused the post save: rule 941160 matched HTML in the post content.",
		Evidence: []string{
			"The same POST with a plain-text body was created at the origin (201), so the body content triggers the refusal.",
			"The 403 is nginx's stock page without WordPress REST headers: WordPress never saw the request.",
		},
		Next:         "Add the exclusion, reload nginx, then run `wp403 retest report.json`.",
		Rules:        []record.RuleHit{{ID: 941160, Message: "NoScript XSS InjectionChecker: HTML Injection", Target: "ARGS:json.content", Paranoia: 1, Phase: 2}, {ID: 949110, Message: "Inbound Anomaly Score Exceeded (Total Score: 5)", Phase: 2}},
		Observations: []string{"o5", "o6", "o7"},
		Remedies: []record.Remedy{{Layer: record.LayerWAF, Product: "ModSecurity v3 + CRS 4", Narrow: true,
			Title: "Stop rule 941160 inspecting post content on the posts route",
			Scope: "Rule 941160 no longer reads ARGS:json.content on /wp/v2/posts; every other rule still inspects it, and 941160 still inspects every other argument.",
			Snippet: `SecRule REQUEST_URI "@rx ^/(?:wp-json/wp/v2/posts|\?rest_route=/wp/v2/posts)" \
    "id:1009410,phase:1,pass,nolog,\
    ctl:ruleRemoveTargetById=941160;ARGS:json.content"`,
			Where:  "/etc/nginx/modsec/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf, then nginx -s reload",
			Caveat: "WordPress's unfiltered_html capability still decides which HTML an editor may save."}, {
			Layer: record.LayerWAF, Product: "ModSecurity v3 + CRS 4", Narrow: false,
			Title:   "Raise the inbound anomaly threshold (broad: every request on the site)",
			Scope:   "Every request on the site may score higher before it is refused.",
			Snippet: `SecAction "id:900110,phase:1,pass,nolog,setvar:tx.inbound_anomaly_score_threshold=10"`,
			Where:   "crs-setup.conf",
			Caveat:  "Weakens the WAF everywhere; use only when the exclusion above cannot be deployed."}},
		StoppedAt: record.LayerWAF,
	}, {
		ID: "f2", Severity: record.SevWarn, Layer: record.LayerWordPress, Mechanism: record.MechCanonical,
		Request:      record.Request{Method: "GET", Route: "/", Auth: record.AuthNone},
		Status:       record.StatusPair{Edge: 200, Origin: 200},
		Confidence:   record.ConfMedium,
		Summary:      "The REST index says home is http://blog.example.com while the site was reached over https; links the editor builds may mix schemes.",
		Next:         "Set both Site Address and WordPress Address to https:// in Settings > General.",
		Observations: []string{"o1", "o2"},
	}}
	return r
}

func edgeBlockReport() *record.Report {
	r := baseReport("https://blog.example.com/")
	r.Target.User = "integration"
	edge := obs("o3", record.VantageEdge, "POST", "https://blog.example.com/wp-json/wp/v2/posts", record.AuthAppPassword, 403, record.LayerEdge, "Cloudflare")
	edge.Class.Page = "custom-html"
	edge.Class.Matches = []record.Match{{ID: "cloudflare-block-1020", Vendor: "Cloudflare", Layer: record.LayerEdge, Kind: record.KindRefusal,
		Mechanism: record.MechBlockPage, Meaning: "Cloudflare block page, error 1020 (firewall rule)", Markers: []string{"cf-ray", "error code: 1020"}, IncidentID: "8e1f2a3b4c5d6e7f-FRA"}}
	origin := obs("o4", record.VantageOrigin, "POST", "https://blog.example.com/wp-json/wp/v2/posts", record.AuthAppPassword, 201, record.LayerWordPress, "")
	origin.Class.REST = true
	r.Observations = []record.Observation{edge, origin}
	r.Findings = []record.Finding{{
		ID: "f1", Severity: record.SevBlock, Layer: record.LayerEdge, Mechanism: record.MechBlockPage, Vendor: "Cloudflare",
		Request:      record.Request{Method: "POST", Route: "/wp/v2/posts", Auth: record.AuthAppPassword},
		Status:       record.StatusPair{Edge: 403, Origin: 201},
		Confidence:   record.ConfHigh,
		Summary:      "Cloudflare refused the request at the edge with its block page (error 1020, a firewall rule); the origin accepted the same request.",
		Evidence:     []string{"Ray ID 8e1f2a3b4c5d6e7f-FRA names the event in Security > Events."},
		Next:         "Open Security > Events, search for Ray ID 8e1f2a3b4c5d6e7f-FRA, and note which rule fired.",
		Observations: []string{"o3", "o4"},
		Remedies: []record.Remedy{{Layer: record.LayerEdge, Product: "Cloudflare", Narrow: true,
			Title:   "Skip the blocking custom rule for authenticated post writes",
			Scope:   "Only POST to /wp-json/wp/v2/posts carrying an Authorization header skips custom rules; managed rules still run.",
			Snippet: `(http.request.uri.path wildcard r"/wp-json/wp/v2/posts*" and http.request.method eq "POST" and len(http.request.headers["authorization"]) > 0)`,
			Where:   "Security > WAF > Custom rules: a Skip rule placed above the blocking rule"}},
		StoppedAt: record.LayerEdge,
	}}
	return r
}

func capabilityReport() *record.Report {
	r := baseReport("https://blog.example.com/")
	r.Target.Origin = ""
	r.Target.User = "author"
	me := obs("o1", record.VantageEdge, "GET", "https://blog.example.com/wp-json/wp/v2/users/me", record.AuthAppPassword, 200, record.LayerWordPress, "")
	me.Class.REST = true
	create := obs("o2", record.VantageEdge, "POST", "https://blog.example.com/wp-json/wp/v2/users", record.AuthAppPassword, 403, record.LayerWordPress, "")
	create.Class.REST = true
	create.Class.WPError = &record.WPError{Code: "rest_cannot_create_user", Message: "Sorry, you are not allowed to create new users.", Status: 403}
	r.Observations = []record.Observation{me, create}
	r.Findings = []record.Finding{{
		ID: "f1", Severity: record.SevBlock, Layer: record.LayerWordPress, Mechanism: record.MechPermission,
		Request:      record.Request{Method: "POST", Route: "/wp/v2/users", Auth: record.AuthAppPassword},
		Status:       record.StatusPair{Edge: 403},
		Confidence:   record.ConfHigh,
		Summary:      `WordPress authenticated the application password as "author", who lacks the create_users capability (rest_cannot_create_user).`,
		Evidence:     []string{"users/me with the same password answered 200: the credentials work.", "403 rather than 401 means WordPress knew the user and refused the action."},
		Next:         "Use an application password of a user who may create users, usually an administrator.",
		NeedsOrigin:  "",
		Observations: []string{"o2", "o1"},
		Remedies: []record.Remedy{{Layer: record.LayerWordPress, Product: "WordPress", Narrow: false,
			Title:   "Run the integration as a user whose role has create_users",
			Scope:   "Creating users needs create_users; WordPress offers no narrower grant than the capability itself.",
			Snippet: "wp user add-cap author create_users", Where: "WP-CLI on the server, or a role editor plugin",
			Caveat: "A user with create_users can create administrators on single sites; prefer a dedicated integration user."}},
		StoppedAt: record.LayerWordPress,
	}, {
		ID: "f2", Severity: record.SevInfo, Layer: record.LayerWordPress, Mechanism: record.MechCredentials,
		Request:      record.Request{Method: "GET", Route: "/wp/v2/users/me", Auth: record.AuthAppPassword},
		Status:       record.StatusPair{Edge: 200},
		Confidence:   record.ConfHigh,
		Summary:      "Application passwords are available and authenticate as author.",
		Observations: []string{"o1"},
	}}
	r.Notes = []string{"No --origin given: the origin was not probed. Refusals are attributed as far as the edge responses allow."}
	return r
}

func healthyReport() *record.Report {
	r := baseReport("https://blog.example.com/")
	r.Observations = []record.Observation{
		obs("o1", record.VantageEdge, "GET", "https://blog.example.com/wp-json/", record.AuthNone, 200, record.LayerWordPress, ""),
		obs("o2", record.VantageEdge, "GET", "https://blog.example.com/wp-json/wp/v2/users/me", record.AuthCookieNonce, 200, record.LayerWordPress, ""),
		obs("o3", record.VantageOrigin, "GET", "https://blog.example.com/wp-json/", record.AuthNone, 200, record.LayerWordPress, ""),
		obs("o4", record.VantageOrigin, "GET", "https://blog.example.com/?rest_route=/wp/v2/users/me", record.AuthCookieNonce, 200, record.LayerWordPress, ""),
	}
	r.Observations[3].Request.Style = record.StyleQuery
	r.Findings = []record.Finding{}
	return r
}

func networkReport() *record.Report {
	r := baseReport("https://blog.example.com/")
	r.Target.Origin = ""
	r.Target.RESTRoot = ""
	r.Site = record.Site{}
	o := obs("o1", record.VantageEdge, "GET", "https://blog.example.com/wp-json/", record.AuthNone, -1, "", "")
	o.Failure = record.FailConnRefused
	o.Error = "dial tcp 203.0.113.10:443: connect: connection refused"
	o.Timing = record.Timing{TotalMS: 12.4}
	r.Observations = []record.Observation{o}
	r.Findings = []record.Finding{{
		ID: "f1", Severity: record.SevBlock, Layer: record.LayerNetwork, Mechanism: record.MechUnreachable,
		Request:      record.Request{Method: "GET", Route: "/", Auth: record.AuthNone},
		Status:       record.StatusPair{Edge: -1},
		Confidence:   record.ConfHigh,
		Summary:      "Nothing answered at 203.0.113.10:443: the TCP connection was refused, so no layer of the site saw the request.",
		Next:         "Check that the web server runs and listens on port 443, and that no firewall drops the address.",
		NeedsOrigin:  "If a CDN fronts the site, give --origin with the server's address to test it directly.",
		Observations: []string{"o1"},
		StoppedAt:    record.LayerNetwork,
	}}
	return r
}

func policyCheckReport() *record.Report {
	r := edgeBlockReport()
	r.Command = "check"
	r.Checks = []record.Check{
		{Name: "integration can create a post", Request: r.Findings[0].Request, Identity: "integration",
			Expect: record.ExpectAllow, Status: record.StatusPair{Edge: 403, Origin: 201}, Finding: "f1", Observations: []string{"o3", "o4"}},
		{Name: "anonymous cannot list users", Request: record.Request{Method: "GET", Route: "/wp/v2/users", Auth: record.AuthNone},
			Identity: "anonymous", Expect: record.ExpectDeny, Pass: true, Status: record.StatusPair{Edge: 401}},
	}
	return r
}

// goldenCases names each fixture; the name is the golden file's stem.
type goldenCase struct {
	name  string
	build func() *record.Report
}

var goldenCases = []goldenCase{
	{"waf-rule", wafRuleReport},
	{"edge-block", edgeBlockReport},
	{"wp-capability", capabilityReport},
	{"healthy", healthyReport},
	{"network-failure", networkReport},
	{"policy-check", policyCheckReport},
}
