package logscan

import (
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// reSecretParam matches query parameters whose name says they hold a
// credential (api_key, jwt, access_token, X-Amz-Signature, …) or whose
// value looks like a token: a long run of letters, digits and token
// punctuation with both letters and digits.
var (
	reSecretParam = regexp.MustCompile(`(?i)([?&;](?:[a-z0-9_.\-\[\]]*(?:key|token|jwt|secret|signature|pass|pwd|authorization|nonce|session|credential)[a-z0-9_.\-\[\]]*)=)[^&;#\s"]*`)
	reTokenValue  = regexp.MustCompile(`([?&;][^=&#\s"]+=)([A-Za-z0-9_\-.~+/%]{24,}={0,2})`)
	reDigit       = regexp.MustCompile(`[0-9]`)
	reLetter      = regexp.MustCompile(`[A-Za-z]`)
)

// MaskURI masks credential-like query parameters in a logged URI (or a
// message quoting one): logs hold whatever any visitor sent.
func MaskURI(s string) string {
	if !strings.ContainsAny(s, "?&;") {
		return s
	}
	s = reSecretParam.ReplaceAllString(s, "${1}"+redact.Mask)
	return reTokenValue.ReplaceAllStringFunc(s, func(m string) string {
		sub := reTokenValue.FindStringSubmatch(m)
		if looksLikeToken(sub[1], sub[2]) {
			return sub[1] + redact.Mask
		}
		return m
	})
}

// MaskEntry returns an entry fit for a report: credential-like query
// parameters masked in its URI, message and rule data.
func MaskEntry(e record.LogEntry) record.LogEntry {
	e.URI = MaskURI(e.URI)
	e.Message = reSecretText.ReplaceAllString(MaskURI(e.Message), "${1}${2}"+redact.Mask)
	if len(e.Rules) > 0 {
		rules := make([]record.RuleHit, len(e.Rules))
		copy(rules, e.Rules)
		for i := range rules {
			rules[i].Data = MaskURI(rules[i].Data)
		}
		e.Rules = rules
	}
	return e
}

// looksLikeToken: letters and digits mixed, and not a route or a URL.
func looksLikeToken(key, v string) bool {
	if strings.HasSuffix(key, "rest_route=") || strings.HasPrefix(v, "/") || strings.HasPrefix(v, "http") ||
		strings.Contains(strings.ToUpper(v), "%2F") {
		return false
	}
	return reDigit.MatchString(v) && reLetter.MatchString(v)
}
