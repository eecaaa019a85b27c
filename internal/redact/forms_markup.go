package redact

import (
	"strconv"
	"strings"
)

// The spellings HTML encoders give the quotes: kept (ENT_NOQUOTES, a text
// node), named, decimal (Go, PHP ENT_HTML401, WordPress) and hex (Python).
var (
	doubleQuotes = []string{`"`, "&quot;", "&#34;", "&#034;", "&#x22;"}
	singleQuotes = []string{"'", "&#39;", "&#039;", "&#x27;", "&apos;"}
)

// htmlForms lists s HTML-escaped by each encoder: & < > always, the
// quotes in every spelling, and non-ASCII kept or as a decimal or hex
// character reference (ASCII-only output).
func htmlForms(s string) []string {
	if !strings.ContainsAny(s, `&<>"'`) && isASCII(s) {
		return nil
	}
	var out []string
	for _, dq := range doubleQuotes {
		for _, sq := range singleQuotes {
			for _, nonASCII := range []func(rune) string{nil, decimalRef, hexRef} {
				out = append(out, htmlEscape(s, dq, sq, nonASCII))
			}
		}
	}
	return out
}

func htmlEscape(s, dq, sq string, nonASCII func(rune) string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString(dq)
		case r == '\'':
			b.WriteString(sq)
		case r >= 0x80 && nonASCII != nil:
			b.WriteString(nonASCII(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func decimalRef(r rune) string { return "&#" + strconv.Itoa(int(r)) + ";" }
func hexRef(r rune) string     { return "&#x" + strconv.FormatInt(int64(r), 16) + ";" }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// jsonStyle is one JSON encoder's choices for a string's content.
type jsonStyle struct {
	slash    bool   // "/" as "\/" (PHP json_encode)
	ascii    bool   // non-ASCII as \uXXXX (PHP, Python ensure_ascii)
	hexTag   bool   // < > & as \u003c… (Go, PHP JSON_HEX_TAG|JSON_HEX_AMP)
	hexQuote bool   // ' and " as \u0027 \u0022 (PHP JSON_HEX_APOS|JSON_HEX_QUOT)
	hex      string // the case of \u escapes
}

// jsonStyles: PHP json_encode and its flags, Go encoding/json (HTML-safe,
// U+2028/2029 escaped), Python json.dumps with and without ensure_ascii,
// JavaScript JSON.stringify, each with lower- and upper-case hex.
var jsonStyles = func() []jsonStyle {
	var out []jsonStyle
	for _, hex := range []string{lowerHex, upperHex} {
		for i := 0; i < 16; i++ {
			out = append(out, jsonStyle{slash: i&1 != 0, ascii: i&2 != 0, hexTag: i&4 != 0, hexQuote: i&8 != 0, hex: hex})
		}
	}
	return out
}()

func (o jsonStyle) encode(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' && !o.hexQuote:
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '/' && o.slash:
			b.WriteString(`\/`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20, o.hexTag && strings.ContainsRune("<>&\u2028\u2029", r), o.hexQuote && (r == '\'' || r == '"'), o.ascii && r >= 0x80:
			for _, u := range utf16Units(string(r)) {
				b.WriteString(`\u` + hex4(u, o.hex))
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
