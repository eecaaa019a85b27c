package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// Defaults for Config fields left zero.
const (
	DefaultTimeout     = 15 * time.Second
	DefaultMaxBody     = 256 << 10 // bytes kept in an observation
	DefaultReadLimit   = 4 << 20   // bytes read before a body counts as too large
	DefaultConcurrency = 4
	DefaultUserAgent   = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 wp403/0.1"
	maxHeaderBytes     = 64 << 10
	maxRetryAfter      = 30 * time.Second
)

// Config sets up a Client.
type Config struct {
	// Resolve maps "host:port" to the addresses to dial for it, comma
	// separated and tried in order (curl --resolve HOST:PORT:ADDR[,ADDR]).
	Resolve map[string]string
	// Proxy picks the proxy of an edge request (nil: none), as
	// http.Transport.Proxy does. Origin requests never use a proxy: they
	// must reach the origin server itself.
	Proxy func(*http.Request) (*url.URL, error)
	// Origin is the origin address ("ip" or "ip:port") for VantageOrigin requests.
	Origin   string
	Insecure bool
	RootCAs  *x509.CertPool
	// Timeout bounds one request, body included.
	Timeout     time.Duration
	MaxBody     int64
	ReadLimit   int64
	Concurrency int
	// MaxRetryAfter bounds how long a 429 Retry-After is honoured.
	MaxRetryAfter time.Duration
	// Transport replaces the network (tests).
	Transport http.RoundTripper
	// Wrap, when set, wraps each vantage's transport (recording and
	// replaying captures).
	Wrap func(v record.Vantage, rt http.RoundTripper) http.RoundTripper
	// TargetHost is the only host credentials may be sent to.
	TargetHost string
	Scrubber   *redact.Scrubber
}

// Client sends probes. It is safe for concurrent use.
type Client struct {
	cfg    Config
	edge   *http.Client
	origin *http.Client
	limits *limiter
}

// New builds a Client.
func New(cfg Config) (*Client, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.ReadLimit < cfg.MaxBody {
		cfg.ReadLimit = max(DefaultReadLimit, cfg.MaxBody)
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = maxRetryAfter
	}
	c := &Client{cfg: cfg, limits: newLimiter(cfg.Concurrency)}
	edge, origin := c.transport(""), c.transport(cfg.Origin)
	if cfg.Wrap != nil {
		edge, origin = cfg.Wrap(record.VantageEdge, edge), cfg.Wrap(record.VantageOrigin, origin)
	}
	c.edge = &http.Client{Transport: edge, CheckRedirect: noRedirects}
	c.origin = &http.Client{Transport: origin, CheckRedirect: noRedirects}
	return c, nil
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// transport returns the RoundTripper for one vantage: pin == "" dials the
// edge (honouring Resolve), otherwise every connection goes to pin.
func (c *Client) transport(pin string) http.RoundTripper {
	if c.cfg.Transport != nil {
		return c.cfg.Transport
	}
	d := &net.Dialer{Timeout: min(c.cfg.Timeout, 10*time.Second)}
	var proxy func(*http.Request) (*url.URL, error)
	if pin == "" {
		proxy = c.cfg.Proxy
	}
	return &http.Transport{
		Proxy: proxy,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return dialFirst(ctx, d, network, strings.Split(c.dialAddr(pin, addr), ","))
		},
		TLSClientConfig:        &tls.Config{RootCAs: c.cfg.RootCAs, InsecureSkipVerify: c.cfg.Insecure}, //nolint:gosec // -k is the user's explicit choice
		TLSHandshakeTimeout:    min(c.cfg.Timeout, 10*time.Second),
		ResponseHeaderTimeout:  c.cfg.Timeout,
		MaxResponseHeaderBytes: maxHeaderBytes,
		ForceAttemptHTTP2:      true,
		MaxIdleConnsPerHost:    c.cfg.Concurrency,
		IdleConnTimeout:        30 * time.Second,
	}
}

// dialFirst dials the addresses in order and returns the first
// connection, or the last error.
func dialFirst(ctx context.Context, d *net.Dialer, network string, addrs []string) (net.Conn, error) {
	var err error
	for _, a := range addrs {
		var conn net.Conn
		if conn, err = d.DialContext(ctx, network, a); err == nil || ctx.Err() != nil {
			return conn, err
		}
	}
	return nil, err
}

// dialAddr maps the address Go wants to dial to the one we dial.
func (c *Client) dialAddr(pin, addr string) string {
	if pin != "" {
		_, port, _ := net.SplitHostPort(addr)
		if h, p, err := net.SplitHostPort(pin); err == nil {
			return net.JoinHostPort(h, p)
		}
		return net.JoinHostPort(strings.Trim(pin, "[]"), port)
	}
	if to, ok := c.cfg.Resolve[addr]; ok {
		return to
	}
	return addr
}

// HasOrigin reports whether origin probes are possible.
func (c *Client) HasOrigin() bool { return c.cfg.Origin != "" }

// Close releases idle connections.
func (c *Client) Close() {
	for _, hc := range []*http.Client{c.edge, c.origin} {
		if t, ok := hc.Transport.(*http.Transport); ok {
			t.CloseIdleConnections()
		}
	}
}

// ParseResolve parses curl-style "HOST:PORT:ADDR[,ADDR…]" entries.
func ParseResolve(entries []string) (map[string]string, error) {
	out := map[string]string{}
	for _, e := range entries {
		host, rest, ok1 := strings.Cut(e, ":")
		port, addr, ok2 := strings.Cut(rest, ":")
		if !ok1 || !ok2 || host == "" || port == "" || addr == "" {
			return nil, fmt.Errorf("resolve %q: want HOST:PORT:ADDR", e)
		}
		if !validHost(host) {
			return nil, fmt.Errorf("resolve %q: %q is not a host name", e, host)
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("resolve %q: %q is not a port", e, port)
		}
		var dial []string
		for _, a := range strings.Split(addr, ",") {
			a = strings.Trim(a, "[]")
			if net.ParseIP(a) == nil {
				return nil, fmt.Errorf("resolve %q: %q is not an IP address", e, a)
			}
			dial = append(dial, net.JoinHostPort(a, port))
		}
		out[net.JoinHostPort(host, port)] = strings.Join(dial, ",")
	}
	return out, nil
}

var errCredentialsElsewhere = errors.New("refusing to send credentials to a host other than the target")

// validHost accepts DNS names (letters, digits, '-', '_', '.').
func validHost(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, r := range h {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			return false
		}
	}
	return true
}
