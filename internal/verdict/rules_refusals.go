package verdict

import (
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// Refusals WordPress's REST server carried that are not core's 401/403
// (issue 20): a credential the site rejects although the route is public,
// a REST error in a 2xx body, a 405 from a method guard.

// tokenRefused: the request carried a credential, was refused, and the
// same request without it passes: the route is public and the credential
// itself is what the site rejects (an expired or forged Bearer token).
var tokenRule = Rule{ID: "token-refused", Doc: "The request's own credential is refused on a route the same request without it passes: the token was refused, not the user's permission.",
	When: func(f *Facts) bool {
		return wrote(f) && f.Primary.SentCredentials && (f.Primary.Status == 401 || f.Primary.Status == 403) &&
			f.NoAuth != nil && f.NoAuth.Met
	},
	Then: func(f *Facts) attribution {
		a := attribution{layer: record.LayerPlugin, mech: record.MechCredentials, conf: record.ConfHigh, header: "Authorization"}
		if f.Primary.Plugin != nil {
			a.vendor = f.Primary.Plugin.Vendor
		}
		if c := code(f); isCoreAuthCode(c) {
			a.layer = record.LayerWordPress
		}
		scheme := authScheme(f.Primary.obs())
		a.summary = "Your " + scheme + " was refused (" + itoa(f.Primary.Status) + codeText(code(f)) + "): the same request without the Authorization header passes, " +
			"so the route is open and the credential you send is what the site rejects (expired, revoked, forged or for another site), not your permission."
		a.cite("refused with the credential", f.Primary.obs())
		a.cite("the same request without it passes", f.NoAuth.obs())
		a.next = "Get a fresh token from the site's token endpoint (or check the plugin's secret key and clock), or send no credential to public routes."
		return a
	}}

// authScheme names what the Authorization header carried ("Bearer token").
func authScheme(o *record.Observation) string {
	if o == nil {
		return "credential"
	}
	for k, vs := range o.Request.Header {
		if !strings.EqualFold(k, "Authorization") || len(vs) == 0 {
			continue
		}
		s, _, _ := strings.Cut(strings.TrimSpace(vs[0]), " ")
		switch strings.ToLower(s) {
		case "bearer":
			return "Bearer token (Authorization header)"
		case "basic":
			return "Basic credentials (Authorization header)"
		}
		return "Authorization header"
	}
	return "credential"
}

func isCoreAuthCode(c string) bool {
	switch c {
	case "incorrect_password", "invalid_username", "invalid_email", "rest_cookie_invalid_nonce", "application_passwords_disabled":
		return true
	}
	return false
}

// bodyStatus is the status a 2xx REST error body declares, or 0.
func bodyStatus(f *Facts) int {
	o := f.Primary.obs()
	if o == nil || o.Class == nil || o.Class.WPError == nil || f.Primary.Status < 200 || f.Primary.Status > 299 {
		return 0
	}
	return o.Class.WPError.Status
}

var refusalShapeRules = []Rule{
	{ID: "refused-in-body", Doc: "HTTP 2xx whose JSON body is a REST error with a refusal status: a plugin built the error by hand (core sets the HTTP status from the error).",
		When: func(f *Facts) bool { return wrote(f) && bodyStatus(f) >= 400 },
		Then: func(f *Facts) attribution {
			a := attribution{layer: record.LayerPlugin, mech: record.MechRESTDisabled, conf: record.ConfMedium, vendor: f.Primary.PluginSlug}
			a.summary = "The answer is HTTP " + itoa(f.Primary.Status) + " but its body is a REST error with status " + itoa(bodyStatus(f)) + codeText(code(f)) +
				": refused in the body. WordPress core sets the HTTP status from its errors, so a plugin (on rest_pre_dispatch or rest_post_dispatch) built this answer; clients that read only the status take it for success."
			a.cite("", f.Primary.obs())
			a.next = "Find the plugin that returns this code (the agent, --agent-key-file, names it) and allow the route there; ask its author to return a WP_Error so the status is right."
			return a
		}},
	{ID: "rest-method-refused", Doc: "405 from WordPress's REST server: core answers a method a route lacks with 404 rest_no_route, so a plugin refuses the method (its Allow lists what it lets through).",
		When: func(f *Facts) bool { return wrote(f) && f.Primary.Status == 405 },
		Then: func(f *Facts) attribution {
			a := attribution{layer: record.LayerPlugin, mech: record.MechMethodRule, conf: record.ConfMedium, vendor: f.Primary.PluginSlug}
			allow := header(f.Primary.obs(), "Allow")
			a.summary = "WordPress's REST server answered 405" + codeText(code(f)) + " to " + f.Request.Method + ": core never does (a method a route lacks is 404 rest_no_route), so a plugin refuses this method"
			if allow != "" {
				a.summary += "; its Allow: " + allow + " lists what it lets through"
			}
			a.summary += "."
			a.cite("", f.Primary.obs())
			if f.GetControl != nil && f.GetControl.Met {
				a.conf = record.ConfHigh
				a.cite("GET on the same route passes: the refusal keys on the method", f.GetControl.obs())
			}
			a.next = "Allow " + f.Request.Method + " on this route in the plugin's settings, or send the method it allows (the block editor uses X-HTTP-Method-Override, which WordPress applies before plugins see the method)."
			return a
		}},
}
