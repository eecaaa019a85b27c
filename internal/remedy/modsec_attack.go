package remedy

import (
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// attackWarning opens a WAF remedy whose matched data is an attack.
const attackWarning = "This looks like a real attack; the WAF is right"

// attackSigns are payloads no editor, form or integration sends: a script
// or event handler that calls alert/eval/document.cookie, a javascript:
// URL doing the same, classic SQL injection (UNION SELECT, a quoted
// tautology, time delays, schema probing), path traversal to system files,
// and command or JNDI injection. Block markup, embeds, iframes, styles and
// prose about SQL do not match.
var attackSigns = []struct {
	why string
	re  *regexp.Regexp
}{
	{"a script that runs alert/eval or reads cookies", regexp.MustCompile(`(?is)<script[^>]*>[^<]*(?:alert|prompt|confirm|eval|document\.cookie|fromcharcode|atob)\s*[(.]`)},
	{"an HTML event handler that runs script", regexp.MustCompile(`(?is)<[a-z][^>]*\son[a-z]+\s*=\s*["']?[^"'>]*(?:alert|prompt|confirm|eval|document\.cookie)`)},
	{"a javascript: URL that runs script", regexp.MustCompile(`(?i)javascript:[^"'\s]*(?:alert|prompt|confirm|eval)\s*\(`)},
	{"SQL injection (UNION SELECT)", regexp.MustCompile(`(?is)\bunion(?:\s|/\*.*?\*/|\+)+(?:all(?:\s|/\*.*?\*/|\+)+)?select(?:\s|/\*.*?\*/|\+)+` +
		`(?:\*|null\b|\d|0x|@@|concat|char\s*\(|group_concat|[\w.]+\s*(?:,|\bfrom\b))`)},
	{"SQL injection (a quoted tautology)", regexp.MustCompile(`(?i)['"]\s*(?:or|and|\|\|)\s+['"]?(\w+)['"]?\s*=\s*['"]?\w+`)},
	{"SQL injection (a time delay)", regexp.MustCompile(`(?i)\b(?:sleep|benchmark|pg_sleep)\s*\(\s*\d|waitfor\s+delay\s+'`)},
	{"SQL injection (schema probing)", regexp.MustCompile(`(?i)\binformation_schema\b|\bload_file\s*\(|\binto\s+(?:out|dump)file\b`)},
	{"path traversal to a system file", regexp.MustCompile(`(?i)(?:\.\./|\.\.\\|%2e%2e%2f){2,}|/etc/(?:passwd|shadow)\b|c:\\windows\\win\.ini`)},
	{"command or JNDI injection", regexp.MustCompile(`(?i)\$\{jndi:|[;|&]\s*(?:cat|wget|curl|nc|bash|sh)\s+[/-]|<\?php\s+(?:system|eval|exec|passthru|shell_exec)\s*\(`)},
}

// AttackIn says why the matched data of the hits looks like an attack
// rather than editor content ("this looks like a real attack; the WAF is
// right"); "" when it does not.
func AttackIn(hs []record.RuleHit) string { return attackIn(hs) }

func attackIn(hs []record.RuleHit) string {
	for _, h := range hs {
		if !scoring(h.ID) || h.Data == "" {
			continue
		}
		for _, s := range attackSigns {
			if s.re.MatchString(h.Data) {
				return s.why + " in " + orDefault(strings.TrimSpace(h.Target), "the request")
			}
		}
	}
	return ""
}
