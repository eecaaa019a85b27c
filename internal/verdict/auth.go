package verdict

import (
	"encoding/json"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// badNonce explains 403 rest_cookie_invalid_nonce.
func (c *context) badNonce(s *subject, e *record.Observation) attribution {
	a := attribution{layer: record.LayerClient, mech: record.MechNonce, conf: record.ConfHigh}
	a.cite("WordPress rejected the nonce (403 rest_cookie_invalid_nonce)", e)
	fresh := s.get(VarWithNonce, e.Vantage)
	nonceObs, cookieValid := c.okAux("rest-nonce")
	switch {
	case fresh != nil && ok(fresh):
		a.summary = "The nonce sent with the cookies is stale or belongs to another session: the same request with a freshly fetched nonce succeeds."
		a.cite("fresh nonce from admin-ajax.php?action=rest-nonce works", fresh)
		a.next = "Refresh the nonce (admin-ajax.php?action=rest-nonce) before retrying, and keep wp-admin and logged-in pages out of page caches."
	case nonceObs != nil && !cookieValid:
		a.mech = record.MechCredentials
		a.summary = "The login cookie is not valid (expired or logged out), so WordPress checked the nonce against an anonymous user and refused it."
		a.cite("the cookie cannot fetch a nonce", nonceObs)
		a.next = "Log in again and send the new wordpress_logged_in_ cookie together with a nonce made for that session."
	case e.Request.Auth == record.AuthCookieNonce && cookieValid:
		a.summary = "The nonce does not match this login session (stale, or made for another user); the cookie itself is valid."
		a.cite("the cookie is valid", nonceObs)
		a.next = "Use the nonce wp-admin gives this session (wpApiSettings.nonce or admin-ajax.php?action=rest-nonce)."
	default:
		a.conf = record.ConfMedium
		a.summary = "WordPress refused the nonce: it is stale, or no valid login cookie reached WordPress with it."
		a.next = "Send the wordpress_logged_in_ cookie together with a nonce fetched in the same session."
	}
	return a
}

// credentialsLost explains a WordPress 401 although credentials were sent.
func (c *context) credentialsLost(s *subject, e *record.Observation, code string) attribution {
	switch e.Request.Auth {
	case record.AuthCookieOnly:
		return c.cookieWithoutNonce(s, e)
	case record.AuthAppPassword:
		return c.appPasswordIgnored(s, e, code)
	case record.AuthCookieNonce:
		a := attribution{layer: record.LayerServer, mech: record.MechHeaderStripped, conf: record.ConfMedium}
		a.summary = "The cookies and X-WP-Nonce were sent but WordPress saw an anonymous user (401): the X-WP-Nonce header does not reach WordPress."
		a.cite("", e)
		a.next = "Find the proxy or server rule that drops X-WP-Nonce on the way to PHP."
		return a
	}
	a := attribution{layer: record.LayerClient, mech: record.MechCredentials, conf: record.ConfMedium}
	a.summary = "The credentials in the request were not recognised: WordPress saw an anonymous user (401" + codeText(code) + ")."
	a.cite("", e)
	a.next = "Check that the plugin handling this kind of token is active and that the header reaches PHP."
	return a
}

func (c *context) cookieWithoutNonce(s *subject, e *record.Observation) attribution {
	a := attribution{layer: record.LayerClient, mech: record.MechNonce, conf: record.ConfHigh}
	a.summary = "Cookies were sent without an X-WP-Nonce header, so WordPress treated the request as anonymous (401). Cookie authentication needs the nonce."
	a.cite("cookie without nonce", e)
	if f := s.get(VarWithNonce, e.Vantage); f != nil && ok(f) {
		a.cite("the same request with a nonce succeeds", f)
	}
	a.next = "Send X-WP-Nonce with the value of wpApiSettings.nonce (or admin-ajax.php?action=rest-nonce) along with the cookies."
	return a
}

// appPasswordIgnored: Basic credentials sent, WordPress saw nobody.
func (c *context) appPasswordIgnored(s *subject, e *record.Observation, code string) attribution {
	if intro, why := c.appPasswordsOff(); why != "" {
		a := attribution{layer: record.LayerWordPress, mech: record.MechAppPasswordsOff, conf: record.ConfHigh}
		a.summary = "Application passwords are unavailable on this site (" + why + "), so WordPress ignores the Basic credentials and sees an anonymous user."
		a.cite("", e)
		a.cite("", intro)
		a.next = "Serve the site over HTTPS as PHP sees it (behind a proxy: set $_SERVER['HTTPS'] from X-Forwarded-Proto), and check that no plugin filters wp_is_application_passwords_available."
		return a
	}
	if hdr, ok := c.authHeaderTest(); ok {
		return c.appPasswordByHeaderTest(e, hdr)
	}
	if fresh := c.subjects["aux:fresh-app-password"]; fresh != nil {
		return c.appPasswordByFreshOne(e, fresh.get(VarAsSent, e.Vantage))
	}
	a := attribution{layer: record.LayerPHP, mech: record.MechHeaderStripped, conf: record.ConfLow}
	a.summary = "Application-password credentials were sent but WordPress saw an anonymous user (401" + codeText(code) +
		"): the Authorization header most likely does not reach PHP (a wrong or revoked application password looks the same)."
	a.cite("", e)
	if me, works := c.okAux("users-me@cookie+nonce"); works {
		a.conf = record.ConfMedium
		a.cite("the same user logs in with a cookie", me)
	}
	a.next = "Pass Authorization to PHP (nginx: fastcgi_param HTTP_AUTHORIZATION $http_authorization; Apache: CGIPassAuth On), then re-run; if it persists, create a new application password."
	return a
}

// appPasswordsOff reports whether the site says application passwords
// are unavailable, and the observation that says so.
func (c *context) appPasswordsOff() (*record.Observation, string) {
	for _, key := range []string{"introspect@app-password"} {
		if s := c.subjects[key]; s != nil {
			o := s.primary()
			if we := wpErr(o); we != nil && (we.Code == "application_passwords_disabled" || we.Code == "application_passwords_disabled_for_user") {
				return o, we.Code
			}
		}
	}
	if c.in.AppPasswords == "unavailable" {
		return nil, "the REST index does not offer them"
	}
	return nil, ""
}

// authHeaderTest reads WordPress Site Health's authorization-header test,
// which an administrator's cookie session can run.
func (c *context) authHeaderTest() (*record.Observation, bool) {
	o, fine := c.okAux("aux:authorization-header-test")
	return o, fine
}

func (c *context) appPasswordByHeaderTest(e, test *record.Observation) attribution {
	var body struct {
		Status string `json:"status"`
	}
	_ = json.Unmarshal([]byte(test.Response.Body), &body)
	if body.Status == "good" {
		a := attribution{layer: record.LayerClient, mech: record.MechCredentials, conf: record.ConfHigh}
		a.summary = "The Authorization header reaches PHP (Site Health's test passes), yet WordPress ignores these credentials: the application password or user name is wrong or revoked."
		a.cite("", e)
		a.cite("Site Health authorization-header test: good", test)
		a.next = "Create a new application password for this user (Users → Profile) and use the login name, not the display name."
		return a
	}
	a := attribution{layer: record.LayerPHP, mech: record.MechHeaderStripped, conf: record.ConfHigh}
	a.summary = "The Authorization header does not reach PHP (Site Health's authorization-header test says it is missing), so WordPress never sees the application password."
	a.cite("", e)
	a.cite("Site Health authorization-header test: missing", test)
	a.next = "Pass Authorization to PHP (nginx: fastcgi_param HTTP_AUTHORIZATION $http_authorization; Apache: CGIPassAuth On or the E=HTTP_AUTHORIZATION rewrite rule)."
	return a
}

// permission: WordPress knew the user (403) and refused.
func (c *context) permission(e *record.Observation, code string) attribution {
	a := attribution{layer: record.LayerWordPress, mech: record.MechPermission, conf: record.ConfHigh}
	a.summary = "WordPress recognised the user and refused (403" + codeText(code) + "): this role lacks the capability for this request."
	if code == "" || code == "rest_forbidden" {
		a.conf = record.ConfMedium
	}
	a.cite("", e)
	a.next = "Use an account whose role has the capability, or grant it (a role editor), rather than loosening any firewall."
	return a
}

// needsAuth: 401 without credentials.
func (c *context) needsAuth(s *subject, e *record.Observation, code string) attribution {
	public := strings.HasPrefix(s.key, "index") || strings.HasPrefix(s.key, "public")
	if public {
		a := attribution{layer: record.LayerPlugin, mech: record.MechRESTDisabled, conf: record.ConfMedium}
		a.summary = "Anonymous requests to a normally public route are refused (401" + codeText(code) + "): a plugin or snippet restricts the REST API to logged-in users."
		a.cite("", e)
		a.next = "Allow the public routes your site needs in the restricting plugin's settings."
		return a
	}
	a := attribution{layer: record.LayerClient, mech: record.MechCredentials, conf: record.ConfHigh}
	a.summary = "This route needs authentication and the request carried none (401" + codeText(code) + ")."
	a.cite("", e)
	a.next = "Send an application password (--user with --app-password-file) or a cookie with its nonce."
	return a
}

// noRoute: 404 rest_no_route.
func (c *context) noRoute(s *subject, e *record.Observation) attribution {
	a := attribution{layer: record.LayerWordPress, mech: record.MechRESTDisabled, conf: record.ConfLow}
	if g := s.get(VarGetControl, e.Vantage); g != nil && reachedWP(g) && wpCode(g) != "rest_no_route" {
		a.mech, a.conf = record.MechMethodRule, record.ConfMedium
		a.summary = "WordPress has this route but not for method " + e.Request.Method + " as it arrived: a redirect or proxy may have changed the method, or the method override was dropped."
		a.cite("", e)
		a.cite("GET on the same route reaches the route", g)
		return a
	}
	a.layer = record.LayerPlugin
	a.summary = "WordPress does not know this route (404 rest_no_route): its plugin is inactive, or a plugin removed the route from the REST API."
	a.cite("", e)
	a.next = "Check that the plugin providing the namespace is active and that no hardening plugin unsets the route (rest_endpoints)."
	return a
}

// authStep explains a failed login or nonce fetch: wp403 could not set up
// the cookie + nonce authentication the user asked to test.
func (c *context) authStep(s *subject) record.Finding {
	e := s.primary()
	var a attribution
	switch {
	case e.Response == nil:
		a = c.network(s, e)
	case s.key == "login" && e.Status() == 200:
		a = attribution{layer: record.LayerClient, mech: record.MechCredentials, conf: record.ConfHigh}
		a.summary = "Logging in through wp-login.php failed: WordPress showed the login form again (wrong user name or password), so cookie + nonce authentication could not be tested."
		a.cite("", e)
		a.next = "Check the login name and password given with --user and --password-file."
	case s.key == "rest-nonce" && e.Status() == 400:
		a = attribution{layer: record.LayerClient, mech: record.MechCredentials, conf: record.ConfHigh}
		a.summary = "The login cookie is not valid: admin-ajax.php?action=rest-nonce refused to issue a nonce (400, \"0\")."
		a.cite("", e)
		a.next = "Log in again and send the fresh wordpress_logged_in_ cookie."
	case reachedWP(e):
		a = c.wordpressSide(s, e)
	case isRedirect(e) && s.key == "login":
		// WordPress sends the login to its canonical URL (https, FORCE_SSL_ADMIN):
		// a fact about the URL used, not a refusal of the REST request.
		a = c.redirect(s, e)
		a.severity = record.SevWarn
		a.summary = "The login form redirects (" + itoa(e.Status()) + " to " + header(e, "Location") + "), so cookie + nonce authentication was not tested at this URL; use the site's canonical URL."
	default:
		a = c.upstream(s, e)
		a.summary += " wp-admin needs this step to get a REST nonce, so cookie-authenticated REST requests (the block editor's) cannot work."
	}
	f := c.finish(s, e, a)
	return f
}

// appPasswordByFreshOne: wp403 created a new application password for the
// same user and tried it at the same vantage.
func (c *context) appPasswordByFreshOne(e, fresh *record.Observation) attribution {
	if fresh != nil && ok(fresh) {
		a := attribution{layer: record.LayerClient, mech: record.MechCredentials, conf: record.ConfHigh}
		a.summary = "The application password in use is wrong or revoked: a freshly created one for the same user works on the same path (and was deleted again)."
		a.cite("", e)
		a.cite("fresh application password accepted", fresh)
		a.next = "Create a new application password for this user (Users → Profile) and use the login name, not the display name."
		return a
	}
	a := attribution{layer: record.LayerPHP, mech: record.MechHeaderStripped, conf: record.ConfHigh}
	a.summary = "Even a freshly created application password is ignored: the Authorization header does not reach PHP, so WordPress never sees Basic credentials."
	a.cite("", e)
	a.cite("fresh application password ignored too", fresh)
	a.next = "Pass Authorization to PHP (nginx: fastcgi_param HTTP_AUTHORIZATION $http_authorization; Apache: CGIPassAuth On or the E=HTTP_AUTHORIZATION rewrite rule)."
	return a
}
