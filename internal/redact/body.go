package redact

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
)

// isSecretField reports whether a query, form or JSON field holds a
// secret: the named parameters of IsSensitiveParam, and any name that
// mentions a password, nonce, token or secret.
func isSecretField(name string) bool {
	n := strings.ToLower(name)
	return IsSensitiveParam(n) || strings.Contains(n, "pass") || strings.Contains(n, "nonce") ||
		strings.Contains(n, "token") || strings.Contains(n, "secret")
}

// jsonField matches a JSON string member: "name": "value".
var jsonField = regexp.MustCompile(`"((?:[^"\\]|\\.){1,64})"(\s*:\s*)"((?:[^"\\]|\\.)*)"`)

// Body masks the secret fields of a request body kept in a report: the
// secret parameters of a form (Query) and the string values of secret
// JSON members ("password": "…"), keeping everything else byte for byte.
func Body(s string) string {
	s = Query(s)
	if !strings.Contains(s, `"`) {
		return s
	}
	return jsonField.ReplaceAllStringFunc(s, func(m string) string {
		sub := jsonField.FindStringSubmatch(m)
		if !isSecretField(sub[1]) {
			return m
		}
		return `"` + sub[1] + `"` + sub[2] + `"` + Mask + `"`
	})
}

// BodySecrets returns the values of the secret fields of a query string,
// a form body or a JSON body, at any depth, for a Scrubber.
func BodySecrets(body string) []string {
	var out []string
	var v any
	if json.Unmarshal([]byte(body), &v) == nil {
		collectJSON(v, "", &out)
		return out
	}
	q, _ := url.ParseQuery(strings.TrimPrefix(body, "?")) // what parsed is kept
	for k, vs := range q {
		if isSecretField(k) {
			out = append(out, vs...)
		}
	}
	return out
}

func collectJSON(v any, key string, out *[]string) {
	switch x := v.(type) {
	case string:
		if isSecretField(key) {
			*out = append(*out, x)
		}
	case map[string]any:
		for k, e := range x {
			collectJSON(e, k, out)
		}
	case []any:
		for _, e := range x {
			collectJSON(e, key, out)
		}
	}
}

// jsonMember matches a JSON member with a scalar value: "name": "value",
// "name": 123, "name": true.
var jsonMember = regexp.MustCompile(`"((?:[^"\\]|\\.){1,128})"(\s*:\s*)("(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*|true|false)`)

// unescapeJSONName reads a member name as JSON does (\u006eonce is nonce).
func unescapeJSONName(s string) string {
	var v string
	if json.Unmarshal([]byte(`"`+s+`"`), &v) != nil {
		return s
	}
	return v
}
