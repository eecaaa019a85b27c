package diagnose

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// Classifier names who produced a response (the signature database).
type Classifier interface {
	Classify(req *record.HTTPRequest, resp *record.HTTPResponse) *record.Class
}

// Replayer evaluates a request with an in-process WAF (Coraza + CRS).
type Replayer interface {
	Replay(method, rawURL string, header http.Header, body []byte) (*record.WAFResult, error)
}

// RequestSpec is one request the user says is failing.
type RequestSpec struct {
	Method      string
	Route       string // REST route ("/wp/v2/posts"), or "" when URL is set
	Query       string // query string without the leading '?'
	URL         string // a full URL that is not under the REST root
	Host        string // the host of a full URL given on the command line
	Body        []byte
	ContentType string
	// Header holds extra headers for this request only (for example
	// X-HTTP-Method-Override); credentials come from the Config.
	Header http.Header
}

// Config is everything one diagnosis needs.
type Config struct {
	URL     string
	Resolve []string
	// Proxy picks the proxy for edge probes (nil: none); origin probes
	// always go straight to Origin.
	Proxy     func(*http.Request) (*url.URL, error)
	Origin    string
	Insecure  bool
	CACertPEM []byte
	// RunID tags every request (X-WP403-Request-Id) and what the run
	// creates; probe.NewRunID when empty.
	RunID   string
	Timeout time.Duration
	// Deadline, when set, ends the probing (--max-time): what is not
	// answered by then is abandoned and the report is marked interrupted.
	Deadline    time.Time
	Concurrency int
	UserAgent   string

	User        string
	AppPassword string
	Password    string
	Cookie      string   // "a=b; c=d" as a browser sent it
	Headers     []string // "Name: value"

	// AgentKey, when set, signs every REST probe for the wp403 agent
	// (internal/agent) and reads its traces into the observations.
	AgentKey []byte

	Requests []RequestSpec
	Write    bool // allow creating (and deleting) a draft post and a media item
	Payload  bool // allow block-editor-shaped content, which WAFs inspect
	// SiteHealth adds Site Health's REST availability loopback check at
	// every vantage and a note explaining Site Health's message.
	SiteHealth bool

	Classifier Classifier
	Replayer   Replayer
	// LogFiles are read after probing and correlated with the probes.
	LogFiles  []string
	LogReader LogReader
	// Wrap records or replays the network (see capture.go).
	Wrap func(v record.Vantage, rt http.RoundTripper) http.RoundTripper
	// Progress receives one line per step; nil for silence.
	Progress io.Writer
	// OnProbe, when set, is called after every probe with the wave it
	// belongs to, the probes sent so far and those planned so far (later
	// waves add to it). It may be called from several goroutines.
	OnProbe func(wave string, done, planned int)
	// Scrubber, when set, is the run's secret scrubber: Run registers the
	// configured secrets and every cookie and nonce it learns in it, so the
	// caller can render with it.
	Scrubber *redact.Scrubber
	// Source labels the report target ("live", "replay:…").
	Source string
	Now    func() time.Time
}

// LogReader reads log files, attaches the entries that record
// observations to them and returns those entries (only those).
type LogReader func(ctx context.Context, files []string, obs []record.Observation) ([]record.LogEntry, error)

// ErrUsage marks configuration errors the user must fix: test with
// errors.Is(err, ErrUsage); the message is the explanation alone.
var ErrUsage = errors.New("usage")

// usageErr is a configuration error; it is ErrUsage.
type usageErr struct{ msg string }

func (e *usageErr) Error() string        { return e.msg }
func (e *usageErr) Is(target error) bool { return target == ErrUsage }

func usage(format string, a ...any) error {
	return &usageErr{msg: fmt.Sprintf(format, a...)}
}

// parseTarget validates the site URL; a bare host means https.
func parseTarget(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, usage("a site URL is required")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, usage("invalid URL %q: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, usage("URL scheme must be http or https, not %q", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, usage("URL %q has no host", raw)
	}
	if u.User != nil {
		return nil, usage("put credentials in --user/--app-password-file, not in the URL")
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u, nil
}

// ParseRequest parses "METHOD ROUTE" where ROUTE is a REST route, a path
// under /wp-json/, a ?rest_route= URL, or a full URL.
func ParseRequest(s string) (RequestSpec, error) {
	method, target, ok := strings.Cut(strings.TrimSpace(s), " ")
	target = strings.TrimSpace(target)
	if !ok || target == "" {
		return RequestSpec{}, usage("--request %q: want 'METHOD ROUTE', e.g. 'POST /wp/v2/posts'", s)
	}
	method = strings.ToUpper(method)
	if !validMethod(method) {
		return RequestSpec{}, usage("--request %q: %q is not an HTTP method", s, method)
	}
	spec := RequestSpec{Method: method}
	path, query, _ := strings.Cut(target, "?")
	switch {
	case strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://"):
		u, err := url.Parse(target)
		if err != nil || u.Host == "" {
			return RequestSpec{}, usage("--request %q: not a valid URL", s)
		}
		spec = specFromURL(spec, u)
		spec.Host = u.Hostname()
		if spec.URL == "" && !strings.HasPrefix(spec.Route, "/") {
			return RequestSpec{}, usage("--request %q: rest_route must start with / (e.g. ?rest_route=/wp/v2/posts)", s)
		}
		return spec, nil
	case strings.HasPrefix(path, "/wp-json"):
		spec.Route = "/" + strings.TrimLeft(strings.TrimPrefix(path, "/wp-json"), "/")
		spec.Query = query
	case strings.HasPrefix(path, "/"):
		spec.Route, spec.Query = path, query
	default:
		return RequestSpec{}, usage("--request %q: the route must start with / (e.g. /wp/v2/posts)", s)
	}
	return spec, nil
}

func specFromURL(spec RequestSpec, u *url.URL) RequestSpec {
	q := u.Query()
	if rr := q.Get("rest_route"); rr != "" {
		q.Del("rest_route")
		spec.Route, spec.Query = rr, q.Encode()
		return spec
	}
	if i := strings.Index(u.Path, "/wp-json"); i >= 0 {
		spec.Route = "/" + strings.TrimLeft(u.Path[i+len("/wp-json"):], "/")
		spec.Query = u.RawQuery
		return spec
	}
	spec.URL = u.String()
	return spec
}

func validMethod(m string) bool {
	if m == "" || len(m) > 16 {
		return false
	}
	for _, r := range m {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// ParseHeader parses "Name: value".
func ParseHeader(s string) (string, string, error) {
	name, value, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " \t\r\n") {
		return "", "", usage("-H %s: want 'Name: value'", redact.Hint(s))
	}
	return http.CanonicalHeaderKey(name), strings.TrimSpace(value), nil
}
