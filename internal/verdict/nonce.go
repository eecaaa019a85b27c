package verdict

import (
	"strconv"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// cacheHeaders are response headers by which page caches say a page was
// served from the cache: CDNs (cf-cache-status, X-Cache), reverse proxies
// (X-Cache-Status, X-Proxy-Cache, X-FastCGI-Cache, X-Nginx-Cache, Varnish's
// X-Varnish-Cache) and WordPress page-cache plugins (X-LiteSpeed-Cache,
// X-WP-Super-Cache-like X-Cache-Enabled is not a hit and is not listed).
var cacheHeaders = []string{"cf-cache-status", "X-Cache", "X-Cache-Status", "X-Proxy-Cache", "X-FastCGI-Cache",
	"X-Nginx-Cache", "X-Varnish-Cache", "X-LiteSpeed-Cache", "X-Srcache-Fetch-Status", "X-Sucuri-Cache"}

// edgeCacheHeaders are cache headers only a CDN writes.
var edgeCacheHeaders = map[string]bool{"cf-cache-status": true, "X-Sucuri-Cache": true}

// servedFromCache returns the header line that says a response came from
// a cache ("X-Proxy-Cache: HIT", "Age: 35"), or "".
func servedFromCache(o *record.Observation) (line, name string) {
	for _, h := range cacheHeaders {
		v := strings.TrimSpace(header(o, h))
		lv := strings.ToLower(v)
		if strings.Contains(lv, "hit") || lv == "stale" || lv == "updating" || lv == "revalidated" {
			return h + ": " + clip(v, 40), h
		}
	}
	if age, err := strconv.Atoi(strings.TrimSpace(header(o, "Age"))); err == nil && age > 0 {
		return "Age: " + strconv.Itoa(age), "Age"
	}
	return "", ""
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// NoncePage is the page a REST nonce came from, fetched with the login
// cookies, at one vantage.
type NoncePage struct {
	Obs
	// Cached is the header line that says the page came from a cache.
	Cached string `json:"cached,omitempty"`
	// cacheHeader is the name of that header.
	cacheHeader string
}

// noncePageFacts reads the nonce page probe at the edge and the origin.
func noncePageFacts(sf *SiteFacts, byKey map[string]*subject) {
	s := byKey[record.ProbeNoncePage]
	if s == nil {
		return
	}
	at := func(v record.Vantage) *NoncePage {
		o := s.get(record.VarAsSent, v)
		if o == nil || o.Response == nil {
			return nil
		}
		p := &NoncePage{Obs: *obsFacts(o)}
		p.Cached, p.cacheHeader = servedFromCache(o)
		return p
	}
	sf.NoncePage, sf.NoncePageOrigin = at(record.VantageEdge), at(record.VantageOrigin)
	if sf.NoncePage == nil {
		sf.NoncePage = at(record.VantageHAR)
	}
}

// pageNonceRefused: the nonce a page carried is refused while a nonce
// fetched for the same session a moment later works; or, in a browser's
// HAR, which has no fresh nonce to try, the page's nonce was refused.
func pageNonceRefused(f *Facts) bool {
	return badNonce(f) && f.Subject == record.ProbePageNonce && f.Site.NoncePage != nil &&
		(f.Site.CookieUserWorks != nil || f.Primary.Vantage == record.VantageHAR)
}

// maxNonceAge is the longest a default nonce is valid (nonce_life, 24 h):
// a page older than that carries an expired nonce whatever the site's
// session.
const maxNonceAge = 24 * 3600

// pageCacheConfidence: with a fresh nonce working beside the page's, the
// cache is proven; from a HAR, a cache that says it served the page (a HIT
// header, or an Age beyond any default nonce life) is direct evidence, a
// shorter Age alone is not.
func pageCacheConfidence(f *Facts) record.Confidence {
	p := f.Site.NoncePage
	if f.Site.CookieUserWorks != nil || p.cacheHeader != "Age" {
		return record.ConfHigh
	}
	if age, err := strconv.Atoi(strings.TrimPrefix(p.Cached, "Age: ")); err == nil && age > maxNonceAge {
		return record.ConfHigh
	}
	return record.ConfMedium
}

// harNoFresh says what settles a page-nonce refusal read from a HAR.
const harNoFresh = "A HAR cannot try a fresh nonce beside the page's: run wp403 diagnose on the page's URL with the same login (it loads the page, tries its nonce and a nonce fetched for the session side by side), or reload the page and compare its nonce with admin-ajax.php?action=rest-nonce."

// cacheLayer says which layer served the cached page: a CDN-only header
// names the edge; a page cached at the edge but not at the origin is the
// edge's; cached at the origin too, the server's.
func cacheLayer(sf *SiteFacts) (record.Layer, string) {
	p, o := sf.NoncePage, sf.NoncePageOrigin
	switch {
	case edgeCacheHeaders[p.cacheHeader]:
		return record.LayerEdge, ""
	case o != nil && o.Cached == "":
		return record.LayerEdge, ""
	case o != nil:
		return record.LayerServer, ""
	}
	return record.LayerServer, "A CDN in front of the site can cache pages too: run again with --origin ADDR to see whether the origin serves the page from its own cache."
}

// pageNonceRules name the cause of rest_cookie_invalid_nonce from the page
// the nonce came from and from a nonce fetched for the same session.
var pageNonceRules = []Rule{
	{ID: "nonce-cached-page", Doc: "The nonce the page carries is refused, a fresh one for the same session works (a HAR: the browser sent the page's nonce), and the page came from a cache: a page cache serves the nonce-bearing page across sessions.",
		When: func(f *Facts) bool { return pageNonceRefused(f) && f.Site.NoncePage.Cached != "" },
		Then: func(f *Facts) attribution {
			p := f.Site.NoncePage
			layer, needs := cacheLayer(f.Site)
			a := attribution{layer: layer, mech: record.MechNonce, conf: pageCacheConfidence(f), needsOrigin: needs}
			a.summary = "A page cache served the page that carries the REST nonce (" + p.Cached + "), so the nonce in it was made for another session or has expired: WordPress refuses it (403 rest_cookie_invalid_nonce, \"Cookie check failed\")"
			a.cite("the page carrying the nonce came from a cache ("+p.Cached+")", p.o)
			a.cite("WordPress refused the page's nonce (403 rest_cookie_invalid_nonce)", f.Primary.obs())
			if f.Site.CookieUserWorks == nil {
				a.summary += "; the browser sent the nonce that cached page carried."
				a.needsOrigin = harNoFresh
				if needs != "" {
					a.needsOrigin += " The page's headers do not say which layer cached it: wp403 diagnose with --origin ADDR loads it at the edge and at the origin."
				}
			} else {
				a.summary += " while a nonce fetched now for the same login works."
				a.cite("the same request with a nonce fetched for this session works", f.Site.CookieUserWorks.obs())
			}
			a.next = "Exclude the pages that carry a nonce from the page cache for logged-in users (bypass the cache when a wordpress_logged_in_ cookie is present), and never cache /wp-admin/."
			return a
		}},
	{ID: "nonce-page-stale", Doc: "The nonce the page carries is refused, a fresh one for the same session works (a HAR: low confidence, no fresh nonce to compare), and no cache header shows: the page is older than the nonce or was made for another session.",
		When: pageNonceRefused,
		Then: func(f *Facts) attribution {
			a := attribution{layer: record.LayerClient, mech: record.MechNonce, conf: record.ConfMedium}
			a.summary = "The nonce in the page is refused (403 rest_cookie_invalid_nonce) while a nonce fetched now for the same login works; the page shows no cache header, so either a cache that does not announce itself served it, or the page was open longer than the nonce life (12-24 h by default)."
			a.cite("WordPress refused the page's nonce (403 rest_cookie_invalid_nonce)", f.Primary.obs())
			if f.Site.CookieUserWorks == nil { // a HAR: no fresh nonce beside it
				a.conf, a.needsOrigin = record.ConfLow, harNoFresh
				a.summary = "The nonce the page carried is refused (403 rest_cookie_invalid_nonce) and the page shows no cache header: a cache that does not announce itself served it, the page was open longer than the nonce life (12-24 h by default), or the login changed after the page was loaded."
			} else {
				a.cite("the same request with a nonce fetched for this session works", f.Site.CookieUserWorks.obs())
			}
			a.cite("the page the nonce came from", f.Site.NoncePage.o)
			a.next = "Look for a page cache (host, plugin or CDN) that serves this page to logged-in users; reload the page and compare its nonce with admin-ajax.php?action=rest-nonce."
			return a
		}},
}
