package verdict

import (
	"github.com/wp403/wp403/internal/record"
)

// wordpressSide explains a refusal that WordPress (core or a plugin in it)
// wrote. The edge may still be to blame when it changed the request.
func (c *context) wordpressSide(s *subject, e *record.Observation) attribution {
	if a, ok := c.edgeChangedRequest(s, e); ok {
		return a
	}
	code := ""
	if we := wpErr(e); we != nil {
		code = we.Code
	}
	if m := pluginMatch(e); m != nil {
		return c.pluginRefusal(e, m.Vendor, m.Mechanism, code)
	}
	switch {
	case code == "rest_cookie_invalid_nonce":
		return c.unlessEdge(c.badNonce(s, e), "Cookie")
	case anonymousRefusal(e) && sentCredentials(e):
		return c.unlessEdge(c.credentialsLost(s, e, code), strippedHeader(e))
	case code == "wp_die":
		return c.pluginRefusal(e, "", record.MechRESTDisabled, code)
	case code != "" && !isCoreCode(code):
		return c.pluginRefusal(e, "", record.MechRESTDisabled, code)
	case e.Status() == 403 && sentCredentials(e):
		return c.permission(e, code)
	case e.Status() == 401:
		return c.needsAuth(s, e, code)
	case code == "rest_no_route":
		return c.noRoute(s, e)
	}
	a := attribution{layer: record.LayerWordPress, mech: record.MechUnknown, conf: record.ConfLow}
	a.summary = "WordPress answered " + itoa(e.Status()) + codeText(code) + "; this is not a refusal wp403 can explain further."
	a.cite("", e)
	return a
}

// codeText follows a status with WordPress's error code: "403
// rest_cannot_create" (it sits inside parentheses already).
func codeText(code string) string {
	if code == "" {
		return ""
	}
	return " " + code
}

// edgeChangedRequest: the same request reached WordPress authenticated at
// the origin but lost its credentials through the edge.
func (c *context) edgeChangedRequest(s *subject, e *record.Observation) (attribution, bool) {
	o := s.get(VarAsSent, record.VantageOrigin)
	gotFurther := o != nil && (ok(o) || reachedWP(o) && o.Status() != 401 && o.Status() != 403 &&
		!isAuthErrorCode(wpCode(o)) && wpCode(o) != wpCode(e))
	if !c.canCompareOrigin() || !gotFurther || e.Vantage != record.VantageEdge || !sentCredentials(e) {
		return attribution{}, false
	}
	a := attribution{layer: record.LayerEdge, mech: record.MechHeaderStripped, conf: record.ConfHigh}
	hdr := strippedHeader(e)
	a.summary = "The edge drops the " + hdr + " header: the same request sent straight to the origin is accepted, " +
		"but through the edge WordPress " + edgeEffect(e) + "."
	a.cite("through the edge", e)
	a.cite("same request at the origin succeeds", o)
	a.next = "Configure the edge/CDN to pass " + hdr + " through to the origin for /wp-json/ requests."
	return a, true
}

func strippedHeader(e *record.Observation) string {
	switch e.Request.Auth {
	case record.AuthAppPassword:
		return "Authorization"
	case record.AuthCookieNonce:
		if we := wpErr(e); we != nil && we.Code == "rest_cookie_invalid_nonce" {
			return "Cookie"
		}
		return "X-WP-Nonce"
	case record.AuthCookieOnly:
		return "Cookie"
	}
	return "credential"
}

func edgeEffect(e *record.Observation) string {
	if e.Status() == 401 {
		return "saw an anonymous user (401)"
	}
	return "refused it (" + itoa(e.Status()) + codeText(wpCode(e)) + ")"
}

func wpCode(o *record.Observation) string {
	if we := wpErr(o); we != nil {
		return we.Code
	}
	return ""
}

func (c *context) pluginRefusal(e *record.Observation, vendor string, mech record.Mechanism, code string) attribution {
	if mech == "" {
		mech = record.MechRESTDisabled
	}
	a := attribution{layer: record.LayerPlugin, mech: mech, vendor: vendor, conf: record.ConfHigh}
	who := "A plugin"
	if vendor != "" {
		who = vendor
	}
	switch {
	case code == "wp_die":
		a.conf = record.ConfMedium
		a.summary = who + " stopped the request with wp_die() before WordPress's REST server ran it."
	case code != "":
		a.summary = who + " refused the request inside WordPress with its own error code " + code + " (" + itoa(e.Status()) + ")."
	default:
		a.summary = who + " answered with its own block page inside PHP, before WordPress routed the request."
	}
	a.next = "Allow this route (and role or application) in the plugin's REST API settings instead of disabling the plugin."
	a.cite("", e)
	return a
}

// unlessEdge adds what --origin would settle when credentials were lost
// and the edge could be the one dropping them.
func (c *context) unlessEdge(a attribution, header string) attribution {
	if c.canCompareOrigin() || a.layer == record.LayerWordPress {
		return a
	}
	a.needsOrigin = "A proxy or CDN in front of the origin can drop the " + header +
		" header too: run again with --origin ADDR (the origin server's address) to see whether the same request succeeds there."
	if a.conf == record.ConfHigh && hasEdgePresence(c) {
		a.conf = record.ConfMedium
	}
	return a
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
