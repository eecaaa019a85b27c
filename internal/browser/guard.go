package browser

import (
	"context"
	"net"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Guard keeps the browser on the site's origin (scheme, host, port): every
// request the page makes passes through the DevTools Fetch domain, and one
// to any other origin (a navigation, a redirect, a form post, a script's
// fetch, an image) is failed before it leaves, so that the login password
// and the session reach the site and nothing else. It remembers which
// origins it refused, for the step that ran into them to name.
type Guard struct {
	origin string

	mu      sync.Mutex
	blocked map[string]bool // origins refused
	nav     []string        // origins a navigation tried to reach, in order
}

// NewGuard guards the origin of site.
func NewGuard(site *url.URL) *Guard {
	return &Guard{origin: Origin(site), blocked: map[string]bool{}}
}

// Origin is the URL's scheme://host:port, lower-cased, with the scheme's
// default port written out; "" for a URL that is not http(s).
func Origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	switch {
	case scheme != "http" && scheme != "https":
		return ""
	case port == "" && scheme == "http":
		port = "80"
	case port == "":
		port = "443"
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// SameOrigin reports whether raw (resolved against base when relative) is
// on the site's origin.
func (g *Guard) SameOrigin(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && Origin(u) == g.origin
}

// Attach starts intercepting the requests of the page of ctx.
func (g *Guard) Attach(ctx context.Context) error {
	paused := make(chan *fetch.EventRequestPaused, 256)
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			select {
			case paused <- e:
			default:
				go func() { paused <- e }() // never block the event goroutine
			}
		}
	}); err != nil {
		return err
	}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case e := <-paused:
				g.decide(ctx, e)
			}
		}
	}()
	_, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}})
	return err
}

// decide lets a request to the site's origin go on and fails any other.
func (g *Guard) decide(ctx context.Context, e *fetch.EventRequestPaused) {
	if e.Request == nil || g.SameOrigin(e.Request.URL) {
		_, _ = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: e.RequestID})
		return
	}
	other := "a non-web URL" // never the URL itself: its query may carry a secret
	if u, err := url.Parse(e.Request.URL); err == nil && Origin(u) != "" {
		other = Origin(u)
	}
	g.mu.Lock()
	g.blocked[other] = true
	if e.ResourceType == network.ResourceTypeDocument {
		g.nav = append(g.nav, other)
	}
	g.mu.Unlock()
	_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
}

// Navigations are the origins a navigation tried to reach and was refused.
func (g *Guard) Navigations() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.nav...)
}

// Blocked lists every origin refused, sorted.
func (g *Guard) Blocked() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]string, 0, len(g.blocked))
	for o := range g.blocked {
		out = append(out, o)
	}
	sort.Strings(out)
	return out
}
