package quote

import (
	"fmt"
	"regexp"
	"strings"
)

// Shell quotes s as one POSIX shell word, like Python's shlex.quote: bare
// when it holds only letters, digits and _ @ % + = : , . / -, else in single quotes; each single
// quote in s closes the quotes, is written escaped and reopens them.
// Nothing inside is expanded ($, `, \ and newlines are literal).
func Shell(s string) string {
	if s != "" && shellSafe.MatchString(s) {
		return s // nothing in it means anything to a shell
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// PHP quotes s as a single-quoted PHP string literal ('…' with \\ and \'),
// in which nothing is interpolated.
func PHP(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(s) + "'"
}

// Nginx quotes a regular expression or a literal for an nginx directive
// argument that does not expand variables (location ~, if (… ~ …), map
// keys): bare when nginx reads it literally (see configSafe), else "…"
// with \\ and \". Control characters become \xNN, which PCRE
// reads as the byte; "$" is left alone (it is the regex anchor), so never
// pass an unvalidated literal to a directive that expands variables.
func Nginx(s string) string {
	if configSafe.MatchString(s) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// ApacheRegex quotes a regular expression for an Apache directive
// argument (<LocationMatch "…">, RewriteCond patterns, SetEnvIf): "…"
// with the characters Apache's parser or variable expansion would
// interpret (", a trailing \, ${ and %{, control characters) written as
// PCRE \xNN escapes, so the regex keeps its meaning.
func ApacheRegex(re string) string {
	return `"` + hexEscape(re, func(s string, i int) bool {
		c := s[i]
		return c == '"' || c < 0x20 || c == 0x7f ||
			((c == '$' || c == '%') && i+1 < len(s) && s[i+1] == '{') ||
			(c == '\\' && i == len(s)-1)
	}) + `"`
}

// ModSecRegex writes a regular expression for a ModSecurity operator
// argument ("@rx …"), to be put inside the directive's double quotes:
// ", ', %, control characters and a trailing \ become \xNN, so neither
// the configuration parser nor macro expansion (%{…}) sees them.
func ModSecRegex(re string) string {
	return hexEscape(re, func(s string, i int) bool {
		c := s[i]
		return c == '"' || c == '\'' || c == '%' || c < 0x20 || c == 0x7f || (c == '\\' && i == len(s)-1)
	})
}

// ModSecAction quotes a value for a ModSecurity action inside the rule's
// double-quoted action list: '…' with \\, \' and \"; "%{" becomes "%\{" so
// that it is not expanded as a macro; control characters become "?".
func ModSecAction(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '"':
			b.WriteString(`\"`)
		case c == '%' && i+1 < len(s) && s[i+1] == '{':
			b.WriteString(`%\`)
		case c < 0x20 || c == 0x7f:
			b.WriteByte('?')
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// HAProxy quotes a literal or a regular expression as one HAProxy
// configuration word: bare when HAProxy reads it literally (see
// configSafe), else "…" with \\, \", \$ (no environment expansion),
// \# and control characters as \xNN.
func HAProxy(s string) string {
	if configSafe.MatchString(s) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '"' || c == '$' || c == '#':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// VCLRegex quotes a regular expression for Varnish (req.url ~ "…"). VCL
// strings have no escapes, so " and control characters become the PCRE
// escape \xNN.
func VCLRegex(re string) string {
	return `"` + hexEscape(re, func(s string, i int) bool {
		return s[i] == '"' || s[i] < 0x20 || s[i] == 0x7f
	}) + `"`
}

// VCL quotes a literal for Varnish: "…" when it has no ", else the long
// string {"…"}; control characters (which no VCL string can hold), and
// " when the value also holds "}, become "?".
func VCL(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			b.WriteByte('?')
		} else {
			b.WriteByte(c)
		}
	}
	v := b.String()
	switch {
	case !strings.Contains(v, `"`):
		return `"` + v + `"`
	case !strings.Contains(v, `"}`):
		return `{"` + v + `"}`
	}
	return `"` + strings.ReplaceAll(v, `"`, "?") + `"`
}

// Cloudflare quotes a literal or a regular expression as a string of the
// Cloudflare Rules language: "…" with \\ and \", control characters as
// \xNN. A regex keeps its meaning (\. is written \\.).
func Cloudflare(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

var (
	shellSafe = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)
	// configSafe is what nginx and HAProxy read literally without quotes:
	// a regex or literal of these characters, \ only before ".", $ only last.
	configSafe = regexp.MustCompile(`^(?:[A-Za-z0-9_./:^?+*()\[\]|=~-]|\\\.)+\$?$`)
)

// hexEscape writes the bytes esc selects as \xNN (a regex escape).
func hexEscape(s string, esc func(s string, i int) bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if esc(s, i) {
			fmt.Fprintf(&b, `\x%02x`, s[i])
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// PHPComment makes text safe inside a PHP // comment: printable ASCII
// only, and no "?>" (which would end PHP mode).
func PHPComment(s string) string {
	var b strings.Builder
	for i := 0; i < len(s) && b.Len() < 200; i++ {
		if c := s[i]; c >= 0x20 && c < 0x7f {
			b.WriteByte(c)
		}
	}
	return strings.ReplaceAll(b.String(), "?>", "? >")
}
