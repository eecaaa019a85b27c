package verdict

import (
	"github.com/wp403/wp403/internal/record"
)

// wrote: WordPress (core or a plugin in it) wrote the primary answer.
func wrote(f *Facts) bool { return f.Primary.HTTP && !f.Primary.ReadFailure && f.Primary.ReachedWP }

func code(f *Facts) string { return f.Primary.WPCode }

// wordpressRules explain a refusal that WordPress (core or a plugin in it)
// wrote. The edge may still be to blame when it changed the request.
var wordpressRules = concat([]Rule{
	{ID: "edge-drops-credentials", Doc: "WordPress saw no (valid) credentials through the edge but accepted the same request at the origin: the edge drops a header.",
		When: func(f *Facts) bool {
			return wrote(f) && f.OriginGotFurther && f.Primary.SentCredentials
		},
		Then: edgeDropsCredentials},
	tokenRule,
	{ID: "plugin-signature", Doc: "A plugin's refusal signature matched the answer.",
		When: func(f *Facts) bool { return wrote(f) && f.Primary.Plugin != nil },
		Then: func(f *Facts) attribution {
			return pluginRefusal(f, f.Primary.Plugin.Vendor, f.Primary.Plugin.Mechanism)
		}},
}, refusalShapeRules, nonceRules, earlyAuthRules, credentialRules, []Rule{
	{ID: "wp-die", Doc: "A plugin stopped the request with wp_die() before the REST server ran it.",
		When: func(f *Facts) bool { return wrote(f) && code(f) == "wp_die" },
		Then: func(f *Facts) attribution { return pluginRefusal(f, "", record.MechRESTDisabled) }},
	{ID: "plugin-error-code", Doc: "A WP_Error code that is not a core code: a plugin or theme refused.",
		When: func(f *Facts) bool { return wrote(f) && code(f) != "" && !isCoreCode(code(f)) },
		Then: func(f *Facts) attribution { return pluginRefusal(f, f.Primary.PluginSlug, record.MechRESTDisabled) }},
	{ID: "permission", Doc: "WordPress knew the user (403 with credentials): the role lacks the capability.",
		When: func(f *Facts) bool { return wrote(f) && f.Primary.Status == 403 && f.Primary.SentCredentials },
		Then: permission},
	{ID: "public-route-needs-auth", Doc: "Anonymous 401 on a route core answers anonymously: a plugin restricts the REST API.",
		When: func(f *Facts) bool { return wrote(f) && f.Primary.Status == 401 && f.PublicRoute },
		Then: func(f *Facts) attribution {
			a := attribution{layer: record.LayerPlugin, mech: record.MechRESTDisabled, conf: record.ConfMedium}
			a.summary = "Anonymous requests to a normally public route are refused (401" + codeText(code(f)) + "): core would answer 200 here, so a plugin or snippet restricts the REST API to logged-in users."
			a.cite("", f.Primary.obs())
			a.next = "Allow the public routes your site needs in the restricting plugin's settings."
			return a
		}},
	{ID: "public-route-refused", Doc: "WordPress refused an anonymous GET of a route core serves to anyone (e.g. /wp/v2/users): a plugin, snippet or hardening.",
		When: func(f *Facts) bool { return wrote(f) && f.Primary.Status == 403 && f.PublicRoute },
		Then: func(f *Facts) attribution {
			a := attribution{layer: record.LayerPlugin, mech: record.MechRESTDisabled, conf: record.ConfMedium, vendor: f.Primary.PluginSlug}
			a.summary = "WordPress core answers anonymous " + f.Request.Method + " " + f.Request.Route + " (core would answer 200 here), yet it was refused (403" + codeText(code(f)) +
				"): a plugin, a theme's snippet or deliberate hardening restricts it."
			a.cite("", f.Primary.obs())
			a.next = "If the site needs this route anonymously, allow it in the restricting plugin's settings; if it is closed on purpose, nothing is broken."
			return a
		}},
	{ID: "needs-auth", Doc: "401 without credentials on a route that needs them.",
		When: func(f *Facts) bool { return wrote(f) && f.Primary.Status == 401 },
		Then: func(f *Facts) attribution {
			a := attribution{layer: record.LayerClient, mech: record.MechCredentials, conf: record.ConfHigh}
			a.summary = "This route needs authentication and the request carried none (401" + codeText(code(f)) + ")."
			a.cite("", f.Primary.obs())
			a.next = "Send an application password (--user with --app-password-file) or a cookie with its nonce."
			return a
		}},
	{ID: "no-route-for-method", Doc: "404 rest_no_route, but GET on the same route reaches it: the method changed on the way.",
		When: func(f *Facts) bool {
			return wrote(f) && code(f) == "rest_no_route" && f.GetControl != nil && f.GetControl.ReachedWP && f.GetControl.WPCode != "rest_no_route"
		},
		Then: func(f *Facts) attribution {
			a := attribution{layer: record.LayerWordPress, mech: record.MechMethodRule, conf: record.ConfMedium}
			a.summary = "WordPress has this route but not for method " + f.Primary.Method + " as it arrived: a redirect or proxy may have changed the method, or the method override was dropped."
			a.cite("", f.Primary.obs())
			a.cite("GET on the same route reaches the route", f.GetControl.obs())
			return a
		}},
	{ID: "no-route", Doc: "404 rest_no_route: the plugin providing the route is inactive or a plugin removed it.",
		When: func(f *Facts) bool { return wrote(f) && code(f) == "rest_no_route" },
		Then: func(f *Facts) attribution {
			a := attribution{layer: record.LayerPlugin, mech: record.MechRESTDisabled, conf: record.ConfLow}
			a.summary = "WordPress does not know this route (404 rest_no_route): its plugin is inactive, or a plugin removed the route from the REST API."
			a.cite("", f.Primary.obs())
			a.next = "Check that the plugin providing the namespace is active and that no hardening plugin unsets the route (rest_endpoints)."
			return a
		}},
	{ID: "wordpress-other", Doc: "WordPress answered with something that is not a refusal wp403 can explain.",
		When: wrote,
		Then: func(f *Facts) attribution {
			a := attribution{layer: record.LayerWordPress, mech: record.MechUnknown, conf: record.ConfLow}
			a.summary = "WordPress answered " + itoa(f.Primary.Status) + codeText(code(f)) + "; this is not a refusal wp403 can explain further."
			a.cite("", f.Primary.obs())
			return a
		}},
})

// codeText follows a status with WordPress's error code: "403
// rest_cannot_create" (it sits inside parentheses already).
func codeText(code string) string {
	if code == "" {
		return ""
	}
	return " " + code
}

// edgeDropsCredentials: the same request reached WordPress authenticated
// at the origin but lost its credentials through the edge.
func edgeDropsCredentials(f *Facts) attribution {
	a := attribution{layer: record.LayerEdge, mech: record.MechHeaderStripped, conf: record.ConfHigh}
	a.header = strippedHeader(&f.Primary)
	a.summary = "The edge drops the " + a.header + " header: the same request sent straight to the origin is accepted, " +
		"but through the edge WordPress " + edgeEffect(&f.Primary) + "."
	a.cite("through the edge", f.Primary.obs())
	a.cite("same request at the origin succeeds", f.Origin.obs())
	a.next = "Configure the edge/CDN to pass " + a.header + " through to the origin for /wp-json/ requests."
	return a
}

// strippedHeader names the header that carries the credentials of this kind.
func strippedHeader(e *Obs) string {
	switch e.Auth {
	case record.AuthAppPassword:
		return "Authorization"
	case record.AuthCookieNonce:
		if e.WPCode == "rest_cookie_invalid_nonce" {
			return "Cookie"
		}
		return "X-WP-Nonce"
	case record.AuthCookieOnly:
		return "Cookie"
	}
	return "credential"
}

func edgeEffect(e *Obs) string {
	if e.Status == 401 {
		return "saw an anonymous user (401)"
	}
	return "refused it (" + itoa(e.Status) + codeText(e.WPCode) + ")"
}

func pluginRefusal(f *Facts, vendor string, mech record.Mechanism) attribution {
	if mech == "" {
		mech = record.MechRESTDisabled
	}
	a := attribution{layer: record.LayerPlugin, mech: mech, vendor: vendor, conf: record.ConfHigh}
	who := "A plugin (or the theme)"
	if vendor != "" {
		who = vendor
	}
	switch c := code(f); {
	case c == "wp_die":
		a.conf = record.ConfMedium
		a.summary = who + " stopped the request with wp_die() before WordPress's REST server ran it."
	case c != "":
		a.summary = who + " refused the request inside WordPress with its own error code " + c + " (" + itoa(f.Primary.Status) + ")."
	default:
		a.summary = who + " answered with its own block page inside PHP, before WordPress routed the request."
	}
	a.next = "Allow this route (and role or application) in the plugin's REST API settings instead of disabling the plugin."
	a.cite("", f.Primary.obs())
	return a
}

// permission: WordPress knew the user (403) and refused.
func permission(f *Facts) attribution {
	a := attribution{layer: record.LayerWordPress, mech: record.MechPermission, conf: record.ConfHigh}
	a.summary = "WordPress recognised the user and refused (403" + codeText(code(f)) + "): this role lacks the capability for this request."
	if code(f) == "" || code(f) == "rest_forbidden" {
		a.conf = record.ConfMedium
	}
	a.cite("", f.Primary.obs())
	a.next = "Use an account whose role has the capability, or grant it (a role editor), rather than loosening any firewall."
	return a
}

// unlessEdge adds what --origin would settle when credentials were lost
// and the edge could be the one dropping them.
func unlessEdge(then func(*Facts) attribution, header func(*Facts) string) func(*Facts) attribution {
	return func(f *Facts) attribution {
		a := then(f)
		if f.Site.CanCompareOrigin() || a.layer == record.LayerWordPress {
			return a
		}
		a.needsOrigin = "A proxy or CDN in front of the origin can drop the " + header(f) +
			" header too: run again with --origin ADDR (the origin server's address) to see whether the same request succeeds there."
		if a.conf == record.ConfHigh && f.Site.EdgePresence {
			a.conf = record.ConfMedium
		}
		return a
	}
}

// isAuthErrorCode: codes that say the credentials did not work.
func isAuthErrorCode(code string) bool {
	switch code {
	case "application_passwords_disabled", "application_passwords_disabled_for_user", "rest_not_logged_in",
		"rest_cookie_invalid_nonce", "incorrect_password", "invalid_username", "invalid_email":
		return true
	}
	return false
}
