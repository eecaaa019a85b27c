package browser

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/wp403/wp403/internal/redact"
)

// Bounds of one recording: a run of the editor makes a few hundred
// requests; a page that loops is cut off rather than held.
const (
	maxEntries   = 3000
	maxBody      = 256 << 10
	maxBodyTotal = 32 << 20
)

// Recorder keeps the requests the page makes to the site's host, from the
// DevTools Network domain, as HAR entries. Secret values (cookies, nonces,
// Authorization, the login password) are collected as they pass and masked
// when the HAR is built; nothing secret is written anywhere.
type Recorder struct {
	host  string
	scrub *redact.Scrubber

	mu        sync.Mutex
	byID      map[network.RequestID]*pending
	early     map[network.RequestID]network.Headers // ExtraInfo that came before its request
	order     []*pending
	step      string
	dropped   int
	bodyBytes int
}

type pending struct {
	id        network.RequestID
	step      string
	wall      time.Time
	start     float64 // monotonic seconds
	end       float64
	method    string
	url       string
	reqHeader map[string]string
	post      string
	hasPost   bool
	status    int
	statusTxt string
	proto     string
	remoteIP  string
	mime      string
	respHdr   map[string]string
	body      string
	bodyB64   bool
	bodyDone  bool
	failed    string
	finished  bool
}

// NewRecorder records requests to host (a host name, without port).
func NewRecorder(host string, scrub *redact.Scrubber) *Recorder {
	return &Recorder{host: strings.ToLower(host), scrub: scrub, byID: map[network.RequestID]*pending{},
		early: map[network.RequestID]network.Headers{}}
}

// Step labels the requests that follow (a HAR entry comment), so that the
// report can say which editor step a request belonged to.
func (r *Recorder) Step(name string) {
	r.mu.Lock()
	r.step = name
	r.mu.Unlock()
}

// Attach starts listening on the page of ctx and enables the Network domain.
func (r *Recorder) Attach(ctx context.Context) error {
	chromedp.Listen(ctx, r.event)
	_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
	return err
}

// event is called on the browser's event goroutine: it only copies data.
func (r *Recorder) event(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		r.started(e)
	case *network.EventRequestWillBeSentExtraInfo:
		// The wire headers (Cookie among them) may come before or after
		// the request event; keep them until it arrives.
		if p := r.byID[e.RequestID]; p != nil {
			mergeHeaders(p.reqHeader, e.Headers)
		} else if len(r.early) < maxEntries {
			r.early[e.RequestID] = e.Headers
		}
	case *network.EventResponseReceived:
		if p := r.byID[e.RequestID]; p != nil && e.Response != nil {
			p.status, p.statusTxt, p.proto = int(e.Response.Status), e.Response.StatusText, e.Response.Protocol
			p.remoteIP, p.mime = e.Response.RemoteIPAddress, e.Response.MimeType
			mergeHeaders(p.respHdr, e.Response.Headers)
		}
	case *network.EventResponseReceivedExtraInfo:
		if p := r.byID[e.RequestID]; p != nil {
			mergeHeaders(p.respHdr, e.Headers)
		}
	case *network.EventLoadingFinished:
		if p := r.byID[e.RequestID]; p != nil {
			p.finished, p.end = true, float64(e.Timestamp)
		}
	case *network.EventLoadingFailed:
		if p := r.byID[e.RequestID]; p != nil {
			p.finished, p.failed, p.end = true, e.ErrorText, float64(e.Timestamp)
		}
	}
}

func (r *Recorder) started(e *network.EventRequestWillBeSent) {
	if e.Request == nil || !r.ours(e.Request.URL) {
		return
	}
	if prev := r.byID[e.RequestID]; prev != nil && e.RedirectResponse != nil {
		prev.status, prev.statusTxt = int(e.RedirectResponse.Status), e.RedirectResponse.StatusText
		mergeHeaders(prev.respHdr, e.RedirectResponse.Headers)
		prev.finished, prev.bodyDone = true, true
		delete(r.byID, e.RequestID)
	}
	if len(r.order) >= maxEntries {
		r.dropped++
		return
	}
	p := &pending{id: e.RequestID, step: r.step, wall: wallTime(float64(e.WallTime)), start: float64(e.Timestamp),
		method: e.Request.Method, url: e.Request.URL, hasPost: e.Request.HasPostData,
		reqHeader: map[string]string{}, respHdr: map[string]string{}}
	mergeHeaders(p.reqHeader, e.Request.Headers)
	if h, ok := r.early[e.RequestID]; ok {
		mergeHeaders(p.reqHeader, h)
		delete(r.early, e.RequestID)
	}
	for _, d := range e.Request.PostDataEntries {
		if len(p.post)+len(d.Bytes) <= maxBody {
			p.post += string(d.Bytes)
		}
	}
	r.byID[e.RequestID] = p
	r.order = append(r.order, p)
}

// ours keeps requests to the site's host (any port, any scheme).
func (r *Recorder) ours(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && strings.ToLower(u.Hostname()) == r.host
}

// mergeHeaders adds h to dst under canonical names, so the page's own
// "X-WP-Nonce" and the wire's "x-wp-nonce" are one field.
func mergeHeaders(dst map[string]string, h network.Headers) {
	for k, v := range h {
		if s, ok := v.(string); ok && !strings.HasPrefix(k, ":") {
			dst[http.CanonicalHeaderKey(k)] = s
		}
	}
}

// FetchBodies reads the bodies of finished REST and admin-ajax responses
// that have none yet. It is called between steps, never from an event.
func (r *Recorder) FetchBodies(ctx context.Context) {
	for _, p := range r.needBodies() {
		res, err := chromedp.Call(ctx, network.GetResponseBody, network.GetResponseBodyParams{RequestID: p.id})
		r.mu.Lock()
		p.bodyDone = true
		if err == nil && r.bodyBytes+len(res.Body) <= maxBodyTotal {
			b := res.Body
			if len(b) > maxBody {
				b = b[:maxBody]
			}
			p.body = string(b)
			r.bodyBytes += len(b)
		}
		r.mu.Unlock()
	}
}

func (r *Recorder) needBodies() []*pending {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*pending
	for _, p := range r.order {
		if p.finished && !p.bodyDone && p.failed == "" && p.status != 0 && wantsBody(p.url) {
			out = append(out, p)
		}
	}
	return out
}

// wantsBody: REST answers and admin-ajax, which is what the diagnosis
// reads. Pages and assets are not kept (pages carry nonces in scripts).
func wantsBody(raw string) bool {
	return strings.Contains(raw, "/wp-json/") || strings.Contains(raw, "rest_route=") || strings.Contains(raw, "admin-ajax.php")
}

// Dropped is how many requests were past the entry limit.
func (r *Recorder) Dropped() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dropped
}

// notSecret are cookie values that carry nothing: PHP's "deleted" for a
// cleared cookie and WordPress's test cookie.
var notSecret = map[string]bool{"deleted": true, "WP Cookie check": true, "WP+Cookie+check": true, "": true}

// learnSecrets registers every secret value seen so far with the scrubber.
func (r *Recorder) learnSecrets() {
	var vals []string
	for _, p := range r.order {
		for k, v := range p.reqHeader {
			vals = append(vals, headerSecrets(k, v)...)
		}
		for k, v := range p.respHdr {
			vals = append(vals, headerSecrets(k, v)...)
		}
		if strings.Contains(p.url, "admin-ajax.php") && strings.Contains(p.url, "rest-nonce") {
			vals = append(vals, strings.TrimSpace(p.body))
		}
	}
	keep := vals[:0]
	for _, v := range vals {
		if !notSecret[v] && len(v) >= 8 {
			keep = append(keep, v)
		}
	}
	r.scrub.Add(keep...)
}

func headerSecrets(name, value string) []string {
	var out []string
	switch strings.ToLower(name) {
	case "cookie":
		for _, part := range strings.Split(value, ";") {
			if _, v, ok := strings.Cut(part, "="); ok {
				out = append(out, strings.TrimSpace(v))
			}
		}
	case "set-cookie":
		for _, line := range strings.Split(value, "\n") {
			first, _, _ := strings.Cut(line, ";")
			if _, v, ok := strings.Cut(first, "="); ok {
				out = append(out, strings.TrimSpace(v))
			}
		}
	case "authorization", "proxy-authorization":
		if _, cred, ok := strings.Cut(strings.TrimSpace(value), " "); ok {
			out = append(out, cred)
		}
	default:
		if redact.IsSensitiveHeader(name) {
			out = append(out, value)
		}
	}
	return out
}

// String is a one-line summary for errors and logs.
func (r *Recorder) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fmt.Sprintf("%d requests to %s recorded", len(r.order), r.host)
}

// wallTime converts DevTools' seconds since the epoch.
func wallTime(sec float64) time.Time {
	if sec <= 0 {
		return time.Now()
	}
	return time.Unix(0, int64(sec*1e9))
}
