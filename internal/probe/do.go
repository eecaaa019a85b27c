package probe

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// RequestIDHeader tags every probe so server logs can be matched to it.
const RequestIDHeader = "X-WP403-Request-Id"

// Request is one probe to send.
type Request struct {
	ID        string // observation id, e.g. "o7"
	Probe     string // plan probe name
	Purpose   string
	Variant   record.Variant
	Vantage   record.Vantage
	RequestID string
	Method    string
	URL       string
	Route     string
	Style     record.RouteStyle
	Auth      record.AuthKind
	BodyKind  string
	Header    http.Header
	Body      []byte
	// Expect is copied to the observation (see record.Observation.Expect).
	Expect record.Expect
	// Sink, when set, receives the raw response and body before
	// redaction; the caller uses it to learn cookies and nonces and must
	// register them with the Scrubber.
	Sink func(resp *http.Response, body []byte)
}

// hasCredentials reports whether the request carries secrets.
func (r *Request) hasCredentials() bool {
	for k := range r.Header {
		if redact.IsSensitiveHeader(k) {
			return true
		}
	}
	return false
}

// Do sends the request and returns its observation. It never returns an
// error: transport failures are recorded in the observation.
func (c *Client) Do(ctx context.Context, r Request) record.Observation {
	obs := c.newObservation(r)
	u, err := url.Parse(r.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		obs.Failure, obs.Error = record.FailOther, "invalid URL"
		return obs
	}
	if r.hasCredentials() && c.cfg.TargetHost != "" && !strings.EqualFold(u.Hostname(), c.cfg.TargetHost) {
		obs.Failure, obs.Error = record.FailOther, errCredentialsElsewhere.Error()
		return obs
	}
	hostKey := string(r.Vantage) + "|" + u.Host
	resent := false
	for attempt := 0; ; attempt++ {
		if err := c.limits.acquire(ctx, hostKey); err != nil {
			obs.Failure, obs.Error = record.FailCanceled, err.Error()
			return obs
		}
		obs.Time = time.Now().UTC() // sent now: the wait for a slot is not the request's
		stale := c.roundTrip(ctx, r, &obs)
		c.limits.release(hostKey)
		if stale && !resent && idempotent(r.Method) && ctx.Err() == nil {
			resent, attempt = true, attempt-1 // once; not a 429 retry
			c.closeIdle(r.Vantage)            // the other idle connections may be as stale
			obs = c.newObservation(r)
			continue
		}
		wait, retry := c.retryAfter(&obs, attempt)
		if !retry {
			return obs
		}
		c.limits.backoff(hostKey, wait)
		obs = c.newObservation(r)
	}
}

func (c *Client) newObservation(r Request) record.Observation {
	h := r.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	obs := record.Observation{
		ID: r.ID, Probe: r.Probe, Role: record.RoleOf(r.Probe), Purpose: r.Purpose, Variant: r.Variant, Vantage: r.Vantage,
		RequestID: r.RequestID, Time: time.Now().UTC(), Expect: r.Expect,
		Request: record.HTTPRequest{
			Method: r.Method, URL: redact.URL(r.URL), Route: r.Route, Style: r.Style,
			Auth: r.Auth, Header: redact.Header(h), BodyBytes: len(r.Body), BodyKind: r.BodyKind,
		},
	}
	if r.BodyKind != "login-form" && len(r.Body) <= maxStoredBody && utf8.Valid(r.Body) {
		obs.Request.Body = c.scrub(redact.Body(string(r.Body)))
	}
	return obs
}

// maxStoredBody bounds the request body kept in an observation.
const maxStoredBody = 64 << 10

// retryAfter decides whether a 429 should be retried, and after how long.
func (c *Client) retryAfter(obs *record.Observation, attempt int) (time.Duration, bool) {
	if obs.Response == nil || obs.Response.Status != http.StatusTooManyRequests || attempt >= 1 {
		return 0, false
	}
	ra := obs.Response.Get("Retry-After")
	if ra == "" {
		return 0, false
	}
	wait := parseRetryAfter(ra, time.Now())
	if wait < 0 || wait > c.cfg.MaxRetryAfter {
		return 0, false // too long: report the 429 instead of hammering
	}
	return wait, true
}

func parseRetryAfter(v string, now time.Time) time.Duration {
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return t.Sub(now)
	}
	return -1
}

// closeIdle closes the idle connections of one vantage, so the next
// attempt dials a new one.
func (c *Client) closeIdle(v record.Vantage) {
	if v == record.VantageOrigin {
		c.origin.CloseIdleConnections()
		return
	}
	c.edge.CloseIdleConnections()
}

// idempotent methods (RFC 9110, 9.2.2) may be sent again when a kept-alive
// connection was closed under them; Go's transport resends only the safe
// ones, not PUT or DELETE. POST never is.
func idempotent(method string) bool {
	switch method {
	case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE":
		return true
	}
	return false
}

// roundTrip sends one attempt and fills obs. It reports true when the
// attempt failed on a reused connection before any answer (staleConn):
// the keep-alive race, not the site's doing.
func (c *Client) roundTrip(ctx context.Context, r Request, obs *record.Observation) bool {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	tr := newTrace()
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, tr.clientTrace()), r.Method, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		obs.Failure, obs.Error = record.FailOther, "build request: "+err.Error()
		return false
	}
	req.Header = r.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	if r.RequestID != "" {
		req.Header.Set(RequestIDHeader, r.RequestID)
	}
	if r.Body == nil {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	hc := c.edge
	if r.Vantage == record.VantageOrigin {
		hc = c.origin
	}
	resp, err := hc.Do(req)
	if err != nil {
		obs.Failure, obs.Error = Classify(err), c.scrub(trimErr(err))
		obs.Timing = tr.timing()
		return (obs.Failure == record.FailEOF || obs.Failure == record.FailConnReset) && tr.staleConn()
	}
	defer resp.Body.Close()
	obs.Response = c.readResponse(resp, tr, obs, r.Sink)
	obs.Timing = tr.timing()
	return false
}

// readResponse reads status, headers and a bounded body.
func (c *Client) readResponse(resp *http.Response, tr *trace, obs *record.Observation, sink func(*http.Response, []byte)) *record.HTTPResponse {
	out := &record.HTTPResponse{
		Status: resp.StatusCode, Proto: resp.Proto, RemoteAddr: tr.remote(),
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(resp.Body, c.cfg.ReadLimit+1))
	out.BodyBytes = n
	if n > c.cfg.ReadLimit {
		obs.Failure, obs.Error = record.FailBodyTooLarge, "body larger than "+strconv.FormatInt(c.cfg.ReadLimit, 10)+" bytes; stopped reading"
		out.BodyTruncated = true
	} else if err != nil {
		obs.Failure, obs.Error = classifyBodyErr(err), c.scrub(trimErr(err))
		out.BodyTruncated = true
	}
	body := buf.Bytes()
	if sink != nil {
		sink(resp, body)
	}
	if int64(len(body)) > c.cfg.MaxBody {
		body, out.BodyTruncated = body[:c.cfg.MaxBody], true
	}
	// Scrub after the sink ran: it may just have learned a new secret.
	out.Header = c.scrubHeader(redact.Header(resp.Header))
	out.Body = c.scrub(redact.NonceBody(string(body)))
	return out
}

func (c *Client) scrub(s string) string { return c.cfg.Scrubber.String(s) }

// scrubHeader masks known secrets echoed in any response header.
func (c *Client) scrubHeader(h map[string][]string) map[string][]string {
	for k, vs := range h {
		for i, v := range vs {
			vs[i] = c.scrub(v)
		}
		h[k] = vs
	}
	return h
}

func classifyBodyErr(err error) record.Failure {
	f := Classify(err)
	if f == record.FailTimeout {
		return record.FailBodyTimeout
	}
	return f
}

// trimErr keeps an error message short and free of URLs with queries.
func trimErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	s := err.Error()
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
