package signature

import "strings"

// litScanner finds, in one pass over a body, which of the database's
// literals occur in it: case-sensitive ones and ASCII case-insensitive
// ones (stored lower-case). A rolling key of the last 4 bytes, lower-cased,
// and a bitmap filter skip almost every position; candidates are then
// compared in full (exactly or ignoring case). Literals shorter than 4
// bytes fall back to a plain search.
type litScanner struct {
	lits  []string // all literals; fold ones are lower-case
	fold  []bool
	bits  [1 << 8]uint64 // filter on the lower-cased 4-byte key
	heads map[uint32][]int32
	short []int32
	byKey map[litKey]int32
}

// lowerTab maps a byte to its ASCII lower case.
var lowerTab = func() (t [256]byte) {
	for i := range t {
		t[i] = lowerASCII(byte(i))
	}
	return t
}()

type litKey struct {
	s    string
	fold bool
}

func newLitScanner() *litScanner {
	return &litScanner{heads: map[uint32][]int32{}, byKey: map[litKey]int32{}}
}

// add registers a literal and returns its id.
func (ls *litScanner) add(s string, fold bool) int32 {
	if fold {
		s = lowerASCIIString(s)
	}
	if id, ok := ls.byKey[litKey{s, fold}]; ok {
		return id
	}
	id := int32(len(ls.lits))
	ls.lits, ls.fold = append(ls.lits, s), append(ls.fold, fold)
	ls.byKey[litKey{s, fold}] = id
	if len(s) < 4 {
		ls.short = append(ls.short, id)
		return id
	}
	k := key4(lowerASCIIString(s[:4]))
	h := hash4(k)
	ls.bits[h>>6] |= 1 << (h & 63)
	ls.heads[k] = append(ls.heads[k], id)
	return id
}

func key4(s string) uint32 {
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// hash4 maps a key to one of the filter's 1<<14 bits.
func hash4(k uint32) uint32 { return (k * 2654435761) >> 18 }

func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// scan marks found[id] for every literal that occurs in body.
func (ls *litScanner) scan(body string) []bool {
	found := make([]bool, len(ls.lits))
	for _, id := range ls.short {
		if ls.fold[id] {
			found[id] = containsFoldASCII(body, ls.lits[id])
		} else {
			found[id] = strings.Contains(body, ls.lits[id])
		}
	}
	var k uint32
	for i := 0; i < len(body); i++ {
		k = k>>8 | uint32(lowerTab[body[i]])<<24
		h := hash4(k)
		if i < 3 || ls.bits[h>>6]&(1<<(h&63)) == 0 {
			continue
		}
		rest := body[i-3:]
		for _, id := range ls.heads[k] {
			if !found[id] {
				found[id] = ls.fold[id] && hasPrefixFoldASCII(rest, ls.lits[id]) || !ls.fold[id] && strings.HasPrefix(rest, ls.lits[id])
			}
		}
	}
	return found
}

func lowerASCIIString(s string) string {
	b := []byte(s)
	for i := range b {
		b[i] = lowerASCII(b[i])
	}
	return string(b)
}

// hasPrefixFoldASCII reports whether s starts with lower, ignoring ASCII case.
func hasPrefixFoldASCII(s, lower string) bool {
	if len(s) < len(lower) {
		return false
	}
	for i := 0; i < len(lower); i++ {
		if lowerASCII(s[i]) != lower[i] {
			return false
		}
	}
	return true
}

func containsFoldASCII(s, lower string) bool {
	for i := 0; i+len(lower) <= len(s); i++ {
		if hasPrefixFoldASCII(s[i:], lower) {
			return true
		}
	}
	return false
}
