package verdict

import (
	"github.com/wp403/wp403/internal/record"
)

// WordPress resolves an application password only once it knows the
// request is a REST request (REST_REQUEST, defined in parse_request), and
// reports a failed one through rest_authentication_errors. A plugin that
// decides earlier (init, parse_request, rest_api_init) with
// is_user_logged_in() sees every application-password client as a visitor
// and answers before the REST server runs, so its answer carries none of
// the REST server's headers. Such a refusal says nothing about the
// password: wp403 proves the credentials before blaming them.

// refusedBeforeREST: an application-password request that WordPress (a
// plugin in it) refused without the REST server's headers, so before
// WordPress looked at the password. A freshly created password that
// works means the one in use is wrong, not early.
func refusedBeforeREST(f *Facts) bool {
	p := &f.Primary
	if !wrote(f) || p.REST || p.Auth != record.AuthAppPassword || !p.SentCredentials {
		return false
	}
	if p.Status != 401 && p.Status != 403 {
		return false
	}
	fresh := freshAt(f)
	return fresh == nil || !fresh.Met
}

// sessionPasses: the same user's cookie session got the same method and
// route through at the same vantage.
func sessionPasses(f *Facts) bool { return f.CookieSession != nil && f.CookieSession.Met }

// earlyAuthRules come before the credential rules: they decide that the
// credentials are not what was refused.
var earlyAuthRules = []Rule{
	{ID: "auth-checked-too-early", Doc: "An application-password request is refused before the REST server ran, while the same user's cookie session passes the same route: a plugin checks the login before WordPress authenticates application passwords.",
		When: func(f *Facts) bool { return refusedBeforeREST(f) && sessionPasses(f) },
		Then: func(f *Facts) attribution {
			a := tooEarly(f, record.ConfHigh)
			a.summary = "A plugin (or the theme) refuses application-password requests before WordPress authenticates them (" +
				itoa(f.Primary.Status) + codeText(code(f)) + ", sent before the REST server ran), while the same user's browser session passes the same request: " +
				"the application password is not at fault."
			a.cite("the same request with the same user's cookie session passes", f.CookieSession.obs())
			if fresh := freshAt(f); fresh != nil && fresh.Status == f.Primary.Status {
				a.cite("a freshly created application password is refused the same way", fresh.obs())
			}
			return a
		}},
	{ID: "auth-refused-before-rest", Doc: "An application-password request is refused before the REST server ran: nothing there checked the password yet.",
		When: refusedBeforeREST,
		Then: func(f *Facts) attribution {
			a := tooEarly(f, record.ConfMedium)
			a.summary = "The application-password request was refused before WordPress's REST server ran (" + itoa(f.Primary.Status) + codeText(code(f)) +
				", none of its headers), that is before WordPress checks application passwords: a plugin or the theme refuses it early, whether or not the password is valid."
			switch {
			case f.CookieSession != nil:
				a.cite("the same user's cookie session is refused too", f.CookieSession.obs())
				a.summary += " The same user's cookie session is refused too, so the plugin refuses this route to that user as well."
			default:
				a.next = "To prove the password valid, run again with the same user's --password-file (wp403 then sends the request with the browser session, and with --write tries a fresh application password); " + a.next
			}
			return a
		}},
}

// tooEarly is a plugin refusing before authentication, with its fix.
func tooEarly(f *Facts, conf record.Confidence) attribution {
	a := attribution{layer: record.LayerPlugin, mech: record.MechRESTDisabled, conf: conf, vendor: f.Primary.PluginSlug}
	a.cite("refused without the REST server's headers", f.Primary.obs())
	a.next = "Allow application-password (REST API) clients in the refusing plugin's settings, or have its check run on rest_authentication_errors, " +
		"where WordPress has authenticated application passwords, instead of init, parse_request or rest_api_init. " +
		"Rotating the password or changing how the server passes Authorization will not help."
	return a
}
