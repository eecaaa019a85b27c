package diagnose

import (
	"context"
	"net/http"
	"strings"
	"sync"

	"github.com/wp403/wp403/internal/record"
)

// checkPageNonce fetches the page the user gave with the login cookies,
// as the browser loads it, and reads the nonce it carries and its cache
// headers (aux:nonce-page). When that nonce is not the one WordPress
// gives this session now, it is tried on /users/me (page-nonce probe)
// beside a fresh nonce on the same route, so the verdict can tell a
// page served from a cache from a session problem.
//
// The page is fetched when it can carry a nonce: a wp-admin page, or a page
// that already handed one to the anonymous discovery request (a page that
// gives visitors a nonce gives one to logged-in users too). The decision
// waits for the discovery's answer, so the same site (or capture) always
// gets the same probes, however the page and the plan raced.
func (s *session) checkPageNonce(ctx context.Context) []record.Observation {
	if s.discovered != nil {
		select {
		case <-s.discovered:
		case <-ctx.Done():
			return nil
		}
	}
	if !s.pageMayCarryNonce() {
		return nil
	}
	var (
		mu        sync.Mutex
		pageNonce string
	)
	sp := spec{key: record.ProbeNoncePage, purpose: "the page the REST nonce comes from, as a logged-in browser loads it",
		method: "GET", rawURL: s.target.String(), auth: record.AuthCookieOnly, expect: record.Expect2xx,
		header: http.Header{"Accept": {"text/html,application/xhtml+xml"}}, // canonical keys: headers() merges by key
		sink: func(resp *http.Response, body []byte) {
			if n := record.PageNonce(body); n != "" {
				s.scrub.Add(n)
				mu.Lock()
				if pageNonce == "" {
					pageNonce = n
				}
				mu.Unlock()
			}
		}}
	obs := s.wave(ctx, "nonce page", []spec{sp}, s.vantages())
	if pageNonce == "" || pageNonce == s.currentNonce() {
		return obs
	}
	me := spec{key: record.ProbePageNonce, purpose: "the nonce the page carries, with the login cookies",
		method: "GET", route: "/wp/v2/users/me", query: "context=edit", auth: record.AuthCookieNonce, expect: record.Expect2xx,
		header: http.Header{}}
	me.header.Set("X-WP-Nonce", pageNonce)
	specs := []spec{me}
	if len(s.cfg.Requests) > 0 { // the default plan already asks /users/me with the fresh nonce
		fresh := me
		fresh.key, fresh.purpose, fresh.header = record.ProbeUsersMeCookie, "the same request with a nonce fetched for this session", nil
		specs = append(specs, fresh)
	}
	return append(obs, s.wave(ctx, "page nonce", specs, s.vantages())...)
}

func (s *session) pageMayCarryNonce() bool {
	if strings.HasPrefix(s.target.Path, "/wp-admin/") || strings.Contains(s.target.Path, "/wp-admin/") {
		return true
	}
	d := s.findObs(record.ProbeDiscover, record.VantageEdge)
	if d == nil {
		return true
	}
	return d.Response != nil && record.PageNonce([]byte(d.Response.Body)) != ""
}
