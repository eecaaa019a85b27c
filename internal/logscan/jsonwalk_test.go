package logscan

import (
	"encoding/json"
	"testing"
)

// FuzzObjIter: on every well-formed JSON object the iterator walks the
// same top-level members, in order, as encoding/json reads them, and
// never panics on anything else.
func FuzzObjIter(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1,"b":"x\"y","c":[1,{"d":null}],"e":true}`, ` { "k" : { } } `, `{"a":"\\"}`, `{"a":1`, `[1]`} {
		f.Add(s)
	}
	seedLines(f, 2, "cloudflare-http-requests.documented.ndjson")
	f.Fuzz(func(t *testing.T, s string) {
		var keys []string
		it := objIter{b: []byte(s)}
		for it.next() {
			keys = append(keys, string(it.key))
		}
		var m map[string]json.RawMessage
		if json.Unmarshal([]byte(s), &m) != nil {
			return // not one well-formed object: whatever the iterator says
		}
		if !it.ok() {
			t.Fatalf("iterator rejects the object %q", s)
		}
		for _, k := range keys {
			var want string
			if json.Unmarshal([]byte(`"`+k+`"`), &want) != nil {
				t.Fatalf("key %q not a JSON string body", k)
			}
			if _, ok := m[want]; !ok {
				t.Fatalf("key %q of %q unknown to encoding/json", k, s)
			}
		}
		if len(keys) < len(m) {
			t.Fatalf("walked %d keys, encoding/json %d: %q", len(keys), len(m), s)
		}
	})
}
