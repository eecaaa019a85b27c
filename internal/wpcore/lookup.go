package wpcore

import (
	"net/url"
	"slices"
	"strings"
)

// Answer is what core does with one request.
type Answer struct {
	Pattern string `json:"pattern"` // the core route matched ("/wp/v2/posts/{id}")
	Method  string `json:"method"`
	// Anonymous: core serves this method and query without credentials
	// (and so to any logged-in user too): it would answer 200.
	Anonymous bool `json:"anonymous"`
	// Codes are the WP_Error codes core's permission callback refuses
	// this method with (401 when anonymous, 403 when logged in).
	Codes []string `json:"codes,omitempty"`
	Since string   `json:"since"` // the WordPress version that added the route
	Note  string   `json:"note,omitempty"`
}

// Lookup returns what core does with method on route (a REST route such
// as "/wp/v2/posts/7", without the /wp-json prefix) with the query
// (nil when unknown). version is the site's WordPress version ("" when
// unknown): on a version older than the route's, core has no such route.
// ok is false for routes core does not register (plugins' namespaces).
func Lookup(method, route string, query url.Values, version string) (Answer, bool) {
	method = strings.ToUpper(method)
	if method == "HEAD" {
		method = "GET"
	}
	route = "/" + strings.Trim(route, "/")
	for i := range routes {
		r := &routes[i]
		if !matches(r.pattern, route) {
			continue
		}
		if v, ok := ParseVersion(version); ok && v.Less(r.since) {
			return Answer{}, false
		}
		a, ok := r.methods[method]
		if !ok {
			return Answer{}, false
		}
		ans := Answer{Pattern: r.pattern, Method: method, Anonymous: a.anon, Codes: slices.Clone(a.codes), Since: r.since.String(), Note: a.note}
		if ans.Anonymous && !viewQuery(query) {
			ans.Anonymous = false
			ans.Note = "the query asks for more than public content (context=edit, a status or a password)"
		}
		return ans, true
	}
	return Answer{}, false
}

// PluginWords reports whether a refusal with code on this request was
// written by a plugin or theme filter speaking core's words: core serves
// the request anonymously, code looks like core's, yet core's permission
// callback for this route never raises it and it is not one of core's
// authentication errors. Core would have answered 200.
func (a Answer) PluginWords(code string) bool {
	return a.Anonymous && RefusalLooksCore(code) && !slices.Contains(a.Codes, code) && !IsAuthCode(code)
}

// viewQuery reports whether the query asks only for what core shows to
// anyone: not the edit context, not drafts or private items.
func viewQuery(q url.Values) bool {
	if c := q.Get("context"); c != "" && c != "view" && c != "embed" {
		return false
	}
	if s := q.Get("status"); s != "" && s != "publish" && s != "approve" {
		return false
	}
	for _, k := range []string{"password", "who", "roles", "capabilities"} {
		if q.Has(k) {
			return false
		}
	}
	switch q.Get("orderby") {
	case "email", "registered_date":
		return false
	}
	return true
}

// matches reports whether route fits pattern segment by segment.
func matches(pattern, route string) bool {
	ps, rs := strings.Split(pattern, "/"), strings.Split(route, "/")
	for i, p := range ps {
		if p == "{any}" {
			return len(rs) > i && rs[i] != ""
		}
		if i >= len(rs) {
			return false
		}
		switch p {
		case "{id}":
			if !isDigits(rs[i]) {
				return false
			}
		case "{slug}":
			if rs[i] == "" {
				return false
			}
		default:
			if p != rs[i] {
				return false
			}
		}
	}
	return len(ps) == len(rs)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsAuthCode reports whether code is one of core's authentication errors,
// which core raises on any route when the credentials sent are bad (a
// stale nonce, a wrong application password), public routes included.
func IsAuthCode(code string) bool {
	return slices.Contains(authCodes, code)
}

var authCodes = []string{
	"rest_cookie_invalid_nonce", "incorrect_password", "invalid_username", "invalid_email",
	"application_passwords_disabled", "application_passwords_disabled_for_user",
}

// RefusalLooksCore reports whether a code is one core uses for refusals
// (rest_forbidden, rest_not_logged_in, rest_cannot_*…), or one plugins
// use to look like core (rest_cannot_access, rest_login_required,
// rest_authorization_required): on a route core serves anonymously, it is
// a plugin's or a theme's.
func RefusalLooksCore(code string) bool {
	switch code {
	case "rest_forbidden", "rest_not_logged_in", "rest_cannot_access", "rest_login_required",
		"rest_authorization_required", "rest_unauthorized", "rest_disabled", "rest_user_cannot_view":
		return true
	}
	return strings.HasPrefix(code, "rest_cannot_") || strings.HasPrefix(code, "rest_forbidden")
}
