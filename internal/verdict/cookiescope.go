package verdict

import (
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// setCookie is the scope of one Set-Cookie line.
type setCookie struct {
	name, domain, path string
	secure, deleted    bool
}

// parseSetCookie reads a Set-Cookie line's name and scope attributes
// (values are redacted in observations; only the scope matters here).
func parseSetCookie(line string) setCookie {
	parts := strings.Split(line, ";")
	name, value, _ := strings.Cut(strings.TrimSpace(parts[0]), "=")
	c := setCookie{name: strings.TrimSpace(name), path: "", deleted: value == "" || strings.EqualFold(value, "deleted")}
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "domain":
			c.domain = strings.ToLower(strings.TrimSpace(v))
		case "path":
			c.path = strings.TrimSpace(v)
		case "secure":
			c.secure = true
		case "max-age":
			if strings.HasPrefix(strings.TrimSpace(v), "-") || strings.TrimSpace(v) == "0" {
				c.deleted = true
			}
		}
	}
	return c
}

// misses says why a browser would not send the cookie, set by a response
// from setHost, with a request to u (RFC 6265 5.1.3, 5.1.4, 5.4), or "".
func (c setCookie) misses(setHost string, u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	switch d := strings.TrimPrefix(c.domain, "."); {
	case c.domain == "" && host != strings.ToLower(setHost):
		return "it is a host-only cookie for " + setHost + ", not " + host
	case c.domain != "" && strings.ContainsAny(d, ":/"):
		return "its Domain \"" + c.domain + "\" is not a host name (a scheme or path written into COOKIE_DOMAIN), so browsers drop it"
	case c.domain != "" && host != d && !strings.HasSuffix(host, "."+d):
		return "its Domain " + c.domain + " does not cover " + host
	}
	p := u.EscapedPath()
	if cp := c.path; cp != "" && cp != "/" && p != cp && !(strings.HasPrefix(p, cp) && (strings.HasSuffix(cp, "/") || p[len(cp)] == '/')) {
		return "its Path " + cp + " does not cover " + p
	}
	if c.secure && u.Scheme != "https" {
		return "it is Secure and the REST root is " + u.Scheme
	}
	return ""
}

// loginCookieMiss reads the login's Set-Cookie lines: when WordPress set
// a wordpress_logged_in_ cookie and none of them would be sent to the
// REST root, it returns why.
func loginCookieMiss(login *record.Observation, restRoot string) string {
	root, err := url.Parse(restRoot)
	if login == nil || login.Response == nil || err != nil || root.Host == "" {
		return ""
	}
	lu, err := url.Parse(login.Request.URL)
	if err != nil {
		return ""
	}
	why := ""
	for _, line := range login.Response.Header["Set-Cookie"] {
		c := parseSetCookie(line)
		if !strings.HasPrefix(c.name, "wordpress_logged_in_") || c.deleted {
			continue
		}
		m := c.misses(lu.Hostname(), root)
		if m == "" {
			return ""
		}
		why = m
	}
	return why
}

// cookieScopeFinding: the login cookie does not reach the REST root, so
// every cookie-authenticated REST call carries a nonce and no cookie.
func cookieScopeFinding(s *SiteFacts) record.Finding {
	return record.Finding{Severity: record.SevWarn, Layer: record.LayerWordPress, Mechanism: record.MechNonce,
		Confidence: record.ConfHigh, Basis: "direct", Request: record.Request{Method: "POST", Route: "/wp-login.php", Auth: record.AuthNone},
		Summary: "The login cookie WordPress sets (wordpress_logged_in_) is not sent by browsers to the REST root " + s.RESTRoot +
			": " + s.LoginCookieMiss + ". The block editor's REST calls then carry a nonce without the cookie, and WordPress answers 403 rest_cookie_invalid_nonce (\"Cookie check failed\").",
		Next:         "Make COOKIE_DOMAIN (normally unset; never with a scheme), COOKIEPATH and home/siteurl match the host, path and scheme the REST API is called on, then log in again.",
		Observations: s.loginObs}
}
