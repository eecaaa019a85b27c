package har

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// maxNoncePages bounds the pages remembered by the REST nonce they carry.
const maxNoncePages = 16

// notePage remembers an HTML page (a document the browser loaded) whose
// body carries a REST nonce, keyed by that nonce, so that a REST request
// refused with it can be traced to the page and its cache headers. The
// nonce is a secret: the scrubber learns it before the page is converted.
// The page's body is not kept: the verdict reads its headers.
func (res *Result) notePage(i int, e *entry, set *secretSet) {
	if e.Response.Status < 200 || e.Response.Status > 299 || !isHTML(e) {
		return
	}
	body, _ := bodyText(&e.Response.Content)
	n := record.PageNonce([]byte(body))
	if n == "" {
		return
	}
	set.add([]string{n})
	if res.pages == nil {
		res.pages = map[string]*record.Observation{}
	}
	if _, ok := res.pages[n]; !ok && len(res.pages) >= maxNoncePages {
		return
	}
	o := observation(i, e, res.Prefix, set.sc, nil)
	o.Purpose = "the page the REST nonce came from"
	if o.Response != nil {
		o.Response.Body = ""
	}
	res.pages[n] = &o // the latest load of a page carrying this nonce
}

func isHTML(e *entry) bool {
	ct := strings.ToLower(pickStr(header(e.Response.Headers, "Content-Type"), e.Response.Content.MimeType))
	return strings.HasPrefix(strings.TrimSpace(ct), "text/html") || strings.HasPrefix(strings.TrimSpace(ct), "application/xhtml")
}

// noteNonce records that REST observation o sent a nonce a recorded page
// carried (X-WP-Nonce, or _wpnonce in the URL).
func (res *Result) noteNonce(o *record.Observation, e *entry) {
	n := header(e.Request.Headers, "X-WP-Nonce")
	if n == "" {
		if u, err := url.Parse(e.Request.URL); err == nil {
			n = u.Query().Get("_wpnonce")
		}
	}
	if n == "" || res.pages[n] == nil {
		return
	}
	if res.fromPage == nil {
		res.fromPage = map[string]string{}
	}
	res.fromPage[o.ID] = n
}

// tracePageNonce finds the first refusal (not recovered) of a nonce that a
// recorded page carried with 403 rest_cookie_invalid_nonce, and keys it
// and the page as diagnose keys its own page probes (page-nonce,
// aux:nonce-page), so the verdict's page-nonce rules see the page's cache
// headers. A HAR has no fresh nonce to try beside it: the rules say so.
func (res *Result) tracePageNonce(order []*record.Observation) {
	for _, o := range order {
		n := res.fromPage[o.ID]
		if n == "" || o.Probe == record.ProbePageNonce || res.recovered(o) != nil || !invalidNonce(o) {
			continue
		}
		page := *res.pages[n]
		page.Probe = record.ProbeNoncePage
		o.Probe = record.ProbePageNonce
		res.Observations = append(res.Observations, page)
		res.NoncePage = page.ID
		return
	}
}

// invalidNonce: WordPress refused the request's nonce (403
// rest_cookie_invalid_nonce in its JSON error).
func invalidNonce(o *record.Observation) bool {
	if o.Response == nil || o.Response.Status != 403 {
		return false
	}
	var we struct {
		Code string `json:"code"`
	}
	return json.Unmarshal([]byte(o.Response.Body), &we) == nil && we.Code == "rest_cookie_invalid_nonce"
}

// RESTRequests counts the REST requests kept in Observations (the page a
// nonce came from is not one).
func (res *Result) RESTRequests() int {
	if res.NoncePage != "" {
		return len(res.Observations) - 1
	}
	return len(res.Observations)
}
