package har

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// JSON strings, read as they stream past: escapes decoded, only the first
// bytes kept (see jsonscan.go).

// str reads a string after its opening quote, decoding escapes, keeping at
// most limit bytes of it.
func (s *scanner) str(limit int) (jvalue, error) {
	v := jvalue{kind: 's'}
	s.buf = s.buf[:0]
	for {
		chunk, _ := s.r.Peek(max(s.r.Buffered(), 1))
		if len(chunk) == 0 {
			if _, err := s.r.ReadByte(); err != nil {
				return v, unexpected(err)
			}
		}
		i := 0
		for i < len(chunk) && chunk[i] != '"' && chunk[i] != '\\' && chunk[i] >= 0x20 {
			i++
		}
		s.keep(chunk[:i], limit, &v)
		_, _ = s.r.Discard(i)
		s.off += int64(i)
		v.raw += int64(i)
		if i == len(chunk) {
			continue
		}
		c, _ := s.byte()
		switch {
		case c == '"':
			v.s = validUTF8(s.buf, v.cut)
			return v, nil
		case c < 0x20:
			return v, fmt.Errorf("%w: control character in a string", errSyntax)
		}
		if err := s.escape(limit, &v); err != nil {
			return v, err
		}
	}
}

func (s *scanner) keep(b []byte, limit int, v *jvalue) {
	if room := limit - len(s.buf); room > 0 {
		if len(b) > room {
			b, v.cut = b[:room], true
		}
		s.buf = append(s.buf, b...)
	} else if len(b) > 0 {
		v.cut = true
	}
}

// escape decodes one escape sequence after its backslash.
func (s *scanner) escape(limit int, v *jvalue) error {
	c, err := s.byte()
	if err != nil {
		return err
	}
	v.raw += 2
	var out []byte
	switch c {
	case '"', '\\', '/':
		out = []byte{c}
	case 'b':
		out = []byte{'\b'}
	case 'f':
		out = []byte{'\f'}
	case 'n':
		out = []byte{'\n'}
	case 'r':
		out = []byte{'\r'}
	case 't':
		out = []byte{'\t'}
	case 'u':
		r, err := s.hex4(v)
		if err != nil {
			return err
		}
		if utf16.IsSurrogate(r) {
			r = s.lowSurrogate(r, v)
		}
		out = utf8.AppendRune(nil, r)
	default:
		return fmt.Errorf("%w: bad escape \\%c", errSyntax, c)
	}
	s.keep(out, limit, v)
	return nil
}

func (s *scanner) hex4(v *jvalue) (rune, error) {
	var r rune
	for range 4 {
		c, err := s.byte()
		if err != nil {
			return 0, err
		}
		v.raw++
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, fmt.Errorf("%w: bad \\u escape", errSyntax)
		}
	}
	return r, nil
}

// lowSurrogate completes a UTF-16 pair when "\uDC00…" follows; a lone
// surrogate becomes U+FFFD, as encoding/json does.
func (s *scanner) lowSurrogate(hi rune, v *jvalue) rune {
	if next, _ := s.r.Peek(2); len(next) < 2 || next[0] != '\\' || next[1] != 'u' {
		return utf8.RuneError
	}
	next, _ := s.r.Peek(6)
	if len(next) < 6 {
		return utf8.RuneError
	}
	var lo rune
	for _, c := range next[2:] {
		d := strings.IndexByte("0123456789abcdef", lower(c))
		if d < 0 {
			return utf8.RuneError
		}
		lo = lo<<4 | rune(d)
	}
	r := utf16.DecodeRune(hi, lo)
	if r == utf8.RuneError {
		return r
	}
	_, _ = s.r.Discard(6)
	s.off += 6
	v.raw += 6
	return r
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// validUTF8 replaces each byte of an invalid UTF-8 sequence by U+FFFD, as
// encoding/json does; a sequence cut at the end of a kept prefix is dropped.
func validUTF8(b []byte, cut bool) string {
	if utf8.Valid(b) {
		return string(b)
	}
	if cut {
		for i := len(b) - 1; i >= 0 && i >= len(b)-3; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					b = b[:i]
				}
				break
			}
		}
	}
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			out = append(out, "\uFFFD"...)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return string(out)
}
