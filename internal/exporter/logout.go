package exporter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// A probe with a login identity logs in through wp-login.php, and
// WordPress keeps a session token for each login (user meta
// session_tokens; login-alert plugins fire on each). The exporter logs
// every such session out at the probe's end, as a person does: wp-login.php
// ?action=logout answers with a confirmation link carrying the log-out
// nonce, and following it destroys the session (wp_logout). Only the
// nonce is read from the answer: the logout URL is the login's own, on the
// same transport (the site's host, its --resolve address), never a URL
// the site names.

// maxLogoutPage bounds what is read of the confirmation page.
const maxLogoutPage = 256 << 10

var logoutNonceRe = regexp.MustCompile(`action=logout[^"'<>\s]*?_wpnonce=([0-9a-f]{10})\b`)

// session is one login a probe opened.
type session struct {
	rt      http.RoundTripper
	login   string // the wp-login.php URL the login was posted to
	host    string // its Host header
	agent   string
	cookies []string // name=value, as set by the login's answer
}

// sessions records the logins of one probe.
type sessions struct {
	mu   sync.Mutex
	open []*session
}

// wrap returns a diagnose Config.Wrap that records logins, beneath inner's
// (a recorder or a replayer sees the same requests as before).
func (ss *sessions) wrap(inner func(record.Vantage, http.RoundTripper) http.RoundTripper) func(record.Vantage, http.RoundTripper) http.RoundTripper {
	return func(v record.Vantage, rt http.RoundTripper) http.RoundTripper {
		if inner != nil {
			rt = inner(v, rt)
		}
		return &loginWatch{rt: rt, ss: ss}
	}
}

type loginWatch struct {
	rt http.RoundTripper
	ss *sessions
}

func (w *loginWatch) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := w.rt.RoundTrip(req)
	if err != nil || req.Method != http.MethodPost || path.Base(req.URL.Path) != "wp-login.php" {
		return resp, err
	}
	s := &session{rt: w.rt, login: req.URL.Scheme + "://" + req.URL.Host + req.URL.Path, host: req.Host, agent: req.UserAgent()}
	logged := false
	for _, c := range resp.Cookies() {
		if c.Value == "" || c.MaxAge < 0 {
			continue
		}
		s.cookies = append(s.cookies, c.Name+"="+c.Value)
		logged = logged || strings.HasPrefix(c.Name, "wordpress_logged_in_")
	}
	if logged {
		w.ss.mu.Lock()
		w.ss.open = append(w.ss.open, s)
		w.ss.mu.Unlock()
	}
	return resp, err
}

// closeAll logs every recorded session out; it returns how many were
// open and the first failure (scrubbed by the caller).
func (ss *sessions) closeAll(ctx context.Context, scrub *redact.Scrubber) (int, error) {
	ss.mu.Lock()
	open := ss.open
	ss.open = nil
	ss.mu.Unlock()
	var first error
	for _, s := range open {
		if err := s.logout(ctx, scrub); err != nil && first == nil {
			first = err
		}
	}
	return len(open), first
}

func (s *session) logout(ctx context.Context, scrub *redact.Scrubber) error {
	code, body, err := s.get(ctx, s.login+"?action=logout")
	if err != nil {
		return err
	}
	m := logoutNonceRe.FindSubmatch(body)
	if m == nil {
		return fmt.Errorf("wp-login.php?action=logout answered %d without a log-out link", code)
	}
	scrub.Add(string(m[1]))
	code, _, err = s.get(ctx, s.login+"?action=logout&_wpnonce="+string(m[1]))
	if err != nil {
		return err
	}
	if code != http.StatusFound && code != http.StatusSeeOther {
		return fmt.Errorf("the log-out link answered %d, not a redirect: the session may still be open", code)
	}
	return nil
}

func (s *session) get(ctx context.Context, url string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Host = s.host
	req.Header.Set("Cookie", strings.Join(s.cookies, "; "))
	if s.agent != "" {
		req.Header.Set("User-Agent", s.agent)
	}
	resp, err := s.rt.RoundTrip(req)
	if err != nil {
		return 0, nil, errors.New("log out: the site did not answer")
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxLogoutPage))
	return resp.StatusCode, body, nil
}
