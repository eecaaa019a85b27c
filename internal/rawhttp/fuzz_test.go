package rawhttp

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: no input may panic, and a parsed response is always within
// the limits and has a valid status.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("../signature/testdata/samples/lab/*")
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"))
	f.Add([]byte(`{"log":{"entries":[{"response":{"status":403,"headers":[],"content":{"text":"x"}}}]}}`))
	f.Add([]byte("> GET / HTTP/1.1\n> Host: a\n>\n< HTTP/1.1 403 Forbidden\n< A: b\n<\nbody\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := Parse(data)
		if err != nil {
			return
		}
		r := x.Response
		if r == nil || r.Status < 100 || r.Status > 999 {
			t.Fatalf("bad response %+v", r)
		}
		if len(r.Body) > MaxBody || int64(len(r.Body)) > r.BodyBytes {
			t.Fatalf("body %d bytes, BodyBytes %d", len(r.Body), r.BodyBytes)
		}
	})
}
