package agent

import (
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// Bounds on what a trace may hold after sanitising.
const (
	maxString = 200
	maxList   = 16
)

// Vocabulary the trace may use; anything else is replaced.
var (
	hooks = set("determine_current_user", "rest_authentication_errors", "rest_pre_dispatch",
		"rest_request_before_callbacks", "permission_callback", "rest_dispatch_request", "callback",
		"rest_request_after_callbacks", "rest_post_dispatch", "rest_endpoints", "wp_die_handler",
		"wp_authenticate_application_password_errors", "wp_is_application_passwords_available",
		"wp_is_application_passwords_available_for_user", "dispatch", "load", "output")
	componentTypes = set("plugin", "mu-plugin", "theme", "core", "other", "unknown")
	cookieStates   = set("none", "valid", "expired", "bad_hash", "bad_username", "bad_session_token", "malformed", "not-checked")
	appResults     = set("ok", "failed", "not-tried", "no-credentials")
	phpVars        = set("HTTP_AUTHORIZATION", "REDIRECT_HTTP_AUTHORIZATION", "PHP_AUTH_USER", "PHP_AUTH_PW")
	permResults    = set("true", "false", "truthy", "error")
	whyNot         = set("not-https-and-not-local", "filtered", "none-created")
	credentials    = set("authorization", "cookie", "nonce")
	stages         = set("mu-plugins", "plugins", "theme", "init", "routing", "rest", "served")
)

func set(words ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Clean keeps printable ASCII and caps the length: a trace string may be
// shown on a terminal.
func Clean(s string, limit int) string {
	var b strings.Builder
	for i := 0; i < len(s) && b.Len() < limit; i++ {
		if c := s[i]; c >= 0x20 && c < 0x7f {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func word(s string, allowed map[string]bool, otherwise string) string {
	if allowed[s] {
		return s
	}
	return otherwise
}

func status(n int) int {
	if n < 0 || n > 999 {
		return 0
	}
	return n
}

func sanitize(t *record.AgentTrace) {
	t.Agent, t.Method, t.WP = Clean(t.Agent, 20), Clean(t.Method, 16), Clean(t.WP, 40)
	t.Route = Clean(t.Route, maxString)
	t.Status = status(t.Status)
	t.Refusal = sanitizeCallbackPtr(t.Refusal)
	t.Permission = sanitizeCallbackPtr(t.Permission)
	t.Removed = sanitizeCallbacks(t.Removed)
	t.Events = sanitizeCallbacks(t.Events)
	sanitizeAuth(&t.Auth)
	if p := t.Progress; p != nil {
		p.Stage = word(p.Stage, stages, "")
		p.LastLoaded, p.LastHook = Clean(p.LastLoaded, maxString), Clean(p.LastHook, 100)
	}
}

func sanitizeCallbackPtr(c *record.AgentCallback) *record.AgentCallback {
	if c == nil {
		return nil
	}
	sanitizeCallback(c)
	return c
}

func sanitizeCallbacks(cs []record.AgentCallback) []record.AgentCallback {
	if len(cs) > maxList {
		cs = cs[:maxList]
	}
	for i := range cs {
		sanitizeCallback(&cs[i])
	}
	return cs
}

func sanitizeCallback(c *record.AgentCallback) {
	c.Hook = word(c.Hook, hooks, "unknown")
	c.Callable, c.File = Clean(c.Callable, maxString), Clean(c.File, maxString)
	c.Code, c.During = Clean(c.Code, 100), Clean(c.During, 100)
	c.Route, c.Removed, c.AddedBy = Clean(c.Route, maxString), Clean(c.Removed, maxString), Clean(c.AddedBy, maxString)
	c.Result = word(c.Result, permResults, "")
	c.Status = status(c.Status)
	if c.Line < 0 || c.Line > 10_000_000 {
		c.Line = 0
	}
	co := &c.Component
	co.Type = word(co.Type, componentTypes, "unknown")
	co.Slug, co.Name, co.Version = Clean(co.Slug, 100), Clean(co.Name, 100), Clean(co.Version, 40)
}

func sanitizeAuth(a *record.AgentAuth) {
	var saw []string
	for _, v := range a.PHPSaw {
		if phpVars[v] && len(saw) < 4 {
			saw = append(saw, v)
		}
	}
	a.PHPSaw = saw
	a.Scheme = Clean(a.Scheme, 20)
	a.Cookie = word(a.Cookie, cookieStates, "")
	a.AppPassword.Result = word(a.AppPassword.Result, appResults, "")
	a.AppPassword.Code = Clean(a.AppPassword.Code, 100)
	if a.Nonce != nil && (*a.Nonce < 0 || *a.Nonce > 2) {
		a.Nonce = nil
	}
	a.Environment = Clean(a.Environment, 20)
	var why []string
	for _, w := range a.AppPasswordsWhyNot {
		if whyNot[w] && len(why) < 3 {
			why = append(why, w)
		}
	}
	a.AppPasswordsWhyNot = why
	var stripped []string
	for _, c := range a.Stripped {
		if credentials[c] && len(stripped) < 3 {
			stripped = append(stripped, c)
		}
	}
	a.Stripped = stripped
	a.AppPasswordsDisabledBy = sanitizeCallbackPtr(a.AppPasswordsDisabledBy)
	a.DeterminedBy = Clean(a.DeterminedBy, maxString)
	if a.UserID < 0 {
		a.UserID = 0
	}
	if len(a.Roles) > maxList {
		a.Roles = a.Roles[:maxList]
	}
	for i, r := range a.Roles {
		a.Roles[i] = Clean(r, 60)
	}
}
