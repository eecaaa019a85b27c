package redact

import (
	"net/url"
	"strings"
)

// IsSecretName reports whether a field's name marks its value as a secret,
// by the rules HAR sanitizers apply to recorded traffic: any name holding
// "nonce" (WordPress's _wpnonce, rest_nonce, heartbeat's _nonce,
// getpermalinknonce), "pass" or "pwd" (passwords), "token", "secret",
// "auth" as a word or prefix (auth, authcode, authorization, not author)
// and "key" as a word or suffix (key, api_key, apikey).
func IsSecretName(name string) bool {
	n := strings.ToLower(name)
	if IsSensitiveParam(n) {
		return true
	}
	for _, w := range []string{"nonce", "pass", "pwd", "token", "secret"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	for _, w := range nameWords(n) {
		if w == "authorization" || strings.HasPrefix(w, "auth") && !strings.HasPrefix(w, "author") || strings.HasSuffix(w, "key") {
			return true
		}
	}
	return false
}

// nameWords splits a field name at everything that is not a letter or a
// digit ("wp-auth_check[x]" → wp, auth, check, x).
func nameWords(n string) []string {
	return strings.FieldsFunc(n, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
}

// QueryFields masks, in a query string or form body, the value of every
// field IsSecretName marks, keeping the rest byte for byte. A name such
// as data[wp-refresh-post-nonces][post_id] is judged by every word in it.
func QueryFields(q string) string {
	parts := strings.Split(q, "&")
	for i, p := range parts {
		k, _, hasValue := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if hasValue && IsSecretName(name) {
			parts[i] = k + "=" + url.QueryEscape(Mask)
		}
	}
	return strings.Join(parts, "&")
}

// URLFields is URL with QueryFields applied to the query.
func URLFields(raw string) string {
	u := URL(raw)
	base, q, ok := strings.Cut(u, "?")
	if !ok {
		return u
	}
	q, frag, hasFrag := strings.Cut(q, "#")
	out := base + "?" + QueryFields(q)
	if hasFrag {
		out += "#" + frag
	}
	return out
}

// BodyFields masks a recorded request or response body by field name: a
// form's fields (QueryFields) and the string, number and boolean values of
// JSON members (at any depth) whose names IsSecretName marks.
func BodyFields(s string) string {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "{") && !strings.HasPrefix(t, "[") {
		return QueryFields(s)
	}
	return jsonMember.ReplaceAllStringFunc(s, func(m string) string {
		sub := jsonMember.FindStringSubmatch(m)
		if !IsSecretName(unescapeJSONName(sub[1])) {
			return m
		}
		return `"` + sub[1] + `"` + sub[2] + `"` + Mask + `"`
	})
}
