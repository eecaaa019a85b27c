package har

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/redact"
)

// Nonces inlined in wp-admin pages and answers: wpApiSettings.nonce,
// wp.apiFetch.createNonceMiddleware("…"), heartbeat's rest_nonce, and any
// JSON "nonce"/"_wpnonce" field.
var reInlineNonce = regexp.MustCompile(`((?:"|\\")(?:nonce|_wpnonce|rest_nonce|rest-nonce|_ajax_nonce)(?:"|\\")\s*:\s*(?:"|\\"))[0-9a-f]{10}|(createNonceMiddleware\(\s*["'])[0-9a-f]{10}`)

// secrets collects every secret value an entry carries, so that the same
// value is masked wherever else it appears (a nonce in a later body).
func secrets(e *entry) []string {
	var out []string
	for _, h := range append(append([]nameVal{}, e.Request.Headers...), e.Response.Headers...) {
		switch strings.ToLower(h.Name) {
		case "cookie":
			out = append(out, cookieValues(h.Value, ";")...)
		case "set-cookie":
			v, _, _ := strings.Cut(h.Value, ";")
			out = append(out, cookieValues(v, ";")...)
		case "authorization", "proxy-authorization":
			_, cred, _ := strings.Cut(strings.TrimSpace(h.Value), " ")
			out = append(out, cred)
			if dec, err := base64.StdEncoding.DecodeString(cred); err == nil {
				_, pass, _ := strings.Cut(string(dec), ":")
				out = append(out, pass)
			}
		default:
			if redact.IsSensitiveHeader(h.Name) {
				out = append(out, h.Value)
			}
		}
	}
	for _, c := range append(append([]nameVal{}, e.Request.Cookies...), e.Response.Cookies...) {
		out = append(out, c.Value)
	}
	if u, err := url.Parse(e.Request.URL); err == nil {
		for k, vs := range u.Query() {
			if redact.Query(k+"=x") != k+"=x" {
				out = append(out, vs...)
			}
		}
	}
	return out
}

func cookieValues(v, sep string) []string {
	var out []string
	for _, p := range strings.Split(v, sep) {
		if _, val, ok := strings.Cut(strings.TrimSpace(p), "="); ok {
			out = append(out, val)
		}
	}
	return out
}

// maxSecrets bounds the distinct secret values remembered from one file.
// Headers and URLs are masked by their names whatever this holds; the
// remembered values are a second net for bodies, so a file with an
// unusual number of distinct cookies cannot grow memory or time.
const maxSecrets = 512

// secretSet feeds new secret values to a scrubber, once each.
type secretSet struct {
	sc   *redact.Scrubber
	seen map[string]bool
}

func newSecretSet() *secretSet {
	return &secretSet{sc: &redact.Scrubber{}, seen: map[string]bool{}}
}

func (s *secretSet) add(values []string) {
	var fresh []string
	for _, v := range values {
		if len(v) >= 4 && !s.seen[v] && len(s.seen) < maxSecrets {
			s.seen[v] = true
			fresh = append(fresh, v)
		}
	}
	if len(fresh) > 0 {
		s.sc.Add(fresh...)
	}
}

// redactBody masks nonces in a response body: a bare nonce (the
// rest-nonce answer), inlined nonces, and every secret seen so far.
func redactBody(body string, sc *redact.Scrubber) string {
	body = redact.NonceBody(body)
	body = reInlineNonce.ReplaceAllString(body, "${1}${2}"+redact.Mask)
	return sc.String(body)
}
