package quote

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Each validator returns nil for a value of the right syntax, or an error
// that explains why without quoting the value (the value is hostile).

var (
	errorCodeRE   = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)
	segmentRE     = regexp.MustCompile(`^[A-Za-z0-9._~-]{1,128}$`)
	headerNameRE  = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)
	slugRE        = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	productRE     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._()+/-]{0,63}$`)
	methodRE      = regexp.MustCompile(`^[A-Z]{1,16}$`)
	edgeRuleRE    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._:#@/()+,-]{0,127}$`)
	contentTypeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.+_-]{0,63}/[a-z0-9][a-z0-9.+_-]{0,63}$`)
	modsecColRE   = regexp.MustCompile(`^[A-Z][A-Z_]{0,39}$`)
	modsecKeyRE   = regexp.MustCompile(`^[A-Za-z0-9_.\[\]-]{1,128}$`)
	labelRE       = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
)

// ErrorCode checks a WP_Error code: 1–64 of A–Z, a–z, 0–9, "_", "." and
// "-" (core codes are rest_cannot_edit and the like).
func ErrorCode(s string) error {
	if !errorCodeRE.MatchString(s) {
		return errors.New("not a WordPress error code (1–64 letters, digits, _ . -)")
	}
	return nil
}

// Route checks a REST route: "/" or "/seg/seg/…" whose segments are
// 1–128 unreserved URL characters (letters, digits, . _ ~ -), none of
// them "." or "..", at most 512 bytes in all. Empty inner segments are
// allowed: the Site Editor's template ids are "THEME//slug"
// (/wp/v2/templates/twentytwentyfour//home). A query is not part of it.
func Route(s string) error {
	if s == "/" {
		return nil
	}
	collapsed := s
	for strings.Contains(collapsed, "//") {
		collapsed = strings.ReplaceAll(collapsed, "//", "/")
	}
	if s == "" || strings.HasPrefix(s, "//") || Path(collapsed) != nil {
		return errors.New("not a REST route (/segments of letters, digits, . _ ~ -; not . or ..; at most 512 bytes)")
	}
	return nil
}

// Path checks an absolute URL path made of unreserved segments, as Route
// does; the empty path and "/" are valid. It is the syntax of the REST
// prefix ("/wp-json", "/blog/wp-json").
func Path(s string) error {
	if s == "" || s == "/" {
		return nil
	}
	if len(s) > 512 || !strings.HasPrefix(s, "/") {
		return errors.New("not a URL path (it must start with / and be at most 512 bytes)")
	}
	for _, seg := range strings.Split(strings.TrimSuffix(s[1:], "/"), "/") {
		if !segmentRE.MatchString(seg) || seg == "." || seg == ".." {
			return errors.New("not a URL path (segments are letters, digits, . _ ~ - and not . or ..)")
		}
	}
	return nil
}

// Host checks a host name (DNS labels of letters, digits and "-") or an
// IP address; IPv6 may be bracketed. A port is not part of it.
func Host(s string) error {
	h := strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	if net.ParseIP(h) != nil && !strings.Contains(h, "%") {
		return nil
	}
	if len(s) == 0 || len(s) > 253 {
		return errors.New("not a host name (1–253 bytes)")
	}
	for _, l := range strings.Split(strings.TrimSuffix(s, "."), ".") {
		if !labelRE.MatchString(l) {
			return errors.New("not a host name (labels of letters, digits and -)")
		}
	}
	return nil
}

// HeaderName checks an HTTP header name. It is stricter than RFC 9110's
// token: letters, digits and "-" only (1–64), which every real header
// name fits and which is inert in every snippet language ("$", "'" and
// "`" are valid tokens but not safe ones).
func HeaderName(s string) error {
	if !headerNameRE.MatchString(s) {
		return errors.New("not a header name (1–64 letters, digits and -)")
	}
	return nil
}

// HeaderValue checks an HTTP header value: printable ASCII and spaces
// only, at most 1024 bytes, no leading or trailing space. It does not make
// the value safe for a language: quote it.
func HeaderValue(s string) error {
	if len(s) > 1024 || strings.TrimSpace(s) != s {
		return errors.New("not a header value (at most 1024 bytes, no surrounding space)")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return errors.New("not a header value (printable ASCII only)")
		}
	}
	return nil
}

// Slug checks a WordPress plugin or theme slug: lower-case letters,
// digits, "-" and "_", 1–64, starting with a letter or digit.
func Slug(s string) error {
	if !slugRE.MatchString(s) {
		return errors.New("not a plugin slug (1–64 of a–z, 0–9, - and _)")
	}
	return nil
}

// ProductName checks a vendor or product name shown in a remedy
// ("Wordfence", "iThemes Security", "nginx"): 1–64 letters, digits,
// spaces and . _ ( ) + / -.
func ProductName(s string) error {
	if !productRE.MatchString(s) {
		return errors.New("not a product name (1–64 letters, digits, spaces and . _ ( ) + / -)")
	}
	return nil
}

// EdgeRule checks an edge product's rule id, name or rule set as its log
// gives it (Cloudflare's hex id, AWS's "CrossSiteScripting_BODY" in
// "AWS#AWSManagedRulesCommonRuleSet", Azure's
// "Microsoft_DefaultRuleSet-2.1-SQLI-942100", Cloud Armor's
// "owasp-crs-v030301-id942421-sqli", a proxy's rule text): 1–128
// letters, digits, spaces and . _ : # @ / ( ) + , -, starting with a
// letter or digit.
func EdgeRule(s string) error {
	if !edgeRuleRE.MatchString(s) {
		return errors.New("not an edge rule id or name (1–128 letters, digits, spaces and . _ : # @ / ( ) + , -)")
	}
	return nil
}

// Method checks an HTTP method as wp403 writes it: 1–16 upper-case letters.
func Method(s string) error {
	if !methodRE.MatchString(s) {
		return errors.New("not an HTTP method (1–16 upper-case letters)")
	}
	return nil
}

// RuleID checks a ModSecurity/CRS rule id: 1–9,999,999 (CRS ids have six
// digits; local rules use 1–99,999).
func RuleID(id int) error {
	if id < 1 || id > 9_999_999 {
		return errors.New("not a ModSecurity rule id (1–9999999)")
	}
	return nil
}

// ModSecTarget checks a ModSecurity rule target as ctl:ruleRemoveTargetById
// takes it: COLLECTION or COLLECTION:key, the collection upper-case
// letters and "_", the key letters, digits and _ . [ ] - (1–128).
// Regular-expression keys (/…/) are refused.
func ModSecTarget(s string) error {
	col, key, hasKey := strings.Cut(s, ":")
	if !modsecColRE.MatchString(col) || (hasKey && !modsecKeyRE.MatchString(key)) {
		return errors.New("not a ModSecurity target (COLLECTION:key of letters, digits and _ . [ ] -)")
	}
	return nil
}

// ContentType checks a media type without parameters, lower case
// ("application/json").
func ContentType(s string) error {
	if !contentTypeRE.MatchString(s) {
		return errors.New("not a media type (type/subtype of a–z, 0–9, . + _ -)")
	}
	return nil
}

// SiteURL checks an absolute http(s) URL without user information, query
// or fragment, whose host passes Host, whose port is numeric and whose
// path passes Path. It is the syntax of WordPress's home and siteurl.
func SiteURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || len(s) > 1024 || (u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(s, "?#\\") {
		return errors.New("not a site URL (http or https, no user, query or fragment)")
	}
	if Host(u.Hostname()) != nil {
		return errors.New("not a site URL (bad host name)")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return errors.New("not a site URL (bad port)")
		}
	}
	if u.RawPath != "" || Path(u.Path) != nil {
		return errors.New("not a site URL (bad path)")
	}
	return nil
}

// Why formats a validation failure for a remedy's text: "the error code
// the server returned was left out: not a WordPress error code (…)".
func Why(what string, err error) string {
	return fmt.Sprintf("%s was left out of the snippets: %v", what, err)
}
