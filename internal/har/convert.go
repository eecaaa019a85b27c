package har

import (
	"encoding/base64"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// observation converts one entry; sc must already hold its secrets. The
// classifier, when set, sees the body before nonces are masked (a nonce
// answer must still look like one).
func observation(i int, e *entry, prefix string, sc *redact.Scrubber, cl Classifier) record.Observation {
	o := record.Observation{ID: fmt.Sprintf("har-%03d", i+1), Vantage: record.VantageHAR, Expect: record.Expect2xx}
	o.Time, _ = time.Parse(time.RFC3339Nano, e.Started)
	o.RequestID = header(e.Request.Headers, "X-WP403-Request-Id")
	o.Request = httpRequest(e, prefix, sc)
	o.Purpose = label(&o.Request, header(e.Request.Headers, "X-HTTP-Method-Override"))
	o.Timing = timing(e)
	if e.Response.Status <= 0 {
		o.Failure, o.Error = failure(pickStr(e.Error, e.Response.Error))
		return o
	}
	o.Response = httpResponse(e, sc, func(r *record.HTTPResponse) {
		if cl != nil {
			o.Class = cl.Classify(&o.Request, r)
		}
	})
	return o
}

func httpRequest(e *entry, prefix string, sc *redact.Scrubber) record.HTTPRequest {
	r := record.HTTPRequest{Method: e.Request.Method, URL: sc.String(redact.URL(e.Request.URL))}
	if route, style, ok := record.ParseRoute(e.Request.URL, prefix); ok {
		r.Route, r.Style = route, style
	} else if route, style, ok := record.ParseRoute(e.Request.URL, ""); ok {
		r.Route, r.Style = route, style
	}
	if r.Route == "rest-nonce" {
		r.Route = "" // not a REST route: admin-ajax.php, as diagnose records its own nonce fetch
	}
	r.Header = headerMap(e.Request.Headers, sc)
	r.Auth = authKind(e)
	if pd := e.Request.PostData; pd != nil {
		r.BodyBytes = pd.Text.Len
	}
	r.BodyBytes = max(r.BodyBytes, e.Request.BodySize)
	if r.BodyBytes > 0 {
		r.BodyKind = "user"
	}
	return r
}

// headerMap builds a redacted header map; HTTP/2 pseudo-headers
// (":authority", Chrome) are dropped.
func headerMap(h []nameVal, sc *redact.Scrubber) map[string][]string {
	if len(h) == 0 {
		return nil
	}
	out := map[string][]string{}
	for _, kv := range h {
		if strings.HasPrefix(kv.Name, ":") {
			continue
		}
		out[kv.Name] = append(out[kv.Name], sc.String(redact.HeaderValue(kv.Name, kv.Value)))
	}
	return out
}

func authKind(e *entry) record.AuthKind {
	authz := strings.ToLower(header(e.Request.Headers, "Authorization"))
	cookie := header(e.Request.Headers, "Cookie") != "" || len(e.Request.Cookies) > 0
	nonce := header(e.Request.Headers, "X-WP-Nonce") != "" || strings.Contains(e.Request.URL, "_wpnonce=")
	switch {
	case strings.HasPrefix(authz, "basic "):
		return record.AuthAppPassword
	case authz != "":
		return record.AuthCustom
	case cookie && nonce:
		return record.AuthCookieNonce
	case cookie:
		return record.AuthCookieOnly
	}
	return record.AuthNone
}

// httpResponse builds the response; classify sees it with its body as
// recorded, before the body is redacted.
func httpResponse(e *entry, sc *redact.Scrubber, classify func(*record.HTTPResponse)) *record.HTTPResponse {
	r := &record.HTTPResponse{Status: e.Response.Status, Proto: e.Response.HTTPVersion, RemoteAddr: e.ServerIP}
	r.Header = headerMap(e.Response.Headers, sc)
	body, truncated := bodyText(&e.Response.Content)
	r.Body = body
	r.BodyBytes = max(e.Response.Content.Size, int64(len(body)), rawBodyBytes(&e.Response.Content))
	r.BodyTruncated = truncated
	classify(r)
	r.Body = redactBody(body, sc)
	return r
}

// rawBodyBytes estimates the size of the recorded body from its JSON text.
func rawBodyBytes(c *content) int64 {
	if strings.EqualFold(c.Encoding, "base64") {
		return int64(c.Text.Len) / 4 * 3
	}
	return int64(c.Text.Len)
}

// bodyText decodes the response content (base64 when the export says
// so), capped at MaxBody. An export without bodies gives "".
func bodyText(c *content) (string, bool) {
	text, truncated := c.Text.S, c.Text.Truncated
	if strings.EqualFold(c.Encoding, "base64") {
		n := len(text) / 4 * 4
		dec, err := base64.StdEncoding.DecodeString(text[:n])
		if err != nil {
			return "", truncated
		}
		text = string(dec)
	}
	if len(text) > MaxBody {
		text, truncated = text[:MaxBody], true
	}
	return text, truncated
}

// maxTimingMS bounds a recorded duration (a day): absurd values from a
// hand-made or hostile export must not sum to +Inf, which JSON cannot hold.
const maxTimingMS = 24 * 3600 * 1000

func timing(e *entry) record.Timing {
	pos := func(v float64) float64 {
		if math.IsNaN(v) {
			return 0
		}
		return math.Round(min(max(v, 0), maxTimingMS)*1000) / 1000
	}
	t := record.Timing{TotalMS: pos(e.Time), ConnectMS: pos(e.Timings.Connect), TLSMS: pos(e.Timings.SSL)}
	t.FirstByteMS = pos(pos(e.Timings.Blocked) + pos(e.Timings.DNS) + pos(e.Timings.Connect) + pos(e.Timings.Send) + pos(e.Timings.Wait))
	return t
}

// failure maps a browser network error (Chrome's net::ERR_…) to the
// failure vocabulary.
func failure(msg string) (record.Failure, string) {
	m := strings.ToUpper(msg)
	switch {
	case msg == "":
		return record.FailOther, "no response recorded (status 0)"
	case strings.Contains(m, "CONNECTION_REFUSED"):
		return record.FailConnRefused, msg
	case strings.Contains(m, "CONNECTION_RESET"), strings.Contains(m, "CONNECTION_CLOSED"), strings.Contains(m, "EMPTY_RESPONSE"):
		return record.FailConnReset, msg
	case strings.Contains(m, "TIMED_OUT"):
		return record.FailTimeout, msg
	case strings.Contains(m, "NAME_NOT_RESOLVED"):
		return record.FailDNS, msg
	case strings.Contains(m, "CERT_"):
		return record.FailTLSInvalidCert, msg
	case strings.Contains(m, "SSL"):
		return record.FailTLSHandshake, msg
	case strings.Contains(m, "ABORTED"):
		return record.FailCanceled, msg
	case strings.Contains(m, "BLOCKED_BY_CLIENT"):
		return record.FailOther, msg + " (blocked inside the browser, e.g. by an extension)"
	}
	return record.FailOther, msg
}

func pickStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
