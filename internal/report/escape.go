package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// EscapeControl makes text from a server or a file safe to print on a
// terminal: every control character except newline and tab (C0 such as
// ESC, BEL and CR, DEL, C1 U+0080–U+009F), Unicode bidirectional
// overrides and line/paragraph separators, and bytes that are not UTF-8
// are written as visible escapes (\x1b, \u009b, \u202e). Text without
// them is returned unchanged.
func EscapeControl(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		writeEscaped(&b, r, n, s[i])
		i += n
	}
	return b.String()
}

// escapeLine is EscapeControl that also escapes newline and tab, for
// values printed inside one line (a table cell, a key: value pair).
func escapeLine(s string) string {
	s = EscapeControl(s)
	if !strings.ContainsAny(s, "\n\t") {
		return s
	}
	return strings.NewReplacer("\n", `\n`, "\t", `\t`).Replace(s)
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r, n) {
			return true
		}
		i += n
	}
	return false
}

// unsafeRune reports whether a decoded rune must not reach a terminal.
func unsafeRune(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n <= 1:
		return true // not UTF-8
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029, r == 0x200e, r == 0x200f, r == 0x061c:
		return true // bidi controls reorder what the reader sees
	}
	return false
}

func writeEscaped(b *strings.Builder, r rune, n int, first byte) {
	switch {
	case !unsafeRune(r, n):
		b.WriteRune(r)
	case r == utf8.RuneError:
		fmt.Fprintf(b, `\x%02x`, first)
	case r < 0x80:
		fmt.Fprintf(b, `\x%02x`, r)
	default:
		fmt.Fprintf(b, `\u%04x`, r)
	}
}

// safeWriter escapes control characters in everything written through it.
type safeWriter struct{ w io.Writer }

// NewSafeWriter returns a writer that passes text through EscapeControl:
// for commands whose text output prints server- or file-controlled data
// and no styling of their own. Each Write must hold whole UTF-8
// sequences (a sequence split across writes is escaped as bytes).
func NewSafeWriter(w io.Writer) io.Writer { return safeWriter{w: w} }

func (s safeWriter) Write(p []byte) (int, error) {
	str := string(p)
	if !needsEscape(str) {
		return s.w.Write(p)
	}
	if _, err := io.WriteString(s.w, EscapeControl(str)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// mdInert neutralises Markdown syntax that data could use to add links,
// images, autolinks or mentions to a ticket: [ and ] are backslash-escaped
// (no link or image can open), "://" is written ":\/\/" (no bare
// autolink), and @ and # are followed by a word joiner (U+2060), which
// stops GitHub and GitLab from linking users, teams and issues.
func mdInert(s string) string {
	if !strings.ContainsAny(s, "[]@#") && !strings.Contains(s, "://") {
		return s
	}
	r := strings.NewReplacer("[", `\[`, "]", `\]`, "@", "@\u2060", "#", "#\u2060", "://", `:\/\/`)
	return r.Replace(s)
}
