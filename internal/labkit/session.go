package labkit

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
)

// StepHeader is set on a response Do returns from an authentication step
// (login or rest-nonce) that failed before the REST request could be sent.
const StepHeader = "X-Labkit-Step"

// WrongAppPassword is the well-formed but wrong secret sent for wrong_secret requests.
const WrongAppPassword = "aaaa bbbb cccc dddd eeee ffff"

// stepError carries the response of a failed authentication step.
type stepError struct {
	step string
	resp *http.Response
}

func (e *stepError) Error() string {
	return fmt.Sprintf("%s step answered %d", e.step, e.resp.StatusCode)
}

// session is a logged-in WordPress browser session at one vantage.
type session struct {
	jar   *cookiejar.Jar
	nonce string
}

var nonceRE = regexp.MustCompile(`^[0-9a-f]{10}$`)

// login signs user in through wp-login.php (with the test cookie), as a browser does.
func (l *Lab) login(ctx context.Context, c *vantageClient, scheme string, u User) (*session, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, fmt.Errorf("cookie jar: %w", err)
	}
	base, err := url.Parse(scheme + "://" + l.Host + "/")
	if err != nil {
		return nil, fmt.Errorf("parse base url: %w", err)
	}
	form := url.Values{"log": {u.Login}, "pwd": {u.Password}, "wp-submit": {"Log In"},
		"redirect_to": {scheme + "://" + l.Host + "/wp-admin/"}, "testcookie": {"1"}}
	req, err := l.newRequest(ctx, http.MethodPost, base.String()+"wp-login.php", []byte(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	req.Header.Set("Cookie", "wordpress_test_cookie=WP%20Cookie%20check")
	resp, _, err := c.send(req)
	if err != nil {
		return nil, err
	}
	jar.SetCookies(base, resp.Cookies())
	if resp.StatusCode != http.StatusFound || !hasLoggedIn(resp.Cookies()) {
		return nil, &stepError{step: "login", resp: resp}
	}
	return &session{jar: jar}, nil
}

func hasLoggedIn(cs []*http.Cookie) bool {
	for _, c := range cs {
		if strings.HasPrefix(c.Name, "wordpress_logged_in_") && c.Value != "" && c.Value != "deleted" {
			return true
		}
	}
	return false
}

// fetchNonce asks admin-ajax.php?action=rest-nonce, as the block editor does to refresh its nonce.
func (l *Lab) fetchNonce(ctx context.Context, c *vantageClient, scheme string, s *session) error {
	u := scheme + "://" + l.Host + "/wp-admin/admin-ajax.php?action=rest-nonce"
	req, err := l.newRequest(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	addCookies(req, s.jar)
	resp, body, err := c.send(req)
	if err != nil {
		return err
	}
	nonce := strings.TrimSpace(string(body))
	if resp.StatusCode != http.StatusOK || !nonceRE.MatchString(nonce) {
		return &stepError{step: "rest-nonce", resp: resp}
	}
	s.nonce = nonce
	return nil
}

func addCookies(req *http.Request, jar *cookiejar.Jar) {
	for _, ck := range jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
}

// authorize applies a truth request's auth kind to req (logging in at the same vantage when needed).
func (l *Lab) authorize(ctx context.Context, c *vantageClient, r TruthRequest, req *http.Request) error {
	if r.Auth == "public" {
		return nil
	}
	u, err := l.Creds(r.User)
	if err != nil {
		return err
	}
	if r.WrongSecret {
		u.AppPassword, u.Password = WrongAppPassword, WrongAppPassword
	}
	if r.Auth == "app-password" {
		req.SetBasicAuth(u.Login, u.AppPassword)
		return nil
	}
	scheme := req.URL.Scheme
	s, err := l.login(ctx, c, scheme, u)
	if err != nil {
		return err
	}
	switch r.Auth {
	case "cookie+nonce":
		if err := l.fetchNonce(ctx, c, scheme, s); err != nil {
			return err
		}
		req.Header.Set("X-WP-Nonce", s.nonce)
	case "cookie+stale-nonce":
		// A nonce minted for an earlier session of the same user no longer verifies
		// once that session is replaced: the same check that fails for a cached page's nonce.
		old, err := l.login(ctx, c, scheme, u)
		if err != nil {
			return err
		}
		if err := l.fetchNonce(ctx, c, scheme, old); err != nil {
			return err
		}
		req.Header.Set("X-WP-Nonce", old.nonce)
	case "cookie+page-nonce":
		nonce, err := l.pageNonce(ctx, c, scheme, s)
		if err != nil {
			return err
		}
		req.Header.Set("X-WP-Nonce", nonce)
	}
	addCookies(req, s.jar)
	return nil
}

// pageNonceRE finds wpApiSettings.nonce, which core's wp-api-request script prints into a page.
var pageNonceRE = regexp.MustCompile(`wpApiSettings = \{[^}]*"nonce":"([0-9a-f]{10})"`)

// pageNonce reads the REST nonce a front-end app would use: wpApiSettings.nonce in the home page as
// the logged-in session sees it. A visitor without cookies asks for the page first, as one always
// has on a live site, so a page cache that ignores cookies already holds it.
func (l *Lab) pageNonce(ctx context.Context, c *vantageClient, scheme string, s *session) (string, error) {
	u := scheme + "://" + l.Host + "/"
	var body []byte
	for _, withCookies := range []bool{false, true} {
		req, err := l.newRequest(ctx, http.MethodGet, u, nil)
		if err != nil {
			return "", err
		}
		req.Header.Set("Accept", "text/html")
		if withCookies {
			addCookies(req, s.jar)
		}
		resp, b, err := c.send(req)
		if err != nil {
			return "", err
		}
		if resp.StatusCode != http.StatusOK {
			return "", &stepError{step: "page-nonce", resp: resp}
		}
		body = b
	}
	m := pageNonceRE.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no wpApiSettings.nonce in %s", u)
	}
	return string(m[1]), nil
}
