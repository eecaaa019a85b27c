package agent

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Header names of the protocol.
const (
	SignHeader  = "X-WP403-Agent" // request: "v2 t=UNIX id=RID [a=D] [c=D] [n=D] [do=ACTION] sig=HEX"
	TraceHeader = "X-WP403-Trace" // response: "v1.BASE64URL.HEX"
)

// Window is how far a signature's timestamp may be from the site's clock.
const Window = 5 * time.Minute

var requestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// ValidRequestID reports whether the plugin accepts a request id.
func ValidRequestID(id string) bool { return requestID.MatchString(id) }

// Signer signs requests with one key.
type Signer struct {
	Key []byte
	Now func() time.Time
}

// Request is what a signature covers, as the client sends it: the
// method, the Host, the path and query of the request target, the body,
// and the headers that change what WordPress does with it (Content-Type,
// X-HTTP-Method-Override) or who it runs as (Authorization, WordPress's
// cookies, X-WP-Nonce).
type Request struct {
	Method   string
	Host     string
	Path     string // as sent, percent-encoded
	RawQuery string
	Header   http.Header
	Body     []byte
	// Action asks the agent itself for something ("journal", "purge")
	// instead of tracing the request; "" for a traced request.
	Action string
}

// RequestOf describes an outgoing request and its body for signing.
func RequestOf(r *http.Request, body []byte) Request {
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	return Request{Method: r.Method, Host: host, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Header: r.Header, Body: body}
}

// Header returns the X-WP403-Agent value for a request, or "" when the
// request id is not one the plugin accepts.
//
// The signature (HMAC-SHA256, as request-signing schemes such as AWS
// SigV4 do) covers the method, Host, decoded path, canonical query, the
// body's SHA-256, Content-Type, X-HTTP-Method-Override, the credentials,
// the action, the time and the request id. The credentials (Authorization,
// the wordpress_* cookies, X-WP-Nonce) are carried as keyed digests: the
// plugin accepts a credential that was removed on the way (and says so)
// but never one that was added or replaced, so a header copied from a log
// cannot be replayed with another request or another identity.
func (s Signer) Header(r Request, id string) string {
	if !ValidRequestID(id) || (r.Action != "" && !validAction(r.Action)) {
		return ""
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	creds := s.credentials(r.Header)
	out := "v2 t=" + ts + " id=" + id
	for _, c := range creds {
		if c.digest != "" {
			out += " " + c.letter + "=" + c.digest
		}
	}
	if r.Action != "" {
		out += " do=" + r.Action
	}
	return out + " sig=" + s.mac(stringToSign(r, creds, ts, id))
}

func validAction(a string) bool { return a == "journal" || a == "purge" }

// credential is one signed credential: its letter in the header and its
// keyed digest ("" when the client sent none).
type credential struct{ letter, digest string }

func (s Signer) credentials(h http.Header) []credential {
	values := []struct{ letter, name, value string }{
		{"a", "authorization", strings.TrimSpace(h.Get("Authorization"))},
		{"c", "cookie", wpCookies(h.Values("Cookie"))},
		{"n", "nonce", strings.TrimSpace(h.Get("X-WP-Nonce"))},
	}
	out := make([]credential, len(values))
	for i, v := range values {
		out[i].letter = v.letter
		if v.value != "" {
			out[i].digest = s.mac("wp403-agent/v2 credential\n" + v.name + "\n" + v.value)[:32]
		}
	}
	return out
}

func (s Signer) mac(msg string) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

func stringToSign(r Request, creds []credential, ts, id string) string {
	body := sha256.Sum256(r.Body)
	lines := []string{
		"wp403-agent/v2",
		strings.ToUpper(r.Method),
		canonicalHost(r.Host),
		canonicalPath(r.Path),
		CanonicalQuery(r.RawQuery),
		strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Type"))),
		strings.ToUpper(strings.TrimSpace(r.Header.Get("X-HTTP-Method-Override"))),
		hex.EncodeToString(body[:]),
	}
	for _, c := range creds {
		d := c.digest
		if d == "" {
			d = "-"
		}
		lines = append(lines, c.letter+"="+d)
	}
	return strings.Join(append(lines, r.Action, ts, id), "\n")
}

// canonicalHost is the host name in lower case without a port: what
// nginx's Debian fastcgi_params pass as HTTP_HOST ($host).
func canonicalHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if i := strings.LastIndexByte(h, ':'); i >= 0 && strings.Trim(h[i+1:], "0123456789") == "" {
		h = h[:i]
	}
	return h
}

// canonicalPath is the path percent-decoded (PHP's rawurldecode), kept as
// sent when it holds an invalid escape.
func canonicalPath(p string) string {
	if p == "" {
		return "/" // what an HTTP client sends for an empty path
	}
	if d, err := url.PathUnescape(p); err == nil {
		return d
	}
	return p
}

// CanonicalQuery is a query string as the plugin canonicalises it: the
// non-empty &-separated pairs, each name and value form-decoded then
// encoded as PHP's rawurlencode does, sorted, joined by &.
func CanonicalQuery(raw string) string {
	var pairs []string
	for _, p := range strings.Split(raw, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		pairs = append(pairs, rawURLEncode(formDecode(k))+"="+rawURLEncode(formDecode(v)))
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}

// formDecode is PHP's urldecode: + is a space, invalid escapes stay as they are.
func formDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '+':
			b.WriteByte(' ')
		case s[i] == '%' && i+2 < len(s) && ishex(s[i+1]) && ishex(s[i+2]):
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b.WriteByte(byte(v))
			i += 2
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// rawURLEncode is PHP's rawurlencode: everything but A-Z a-z 0-9 - _ . ~
// as %XX (upper case).
func rawURLEncode(s string) string {
	const hexUpper = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&15])
	}
	return b.String()
}

// wpCookies is the canonical form of WordPress's cookies (names starting
// wordpress_) as PHP reads them: values form-decoded, the first of each
// name, sorted by name, one "name=value" a line.
func wpCookies(headers []string) string {
	seen := map[string]string{}
	for _, h := range headers {
		for _, part := range strings.Split(h, ";") {
			name, value, _ := strings.Cut(strings.TrimSpace(part), "=")
			if !strings.HasPrefix(name, "wordpress_") {
				continue
			}
			if _, dup := seen[name]; !dup {
				seen[name] = formDecode(value)
			}
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n + "=" + seen[n] + "\n")
	}
	return b.String()
}

// CanonicalRoute is a REST route in the form traces use: decoded, one
// leading slash, no trailing slash ("/" for the index).
func CanonicalRoute(route string) string {
	if r, err := url.PathUnescape(route); err == nil {
		route = r
	}
	return "/" + strings.Trim(route, "/")
}
