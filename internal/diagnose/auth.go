package diagnose

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

var nonceRe = regexp.MustCompile(`^[0-9a-zA-Z]{6,32}$`)

// parseCookies loads "a=b; c=d" into the jar.
func (s *session) parseCookies(raw string) {
	for _, part := range strings.Split(raw, ";") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && name != "" {
			s.jar[name] = value
			s.scrub.Add(value)
		}
	}
}

// hasLoginCookie reports whether the jar holds a WordPress login cookie.
func (s *session) hasLoginCookie() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name := range s.jar {
		if strings.HasPrefix(name, "wordpress_logged_in_") {
			return true
		}
	}
	return false
}

// login posts the user's password to wp-login.php, as a browser does, and
// keeps the cookies it sets. It tries the edge, then the origin.
func (s *session) login(ctx context.Context) record.Observation {
	form := url.Values{"log": {s.cfg.User}, "pwd": {s.cfg.Password}, "wp-submit": {"Log In"},
		"testcookie": {"1"}, "redirect_to": {s.home + "/wp-admin/"}}
	sp := spec{key: record.ProbeLogin, purpose: "log in through wp-login.php to test cookie + nonce auth",
		method: "POST", rawURL: s.home + "/wp-login.php", auth: record.AuthNone, expect: "login",
		body: []byte(form.Encode()), bodyKind: "login-form", ctype: "application/x-www-form-urlencoded",
		header: http.Header{"Cookie": {"wordpress_test_cookie=WP%20Cookie%20check"}},
		sink:   s.keepCookies}
	var last record.Observation
	for _, v := range s.vantages() {
		last = s.wave(ctx, "login ("+string(v)+")", []spec{sp}, []record.Vantage{v})[0]
		if s.hasLoginCookie() {
			return last
		}
	}
	return last
}

// keepCookies stores Set-Cookie values from a response (raw, before
// redaction) and registers them as secrets.
func (s *session) keepCookies(resp *http.Response, _ []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range resp.Cookies() {
		if c.Value == "" || c.MaxAge < 0 || strings.EqualFold(c.Value, "deleted") {
			continue
		}
		s.jar[c.Name] = c.Value
		s.scrub.Add(c.Value)
	}
}

// fetchNonce asks admin-ajax.php for a REST nonce, as wp-admin does. A
// "0"/400 answer means the cookies are not a valid login.
func (s *session) fetchNonce(ctx context.Context) record.Observation {
	sp := spec{key: record.ProbeRESTNonce, purpose: "fetch a REST nonce with the login cookie (admin-ajax.php?action=rest-nonce)",
		method: "GET", rawURL: s.home + "/wp-admin/admin-ajax.php?action=rest-nonce",
		auth: record.AuthCookieOnly, expect: record.Expect2xx, sink: s.keepNonce}
	var last record.Observation
	for _, v := range s.vantages() {
		last = s.wave(ctx, "nonce ("+string(v)+")", []spec{sp}, []record.Vantage{v})[0]
		if s.currentNonce() != "" {
			return last
		}
	}
	return last
}

func (s *session) keepNonce(resp *http.Response, body []byte) {
	n := strings.TrimSpace(string(body))
	if resp.StatusCode != 200 || !nonceRe.MatchString(n) || n == "0" {
		return
	}
	s.scrub.Add(n)
	s.mu.Lock()
	s.nonce = n
	s.mu.Unlock()
}

func (s *session) currentNonce() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nonce
}

// authKinds lists the auth kinds this run can use, strongest evidence first.
func (s *session) authKinds() []record.AuthKind {
	var out []record.AuthKind
	if s.cfg.User != "" && s.cfg.AppPassword != "" {
		out = append(out, record.AuthAppPassword)
	}
	if s.hasLoginCookie() && s.currentNonce() != "" {
		out = append(out, record.AuthCookieNonce)
	}
	return out
}
