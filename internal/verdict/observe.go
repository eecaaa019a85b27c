package verdict

import (
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// setsLoginCookie reports a Set-Cookie for WordPress's login cookie (the
// name survives redaction; the value does not).
func setsLoginCookie(o *record.Observation) bool {
	for k, vs := range o.Response.Header {
		if !strings.EqualFold(k, "Set-Cookie") {
			continue
		}
		for _, v := range vs {
			if strings.HasPrefix(v, "wordpress_logged_in_") {
				return true
			}
		}
	}
	return false
}

// wpErr returns the WordPress error the classifier found in the body.
func wpErr(o *record.Observation) *record.WPError {
	if o == nil || o.Response == nil || o.Class == nil {
		return nil
	}
	return o.Class.WPError
}

// restHeaders reports whether the classifier saw WordPress's REST
// server headers.
func restHeaders(o *record.Observation) bool {
	return o != nil && o.Response != nil && o.Class != nil && o.Class.REST
}

// reachedWP reports whether WordPress (core or a plugin inside it) wrote
// the response: the classifier's one definition.
func reachedWP(o *record.Observation) bool {
	return o != nil && o.Response != nil && o.Class.WordPressWrote()
}

// refusedInBody: a 2xx whose REST error body declares a refusal status
// (not an ?_envelope answer, which always carries the status inside).
func refusedInBody(o *record.Observation) bool {
	s := o.Status()
	return s >= 200 && s < 300 && o.Class.WPError != nil && o.Class.WPError.Status >= 400 && !strings.Contains(o.Request.URL, "_envelope")
}

// ok reports whether the observation met its expectation.
func ok(o *record.Observation) bool {
	if o == nil || o.Response == nil || o.Failure != record.FailNone && o.Failure != record.FailBodyTooLarge {
		return false
	}
	if o.Class != nil && o.Class.Refusal && (!reachedWP(o) || refusedInBody(o)) {
		return false // e.g. a 200 challenge or block page, or a REST error in a 200 body
	}
	s := o.Status()
	switch o.Expect {
	case record.ExpectLogin:
		return (s == 302 || s == 303) && setsLoginCookie(o)
	case record.ExpectWordPress:
		return reachedWP(o) && s != 401 && s != 403 || s >= 200 && s < 300
	default:
		return s >= 200 && s < 300
	}
}

// anonymousRefusal reports a WordPress 401: WordPress saw no user.
func anonymousRefusal(o *record.Observation) bool {
	return o.Status() == 401 && reachedWP(o)
}

// sentCredentials reports whether the request carried credentials.
func sentCredentials(o *record.Observation) bool {
	switch o.Request.Auth {
	case record.AuthAppPassword, record.AuthCookieNonce, record.AuthCookieOnly, record.AuthCustom:
		return true
	}
	return false
}

func header(o *record.Observation, name string) string {
	if o == nil || o.Response == nil {
		return ""
	}
	return o.Response.Get(name)
}

// matchOf returns the first signature match of the given kind, or nil.
func matchOf(o *record.Observation, kind record.SignatureKind) *record.Match {
	if o == nil || o.Class == nil {
		return nil
	}
	for i := range o.Class.Matches {
		if o.Class.Matches[i].Kind == kind {
			return &o.Class.Matches[i]
		}
	}
	return nil
}

// page returns the generic page shape from the classification.
func page(o *record.Observation) string {
	if o == nil || o.Class == nil {
		return ""
	}
	return o.Class.Page
}

// describe renders "o3 edge 403 stock-nginx page" for evidence lines.
func describe(o *record.Observation) string {
	if o == nil {
		return ""
	}
	s := o.ID + " " + string(o.Vantage)
	if o.Variant != "" {
		s += " [" + string(o.Variant) + "]"
	}
	if o.Response == nil {
		return s + ": no HTTP response (" + string(o.Failure) + ")"
	}
	s += ": " + itoa(o.Status())
	if e := wpErr(o); e != nil {
		s += " WordPress " + e.Code
	} else if m := matchOf(o, record.KindRefusal); m != nil {
		s += " " + m.Vendor + " (" + m.ID + ")"
	} else if p := page(o); p != "" {
		s += " " + p + " page"
	}
	if restHeaders(o) {
		s += ", REST headers present"
	}
	return s
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Met reports whether an observation met its expectation (2xx, or reached
// WordPress): the one definition the prober also uses to pick the
// requests that need control variants.
func Met(o *record.Observation) bool { return ok(o) }

// ReachedWordPress reports whether WordPress (core or a plugin in it)
// wrote the response.
func ReachedWordPress(o *record.Observation) bool { return reachedWP(o) }

// passes reports whether a control variant got through the layers in
// front of WordPress (WordPress answered, whatever it said).
func passes(o *record.Observation) bool {
	return o != nil && (ok(o) || reachedWP(o))
}

func wpCode(o *record.Observation) string {
	if we := wpErr(o); we != nil {
		return we.Code
	}
	return ""
}

// readFailure: the answer started but could not be read to the end.
func readFailure(f record.Failure) bool {
	switch f {
	case record.FailBodyTimeout, record.FailEOF, record.FailDecompression, record.FailConnReset, record.FailNotHTTP:
		return true
	}
	return false
}

// isCoreCode reports WordPress core REST refusal codes.
func isCoreCode(code string) bool {
	switch code {
	case "rest_forbidden", "rest_not_logged_in", "rest_cookie_invalid_nonce", "incorrect_password",
		"invalid_username", "invalid_email", "application_passwords_disabled",
		"application_passwords_disabled_for_user", "rest_no_route", "rest_forbidden_context",
		"rest_no_authenticated_app_password", "rest_comment_login_required", "rest_post_invalid_id",
		"rest_invalid_param", "rest_missing_callback_param", "rest_user_invalid_id":
		return true
	}
	return strings.HasPrefix(code, "rest_cannot_") || strings.HasPrefix(code, "rest_user_cannot_") ||
		strings.HasPrefix(code, "rest_forbidden_")
}

// pluginMatch returns a plugin-layer refusal signature on o, if any.
func pluginMatch(o *record.Observation) *record.Match {
	if o == nil || o.Class == nil {
		return nil
	}
	for i := range o.Class.Matches {
		m := &o.Class.Matches[i]
		if m.Kind == record.KindRefusal && m.Layer == record.LayerPlugin {
			return m
		}
	}
	return nil
}

func isRedirect(o *record.Observation) bool {
	st := o.Status()
	return st >= 300 && st < 400 && header(o, "Location") != ""
}

// decisive returns a refusal signature specific enough to name the
// mechanism by itself (a vendor block page, a challenge header, HTTP auth,
// a rate limit). A server's or proxy's stock error page is not: the same
// page answers deny rules, WAF modules and method limits alike, so the
// variants decide.
func decisive(o *record.Observation) *record.Match {
	m := matchOf(o, record.KindRefusal)
	if m == nil {
		return nil
	}
	switch m.Mechanism {
	case "", record.MechUnknown, record.MechAccessRule:
		return nil
	}
	return m
}
