package signature

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// normText is the form of a body that phrase literals are matched in: HTML
// entities for quotes, spaces and ASCII punctuation decoded, curly quotes
// straightened, no-break spaces and the ellipsis made ASCII. Case is
// folded by the literal scanner. Markup is kept as it is: &lt; and &gt;
// stay escaped, so quoted markup never turns into tags. It returns s
// itself, without copying, when nothing changes.
func normText(s string) string {
	i := firstSpecial(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		switch {
		case c == '&':
			if r, n := entity(s[i:]); n > 0 {
				b.WriteString(r)
				i += n
				continue
			}
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(s[i:])
			if a := asciiFor(r); a != "" {
				b.WriteString(a)
				i += n
				continue
			}
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// firstSpecial is the index of the first '&' or non-ASCII byte, or -1.
func firstSpecial(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '&' || c >= 0x80 {
			return i
		}
	}
	return -1
}

// asciiFor maps typographic characters to the ASCII a phrase is written in.
func asciiFor(r rune) string {
	switch r {
	case '\u2018', '\u2019', '\u201A', '\u2032':
		return "'"
	case '\u201C', '\u201D', '\u201E', '\u2033':
		return `"`
	case '\u00A0', '\u2002', '\u2003', '\u2009', '\u202F':
		return " "
	case '\u2013', '\u2014':
		return "-"
	case '\u2026':
		return "..."
	}
	return ""
}

var namedEntities = map[string]string{
	"amp": "&", "quot": `"`, "apos": "'", "nbsp": " ", "lsquo": "'", "rsquo": "'", "sbquo": "'",
	"ldquo": `"`, "rdquo": `"`, "bdquo": `"`, "hellip": "...", "ndash": "-", "mdash": "-",
	"period": ".", "comma": ",", "colon": ":", "excl": "!", "quest": "?", "num": "#", "sol": "/",
}

// entity decodes the entity at the start of s ("&#39;", "&rsquo;"). It
// returns the replacement and the entity's length, or n=0 to keep the '&'.
func entity(s string) (string, int) {
	end := strings.IndexByte(clip(s, 12), ';')
	if end < 2 {
		return "", 0
	}
	name := s[1:end]
	if name[0] != '#' {
		if r, ok := namedEntities[name]; ok {
			return r, end + 1
		}
		return "", 0
	}
	base, digits := 10, name[1:]
	if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
		base, digits = 16, digits[1:]
	}
	n, err := strconv.ParseUint(digits, base, 32)
	if err != nil || digits == "" {
		return "", 0
	}
	r := rune(n)
	if a := asciiFor(r); a != "" {
		return a, end + 1
	}
	if r >= 0x20 && r < 0x7f && r != '<' && r != '>' {
		return string(r), end + 1
	}
	return "", 0
}
