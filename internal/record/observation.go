package record

import "time"

// Request identifies a REST request the way a finding names it: method,
// REST route (always in "/namespace/path" form, without the /wp-json
// prefix or query string) and how it authenticated.
type Request struct {
	Method string   `json:"method"`
	Route  string   `json:"route"`
	Auth   AuthKind `json:"auth"`
}

// String renders "POST /wp/v2/posts (cookie+nonce)".
func (r Request) String() string {
	s := r.Method + " " + r.Route
	if r.Auth != "" {
		s += " (" + string(r.Auth) + ")"
	}
	return s
}

// RouteStyle is how a request reached the REST server.
type RouteStyle string

// The route styles.
const (
	StylePretty RouteStyle = "pretty"     // /wp-json/wp/v2/posts
	StyleQuery  RouteStyle = "rest_route" // /?rest_route=/wp/v2/posts
	StyleOther  RouteStyle = "other"      // not a REST URL (login page, admin-ajax)
)

// HTTPRequest is what was sent. Header values of secrets are redacted
// before a HTTPRequest is stored.
type HTTPRequest struct {
	Method    string              `json:"method"`
	URL       string              `json:"url"`
	Route     string              `json:"route,omitempty"`
	Style     RouteStyle          `json:"style,omitempty"`
	Auth      AuthKind            `json:"auth"`
	Header    map[string][]string `json:"header,omitempty"`
	BodyBytes int                 `json:"body_bytes,omitempty"`
	// BodyKind says what the body was: "benign", "editor-save", "user".
	BodyKind string `json:"body_kind,omitempty"`
	// Body is the body sent when it is text and not a login form (capped,
	// scrubbed), so a retest can send the same request again.
	Body string `json:"body,omitempty"`
}

// HTTPResponse is what came back, read with a size cap. Body holds at most
// the cap; BodyBytes is how much the server sent (up to the read limit).
type HTTPResponse struct {
	Status        int                 `json:"status"`
	Proto         string              `json:"proto,omitempty"`
	Header        map[string][]string `json:"header,omitempty"`
	Body          string              `json:"body,omitempty"`
	BodyBytes     int64               `json:"body_bytes"`
	BodyTruncated bool                `json:"body_truncated,omitempty"`
	RemoteAddr    string              `json:"remote_addr,omitempty"`
}

// HeaderValue is the one header lookup: the first value of a header,
// case-insensitively, in a header map as wp403 stores it.
func HeaderValue(h map[string][]string, name string) string {
	for k, v := range h {
		if equalFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// HeaderValues returns every value of a header, case-insensitively.
func HeaderValues(h map[string][]string, name string) []string {
	var out []string
	for k, vs := range h {
		if equalFold(k, name) {
			out = append(out, vs...)
		}
	}
	return out
}

// Get returns the first value of a request header, case-insensitively.
func (r *HTTPRequest) Get(name string) string {
	if r == nil {
		return ""
	}
	return HeaderValue(r.Header, name)
}

// Get returns the first value of a header, case-insensitively.
func (r *HTTPResponse) Get(name string) string {
	if r == nil {
		return ""
	}
	return HeaderValue(r.Header, name)
}

// Has reports whether the header is present, case-insensitively.
func (r *HTTPResponse) Has(name string) bool {
	if r == nil {
		return false
	}
	for k := range r.Header {
		if equalFold(k, name) {
			return true
		}
	}
	return false
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// Timing holds httptrace timings, in milliseconds from the request start.
type Timing struct {
	ConnectMS   float64 `json:"connect_ms,omitempty"`
	TLSMS       float64 `json:"tls_ms,omitempty"`
	FirstByteMS float64 `json:"first_byte_ms,omitempty"`
	TotalMS     float64 `json:"total_ms"`
}

// Observation is one flat row of evidence: one request and what happened
// to it, classified. Findings cite observations by ID.
type Observation struct {
	ID    string `json:"id"`
	Probe string `json:"probe"`
	// Role is what the probe is for (user, plan, auth-step, auxiliary),
	// set by the source that made the observation; RoleOf(Probe) when empty.
	Role    ProbeRole `json:"role,omitempty"`
	Purpose string    `json:"purpose,omitempty"`
	Variant Variant   `json:"variant,omitempty"`
	// Wave names the dependent step the probe was sent in (discover,
	// index, login, nonce, plan, plan (origin), variants, cleanup).
	Wave string `json:"wave,omitempty"`
	// Expect is what success looks like for this probe: "2xx" (the
	// request must succeed) or "wordpress" (it must reach WordPress,
	// whatever WordPress then answers).
	Expect    Expect        `json:"expect,omitempty"`
	Vantage   Vantage       `json:"vantage"`
	RequestID string        `json:"request_id,omitempty"`
	Time      time.Time     `json:"time,omitzero"`
	Request   HTTPRequest   `json:"request"`
	Response  *HTTPResponse `json:"response,omitempty"`
	Failure   Failure       `json:"failure,omitempty"`
	Error     string        `json:"error,omitempty"`
	Timing    Timing        `json:"timing"`
	Class     *Class        `json:"class,omitempty"`
	Logs      []LogEntry    `json:"logs,omitempty"`
	WAF       *WAFResult    `json:"waf,omitempty"`
	// Agent is the wp403 agent's trace of this request (diagnose
	// --agent-key-file), validated; AgentNote says why a signed request
	// has none ("no trace", "trace rejected: …").
	Agent     *AgentTrace `json:"agent,omitempty"`
	AgentNote string      `json:"agent_note,omitempty"`
}

// Status returns the response status, or 0 when there was no response.
func (o *Observation) Status() int {
	if o == nil || o.Response == nil {
		return 0
	}
	return o.Response.Status
}
