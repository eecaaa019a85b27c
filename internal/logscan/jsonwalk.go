package logscan

import (
	"bytes"
	"encoding/json"
)

// objIter walks the top-level members of one JSON object without
// decoding the values: the fast path of edge logs whose fields all sit at
// the top (Cloudflare's datasets), several times cheaper than
// encoding/json on a 600-byte line, and free of allocations (no closure,
// so the caller's record stays on the stack). Strings, nesting and
// literals are checked as they are skipped, numbers loosely.
//
//	it := objIter{b: line}
//	for it.next() { use(it.key, it.val) }
//	if !it.ok() { not one well-formed object }
type objIter struct {
	b        []byte
	i        int
	started  bool
	done     bool
	bad      bool
	key, val []byte
}

func (it *objIter) fail() bool { it.bad, it.done = true, true; return false }

// next advances to the next member; false at the end or on malformed input.
func (it *objIter) next() bool {
	b := it.b
	if it.done {
		return false
	}
	if !it.started {
		it.started = true
		it.i = skipWS(b, 0)
		if it.i >= len(b) || b[it.i] != '{' {
			return it.fail()
		}
		it.i = skipWS(b, it.i+1)
		if it.i < len(b) && b[it.i] == '}' {
			it.done = true
			it.bad = skipWS(b, it.i+1) != len(b)
			return false
		}
	} else {
		i := skipWS(b, it.i)
		switch {
		case i >= len(b):
			return it.fail()
		case b[i] == ',':
			it.i = skipWS(b, i+1)
		case b[i] == '}':
			it.done = true
			it.bad = skipWS(b, i+1) != len(b)
			return false
		default:
			return it.fail()
		}
	}
	ks, ke, ok := stringSpan(b, it.i)
	if !ok {
		return it.fail()
	}
	i := skipWS(b, ke)
	if i >= len(b) || b[i] != ':' {
		return it.fail()
	}
	vs := skipWS(b, i+1)
	ve, ok := valueEnd(b, vs, 0)
	if !ok {
		return it.fail()
	}
	it.key, it.val, it.i = b[ks+1:ke-1], b[vs:ve], ve
	return true
}

// ok reports whether the whole object was well formed (after next
// returned false).
func (it *objIter) ok() bool { return it.done && !it.bad }

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// stringSpan returns the span of the JSON string starting at i, quotes
// included: the next quote not escaped by an odd run of backslashes
// (found with IndexByte, the hot loop of a large log). Escapes inside are
// checked when the value is decoded (rawString), not here.
func stringSpan(b []byte, i int) (int, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return 0, 0, false
	}
	for j := i + 1; j < len(b); {
		q := bytes.IndexByte(b[j:], '"')
		if q < 0 {
			return 0, 0, false
		}
		q += j
		n := 0
		for k := q - 1; k > i && b[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return i, q + 1, true
		}
		j = q + 1
	}
	return 0, 0, false
}

// valueEnd returns where the value starting at i ends.
func valueEnd(b []byte, i, depth int) (int, bool) {
	if i >= len(b) || depth > maxDepth {
		return 0, false
	}
	switch c := b[i]; {
	case c == '"':
		_, e, ok := stringSpan(b, i)
		return e, ok
	case c == '{' || c == '[':
		return containerEnd(b, i, depth)
	case c == 't' && bytes.HasPrefix(b[i:], []byte("true")):
		return i + 4, true
	case c == 'f' && bytes.HasPrefix(b[i:], []byte("false")):
		return i + 5, true
	case c == 'n' && bytes.HasPrefix(b[i:], []byte("null")):
		return i + 4, true
	case c == '-' || c >= '0' && c <= '9':
		j := i + 1
		for j < len(b) && (b[j] >= '0' && b[j] <= '9' || b[j] == '.' || b[j] == 'e' || b[j] == 'E' || b[j] == '+' || b[j] == '-') {
			j++
		}
		return j, true
	}
	return 0, false
}

// containerEnd skips an object or array, checking its structure.
func containerEnd(b []byte, i, depth int) (int, bool) {
	obj := b[i] == '{'
	i = skipWS(b, i+1)
	closer := byte(']')
	if obj {
		closer = '}'
	}
	if i < len(b) && b[i] == closer {
		return i + 1, true
	}
	for i < len(b) {
		if obj {
			_, ke, ok := stringSpan(b, i)
			if !ok {
				return 0, false
			}
			i = skipWS(b, ke)
			if i >= len(b) || b[i] != ':' {
				return 0, false
			}
			i = skipWS(b, i+1)
		}
		e, ok := valueEnd(b, i, depth+1)
		if !ok {
			return 0, false
		}
		i = skipWS(b, e)
		if i >= len(b) {
			return 0, false
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case closer:
			return i + 1, true
		default:
			return 0, false
		}
	}
	return 0, false
}

// rawString decodes a raw JSON string value ("" for anything else).
func rawString(raw []byte) string {
	if len(raw) < 2 || raw[0] != '"' {
		return ""
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// rawInt reads a JSON number (or a numeric string) of up to 9 digits as
// an int; anything else is 0.
func rawInt(raw []byte) int {
	raw = bytes.Trim(raw, `"`)
	if len(raw) == 0 || len(raw) > 9 {
		return 0
	}
	n := 0
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// rawStrings decodes an array of strings (nil for anything else), without
// reflection: Cloudflare's Security* lists on every refused request.
func rawStrings(raw []byte) []string {
	if len(raw) < 3 || raw[0] != '[' {
		return nil
	}
	var out []string
	i := skipWS(raw, 1)
	for i < len(raw) && raw[i] != ']' {
		s, e, ok := stringSpan(raw, i)
		if !ok {
			return nil
		}
		out = append(out, rawString(raw[s:e]))
		i = skipWS(raw, e)
		if i < len(raw) && raw[i] == ',' {
			i = skipWS(raw, i+1)
		}
	}
	return out
}

// str is rawString through the interner: no allocation for a value the
// log repeats.
func (in *interner) str(raw []byte) string {
	if len(raw) < 2 || raw[0] != '"' || bytes.IndexByte(raw, '\\') >= 0 {
		return rawString(raw)
	}
	return in.get(raw[1 : len(raw)-1])
}
