package redact

import (
	"encoding/base64"
	"fmt"
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

// Hint describes a malformed argument or line for an error message
// without showing it (it may hold a secret): its length, and the leading
// word when that looks like a header or flag name ("Authorization").
func Hint(s string) string {
	word := s
	for i, r := range s {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			word = s[:i]
			break
		}
	}
	if len(word) > 40 || len(word) == len(s) {
		word = "" // a bare token may be the secret itself
	}
	if word == "" {
		return fmt.Sprintf("a %d-byte value (not shown: it may hold a secret)", len(s))
	}
	return fmt.Sprintf("%q followed by %d bytes (not shown: they may hold a secret)", word, len(s)-len(word))
}

// IsSecretTarget reports whether a WAF rule's matched variable holds a
// secret (ARGS:pwd, ARGS:json.password, a cookie, the Authorization
// header), so that its matched data, whatever transformation the rule
// applied to it, must not be shown.
func IsSecretTarget(t string) bool {
	coll, name, _ := strings.Cut(strings.ToLower(t), ":")
	switch coll {
	case "request_cookies", "request_cookies_names":
		return true
	case "request_headers":
		return IsSensitiveHeader(name)
	case "args", "args_get", "args_post", "args_combined_size", "args_get_names", "args_post_names", "args_names":
		name = strings.TrimPrefix(name, "json.")
		if i := strings.LastIndexAny(name, ".["); i >= 0 {
			name = strings.Trim(name[i+1:], "]")
		}
		return IsSensitiveParam(name) || strings.Contains(name, "nonce") || strings.Contains(name, "pass") || strings.Contains(name, "token")
	}
	return false
}

// RuleHitText masks what a rule hit on a secret target shows: the whole
// matched data, and in the message whatever follows "TARGET:" (CRS
// messages often end in "found within ARGS:pwd: <transformed value>").
func RuleHitText(target, message, data string) (string, string) {
	if !IsSecretTarget(target) {
		return message, data
	}
	if data != "" {
		data = Mask
	}
	if i := strings.Index(strings.ToLower(message), strings.ToLower(target)+":"); i >= 0 {
		message = message[:i+len(target)+1] + " " + Mask
	}
	return message, data
}

// URL returns the URL with secret query parameters and userinfo masked.
// An unparsable URL is returned with its query dropped and whatever
// stands before an "@" in its authority masked (a policy's
// "http://user:pass@bad host/" must not reach an error message).
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		base, _, _ := strings.Cut(raw, "?")
		return userinfoText(base)
	}
	if u.User != nil {
		u.User = url.User(Mask)
	}
	if u.RawQuery != "" {
		u.RawQuery = Query(u.RawQuery)
	}
	return u.String()
}

// userinfoText masks the userinfo of a URL that did not parse.
func userinfoText(s string) string {
	_, rest, ok := strings.Cut(s, "://")
	if !ok {
		rest = s
	}
	start := len(s) - len(rest)
	end := strings.IndexAny(rest, "/#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return s
	}
	return s[:start] + Mask + rest[at:]
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

// Scrubber replaces known secret strings wherever they appear, in every
// form a server can echo them (see Forms). It is safe for concurrent use.
// Secrets shorter than 4 bytes are ignored, as they would mask ordinary
// text.
type Scrubber struct {
	mu      sync.RWMutex
	secrets []string
	seen    map[string]bool
	rep     *strings.Replacer // built on first use after an Add
}

// Add registers secrets, each in every derived form (Forms).
func (s *Scrubber) Add(secrets ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range secrets {
		for _, form := range Forms(v) {
			s.addForm(form)
		}
	}
}

// addForm registers one literal string; the caller holds the lock.
func (s *Scrubber) addForm(form string) {
	if len(form) < 4 || s.seen[form] {
		return
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	s.seen[form] = true
	s.secrets = append(s.secrets, form)
	s.rep = nil
}

// AddBasic registers the credentials of HTTP Basic auth: the password in
// every form, "user:password", and the base64 token a client sends (and
// a server may echo), with and without the spaces of an application
// password.
func (s *Scrubber) AddBasic(user, password string) {
	if password == "" {
		return
	}
	s.Add(password)
	for _, p := range []string{password, strings.ReplaceAll(password, " ", "")} {
		s.Add(user + ":" + p)
	}
}

// AddAuthorization registers an Authorization header value: the whole
// value, the credentials after the scheme (a Bearer token, a Basic
// token), and for Basic the decoded "user:password" and the password.
func (s *Scrubber) AddAuthorization(value string) {
	value = strings.TrimSpace(value)
	s.Add(value)
	scheme, cred, ok := strings.Cut(value, " ")
	if !ok {
		return
	}
	cred = strings.TrimSpace(cred)
	s.Add(cred)
	if strings.EqualFold(scheme, "Basic") {
		if dec, err := base64.StdEncoding.DecodeString(cred); err == nil {
			user, pass, _ := strings.Cut(string(dec), ":")
			s.AddBasic(user, pass)
		}
	}
}

// AddCookies registers the values of a Cookie header ("a=b; c=d") or of a
// cookie-jar line's value, raw and URL-decoded (what PHP's $_COOKIE holds).
func (s *Scrubber) AddCookies(header string) {
	for _, part := range strings.Split(header, ";") {
		if _, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok {
			s.Add(strings.TrimSpace(v))
		}
	}
}

// replacer returns the one-pass replacer of every registered form, the
// longest first so that a secret that contains another is masked whole.
func (s *Scrubber) replacer() *strings.Replacer {
	s.mu.RLock()
	rep := s.rep
	s.mu.RUnlock()
	if rep != nil {
		return rep
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rep == nil {
		sort.SliceStable(s.secrets, func(i, j int) bool { return len(s.secrets[i]) > len(s.secrets[j]) })
		pairs := make([]string, 0, 2*len(s.secrets))
		for _, v := range s.secrets {
			pairs = append(pairs, v, Mask)
		}
		s.rep = strings.NewReplacer(pairs...)
	}
	return s.rep
}

// String masks every registered secret in text.
func (s *Scrubber) String(text string) string {
	if s == nil || s.empty() {
		return text
	}
	return s.replacer().Replace(text)
}

func (s *Scrubber) empty() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.secrets) == 0
}

// Bytes is String for byte slices.
func (s *Scrubber) Bytes(b []byte) []byte {
	if s == nil || s.empty() {
		return b
	}
	return []byte(s.String(string(b)))
}
