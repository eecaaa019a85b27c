package har

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// A bounded JSON reader. encoding/json's Decoder holds a whole value (and
// Token a whole string) in memory: one 1 GB string in a HAR took 4 GB.
// This reader streams: strings are decoded as they are read and only their
// first bytes are kept, containers keep a bounded number of members, and a
// skipped value is read without holding anything.

// Bounds of one kept value (a HAR entry).
const (
	maxDepth      = 64
	maxMembers    = 512     // object members or array items kept per container
	maxEntryBytes = 4 << 20 // string bytes kept per entry, all strings together
	maxNumber     = 512     // longest number literal
)

// jvalue is a JSON value as kept: strings and numbers as text, objects as
// ordered members.
type jvalue struct {
	kind  byte   // 'o' object, 'a' array, 's' string, 'n' number, 't' true, 'f' false, 'z' null
	s     string // string (decoded, at most the cap) or number literal
	raw   int64  // string: length of the raw JSON text between the quotes
	cut   bool   // string: not kept whole; container: members dropped
	keys  []string
	items []jvalue
}

// member returns an object's member by name, or nil.
func (v *jvalue) member(name string) *jvalue {
	if v == nil || v.kind != 'o' {
		return nil
	}
	for i, k := range v.keys {
		if k == name {
			return &v.items[i]
		}
	}
	return nil
}

// budget is what a value being kept may still use; nil keeps nothing.
type budget struct {
	bytes   int
	members int
	str     int // longest string kept; 0 means maxRaw
}

type scanner struct {
	r   *bufio.Reader
	off int64 // bytes consumed
	buf []byte
}

func newScanner(r io.Reader) *scanner {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < 64<<10 {
		br = bufio.NewReaderSize(r, 256<<10)
	}
	return &scanner{r: br}
}

var errSyntax = errors.New("invalid JSON")

func (s *scanner) byte() (byte, error) {
	c, err := s.r.ReadByte()
	if err != nil {
		return 0, unexpected(err)
	}
	s.off++
	return c, nil
}

// peek returns the next byte that is not white space, without consuming it.
func (s *scanner) peek() (byte, error) {
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			return 0, unexpected(err)
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			s.off++
			continue
		}
		_ = s.r.UnreadByte()
		return c, nil
	}
}

// expect consumes the next non-space byte, which must be c.
func (s *scanner) expect(c byte) error {
	got, err := s.peek()
	if err != nil {
		return err
	}
	if got != c {
		return fmt.Errorf("%w: expected %q, found %q", errSyntax, c, got)
	}
	_, err = s.byte()
	return err
}

// more reports whether a container has another member, consuming the
// comma between members; first says whether none was read yet.
func (s *scanner) more(end byte, first bool) (bool, error) {
	c, err := s.peek()
	if err != nil {
		return false, err
	}
	if c == end {
		_, err = s.byte()
		return false, err
	}
	if first {
		return true, nil
	}
	if c != ',' {
		return false, fmt.Errorf("%w: expected ',' or %q, found %q", errSyntax, end, c)
	}
	_, err = s.byte()
	return true, err
}

// value reads one value; with a nil budget nothing is kept.
func (s *scanner) value(depth int, b *budget) (jvalue, error) {
	if depth > maxDepth {
		return jvalue{}, fmt.Errorf("%w: nested deeper than %d", errSyntax, maxDepth)
	}
	c, err := s.peek()
	if err != nil {
		return jvalue{}, err
	}
	switch {
	case c == '{':
		return s.object(depth, b)
	case c == '[':
		return s.array(depth, b)
	case c == '"':
		_, _ = s.byte()
		limit := 0
		if b != nil {
			limit = min(b.bytes, maxRaw)
			if b.str > 0 {
				limit = min(b.bytes, b.str)
			}
		}
		v, err := s.str(limit)
		if b != nil {
			b.bytes -= len(v.s)
		}
		return v, err
	case c == '-' || c >= '0' && c <= '9':
		return s.number()
	}
	return s.literal()
}

func (s *scanner) object(depth int, b *budget) (jvalue, error) {
	v := jvalue{kind: 'o'}
	_, _ = s.byte()
	for first := true; ; first = false {
		ok, err := s.more('}', first)
		if err != nil || !ok {
			return v, err
		}
		if err := s.expect('"'); err != nil {
			return v, err
		}
		k, err := s.str(min(256, budgetBytes(b)))
		if err != nil {
			return v, err
		}
		if err := s.expect(':'); err != nil {
			return v, err
		}
		keep := b != nil && b.members > 0 && len(v.items) < maxMembers
		m, err := s.value(depth+1, keepOrNil(b, keep))
		if err != nil {
			return v, err
		}
		if keep {
			b.members--
			v.keys, v.items = append(v.keys, k.s), append(v.items, m)
		} else if b != nil {
			v.cut = true
		}
	}
}

func (s *scanner) array(depth int, b *budget) (jvalue, error) {
	v := jvalue{kind: 'a'}
	_, _ = s.byte()
	for first := true; ; first = false {
		ok, err := s.more(']', first)
		if err != nil || !ok {
			return v, err
		}
		keep := b != nil && b.members > 0 && len(v.items) < maxMembers
		m, err := s.value(depth+1, keepOrNil(b, keep))
		if err != nil {
			return v, err
		}
		if keep {
			b.members--
			v.items = append(v.items, m)
		} else if b != nil {
			v.cut = true
		}
	}
}

func keepOrNil(b *budget, keep bool) *budget {
	if keep {
		return b
	}
	return nil
}

func budgetBytes(b *budget) int {
	if b == nil {
		return 0
	}
	return max(b.bytes, 0)
}

func (s *scanner) number() (jvalue, error) {
	s.buf = s.buf[:0]
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			break
		}
		if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
			_ = s.r.UnreadByte()
			break
		}
		s.off++
		if len(s.buf) >= maxNumber {
			return jvalue{}, fmt.Errorf("%w: number longer than %d characters", errSyntax, maxNumber)
		}
		s.buf = append(s.buf, c)
	}
	return jvalue{kind: 'n', s: string(s.buf)}, nil
}

func (s *scanner) literal() (jvalue, error) {
	for _, lit := range []string{"true", "false", "null"} {
		if b, _ := s.r.Peek(len(lit)); string(b) == lit {
			_, _ = s.r.Discard(len(lit))
			s.off += int64(len(lit))
			return jvalue{kind: map[string]byte{"true": 't', "false": 'f', "null": 'z'}[lit]}, nil
		}
	}
	c, _ := s.peek()
	return jvalue{}, fmt.Errorf("%w: unexpected %q", errSyntax, c)
}
