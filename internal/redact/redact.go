package redact

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Mask replaces a secret value.
const Mask = "[redacted]"

// sensitiveHeaders are request or response headers whose values are secrets.
var sensitiveHeaders = map[string]bool{
	"authorization":       true,
	"proxy-authorization": true,
	"cookie":              true,
	"set-cookie":          true,
	"x-wp-nonce":          true,
	"x-api-key":           true,
	"x-auth-token":        true,
	"x-wp403-agent":       true, // the agent's request signature
}

// IsSensitiveHeader reports whether a header's value is a secret.
func IsSensitiveHeader(name string) bool {
	return sensitiveHeaders[strings.ToLower(name)]
}

// HeaderValue returns a value safe to store for the named header. It keeps
// what helps a diagnosis and drops the secret: the auth scheme, the user
// name of Basic credentials is dropped too, cookie names are kept.
func HeaderValue(name, value string) string {
	switch strings.ToLower(name) {
	case "authorization", "proxy-authorization":
		scheme, _, _ := strings.Cut(strings.TrimSpace(value), " ")
		if scheme == "" {
			return Mask
		}
		return scheme + " " + Mask
	case "cookie":
		return cookieNames(value, ";")
	case "set-cookie":
		name, rest, _ := strings.Cut(value, "=")
		_, attrs, _ := strings.Cut(rest, ";")
		if attrs != "" {
			return strings.TrimSpace(name) + "=" + Mask + ";" + attrs
		}
		return strings.TrimSpace(name) + "=" + Mask
	}
	if IsSensitiveHeader(name) {
		return Mask
	}
	return value
}

func cookieNames(value, sep string) string {
	parts := strings.Split(value, sep)
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		name, _, _ := strings.Cut(strings.TrimSpace(p), "=")
		if name != "" {
			out = append(out, name+"="+Mask)
		}
	}
	return strings.Join(out, "; ")
}

// Header returns a redacted copy of a header map.
func Header(h map[string][]string) map[string][]string {
	if h == nil {
		return nil
	}
	out := make(map[string][]string, len(h))
	for k, vs := range h {
		cp := make([]string, len(vs))
		for i, v := range vs {
			cp[i] = HeaderValue(k, v)
		}
		out[k] = cp
	}
	return out
}

// sensitiveParams are query or form parameters whose values are secrets.
var sensitiveParams = map[string]bool{
	"_wpnonce": true, "pwd": true, "password": true, "pass": true,
	"nonce": true, "_ajax_nonce": true, "token": true, "access_token": true,
	"app_password": true, "key": true, "rest_nonce": true,
	"pass1": true, "pass2": true, "user_pass": true, "post_password": true, "secret": true,
	"client_secret": true, "api_key": true, "refresh_token": true, "auth_token": true,
}

// IsSensitiveParam reports whether a query, form or JSON field's value is
// a secret (passwords of the login and profile forms, nonces, tokens).
func IsSensitiveParam(name string) bool {
	return sensitiveParams[strings.ToLower(name)]
}

// URL returns the URL with secret query parameters and userinfo masked.
// An unparsable URL is returned with its query dropped.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		base, _, _ := strings.Cut(raw, "?")
		return base
	}
	if u.User != nil {
		u.User = url.User(Mask)
	}
	if u.RawQuery != "" {
		u.RawQuery = Query(u.RawQuery)
	}
	return u.String()
}

// Query masks secret parameters in a query string or form body, keeping
// the order and the other parameters byte for byte.
func Query(q string) string {
	parts := strings.Split(q, "&")
	for i, p := range parts {
		k, _, hasValue := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if hasValue && sensitiveParams[strings.ToLower(name)] {
			parts[i] = k + "=" + url.QueryEscape(Mask)
		}
	}
	return strings.Join(parts, "&")
}

// nonceBody matches a bare WordPress nonce, as admin-ajax.php?action=rest-nonce returns it.
var nonceBody = regexp.MustCompile(`^\s*[0-9a-f]{10}\s*$`)

// NonceBody masks a body that is nothing but a nonce.
func NonceBody(body string) string {
	if nonceBody.MatchString(body) {
		return Mask
	}
	return body
}

// Scrubber replaces known secret strings wherever they appear. It is safe
// for concurrent use. Secrets shorter than 4 bytes are ignored, as they
// would mask ordinary text.
type Scrubber struct {
	mu      sync.RWMutex
	secrets []string
}

// Add registers secrets. Application passwords are also registered
// without their spaces, since WordPress accepts both forms.
func (s *Scrubber) Add(secrets ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range secrets {
		for _, form := range []string{v, strings.ReplaceAll(v, " ", ""), url.QueryEscape(v)} {
			if len(form) >= 4 && !contains(s.secrets, form) {
				s.secrets = append(s.secrets, form)
			}
		}
	}
	// Longest first, so a secret that contains another is masked whole.
	sort.Slice(s.secrets, func(i, j int) bool { return len(s.secrets[i]) > len(s.secrets[j]) })
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// String masks every registered secret in text.
func (s *Scrubber) String(text string) string {
	if s == nil {
		return text
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, v := range s.secrets {
		if strings.Contains(text, v) {
			text = strings.ReplaceAll(text, v, Mask)
		}
	}
	return text
}

// Bytes is String for byte slices.
func (s *Scrubber) Bytes(b []byte) []byte {
	if s == nil || len(s.secrets) == 0 {
		return b
	}
	return []byte(s.String(string(b)))
}
