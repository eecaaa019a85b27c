package har

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

func TestLabel(t *testing.T) {
	cases := []struct{ method, override, route, want string }{
		{"POST", "PUT", "/wp/v2/posts/12", ActSave},
		{"POST", "", "/wp/v2/pages", ActSave},
		{"POST", "", "/wp/v2/posts/12/autosaves", ActAutosave},
		{"POST", "DELETE", "/wp/v2/posts/12", ActDelete},
		{"POST", "", "/wp/v2/media", ActMediaUpload},
		{"GET", "", "/wp/v2/posts/12", ActLoad},
		{"GET", "", "/wp/v2/search", ActSearch},
		{"GET", "", "/wp/v2/block-renderer/core/archives", ActRender},
		{"POST", "", "/batch/v1", ActBatch},
		{"POST", "PUT", "/wp/v2/users/me", ActPreferences},
		{"GET", "", "/", ActDiscovery},
		{"GET", "", "rest-nonce", ActNonceRefresh},
		{"POST", "", "/myplugin/v1/thing/do", ActWrite},
	}
	for _, c := range cases {
		r := record.HTTPRequest{Method: c.method, Route: c.route}
		if got := label(&r, c.override); got != c.want {
			t.Errorf("%s %s (%s) = %s, want %s", c.method, c.route, c.override, got, c.want)
		}
	}
}

func TestCappedText(t *testing.T) {
	long := strings.Repeat("é\\\"x", MaxBody)
	for _, s := range []string{long, strings.Repeat(`a\u00e9`, MaxBody), strings.Repeat(`\\`, MaxBody)} {
		raw, _ := json.Marshal(s)
		sc := newScanner(bytes.NewReader(raw))
		v, err := sc.value(0, &budget{bytes: maxEntryBytes, members: 1})
		if err != nil {
			t.Fatalf("%.20q…: %v", s, err)
		}
		c := (&decoder{}).text(&v)
		if !c.Truncated || len(c.S) > maxRaw || c.Len != len(raw)-2 || !strings.HasPrefix(s, c.S) {
			t.Errorf("truncated %v len %d raw len %d", c.Truncated, len(c.S), c.Len)
		}
	}
	v, err := newScanner(strings.NewReader(`"short \ud83d\ude00 \u00e9"`)).value(0, &budget{bytes: 100})
	if c := (&decoder{}).text(&v); err != nil || c.S != "short 😀 é" || c.Truncated {
		t.Errorf("short: %+v %v", c, err)
	}
}

func TestCustomPrefixAndParseEntry(t *testing.T) {
	doc := `{"log":{"creator":{"name":"WebInspector","version":"537.36"},"entries":[
{"startedDateTime":"2026-11-26T17:00:00.000Z","time":5,"request":{"method":"GET","url":"https://s.example/","headers":[]},"response":{"status":200,"httpVersion":"http/1.1","headers":[{"name":"Link","value":"<https://s.example/api/>; rel=\"https://api.w.org/\""}],"content":{"size":0,"mimeType":"text/html"}}},
{"startedDateTime":"2026-11-26T17:00:01.000Z","time":5,"request":{"method":"POST","url":"https://s.example/api/wp/v2/posts/3?_wpnonce=abcdef0123","headers":[{"name":"Authorization","value":"Basic dXNlcjpzZWNyZXQgcGFzcyB3b3Jk"}],"postData":{"mimeType":"application/json","text":"{\"title\":\"x\"}"}},"response":{"status":401,"headers":[],"content":{"size":60,"mimeType":"application/json","text":"{\"code\":\"rest_not_logged_in\"}"}}}
]}}`
	res, err := Read(strings.NewReader(doc), "custom", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Prefix != "/api/" || len(res.Observations) != 1 || res.Browser != "Chrome (or another Chromium browser)" {
		t.Fatalf("prefix %q, %d observations, browser %q", res.Prefix, len(res.Observations), res.Browser)
	}
	o := res.Observations[0]
	if o.Request.Route != "/wp/v2/posts/3" || o.Request.Auth != record.AuthAppPassword || o.Purpose != ActSave || res.FirstFailedWrite != o.ID {
		t.Errorf("observation %+v", o.Request)
	}
	out, _ := json.Marshal(res)
	for _, secret := range []string{"dXNlcjpzZWNyZXQgcGFzcyB3b3Jk", "abcdef0123", "secret pass word"} {
		if strings.Contains(string(out), secret) {
			t.Errorf("%q leaked", secret)
		}
	}
	var entries struct {
		Log struct{ Entries []json.RawMessage } `json:"log"`
	}
	json.Unmarshal([]byte(doc), &entries)
	one, err := ParseEntry(entries.Log.Entries[1])
	if err != nil || one.Status() != 401 || strings.Contains(one.Request.URL, "abcdef0123") || one.Request.Header["Authorization"][0] != "Basic [redacted]" {
		t.Fatalf("ParseEntry: %v %+v", err, one.Request)
	}
	nonce := []byte(`{"request":{"method":"GET","url":"https://s.example/wp-admin/admin-ajax.php?action=rest-nonce"},"response":{"status":200,"headers":[],"content":{"size":10,"text":"0a1b2c3d4e"}}}`)
	var seen string
	no, err := ParseEntryWith(nonce, classifierFunc(func(_ *record.HTTPRequest, r *record.HTTPResponse) *record.Class {
		seen = r.Body
		return &record.Class{Page: "nonce"}
	}))
	if err != nil || seen != "0a1b2c3d4e" || no.Response.Body != "[redacted]" || no.Class.Page != "nonce" {
		t.Errorf("classified %q, stored %q, class %+v, %v", seen, no.Response.Body, no.Class, err)
	}
	if _, err := ParseEntry([]byte(`{"request":{}}`)); err == nil {
		t.Error("an entry without a request parsed")
	}
}

// synthHAR streams a HAR of n entries (a third REST) without holding it.
type synthHAR struct {
	n, i int
	buf  []byte
	done bool
	read int
	tick func() // called every 4 MB read
}

func (s *synthHAR) Read(p []byte) (int, error) {
	for len(s.buf) < len(p) && !s.done {
		switch {
		case s.i == 0:
			s.buf = append(s.buf, `{"log":{"version":"1.2","creator":{"name":"Firefox","version":"128.0"},"entries":[`...)
		case s.i > s.n:
			s.buf, s.done = append(s.buf, `]}}`...), true
			continue
		default:
			if s.i > 1 {
				s.buf = append(s.buf, ',')
			}
			path, body := "/wp-content/uploads/x.css", strings.Repeat("x", 2000)
			if s.i%100 == 0 {
				path, body = fmt.Sprintf("/wp-json/wp/v2/posts/%d", s.i%50), "{}"
			}
			s.buf = fmt.Appendf(s.buf, `{"startedDateTime":"2026-11-26T17:00:00.000Z","time":3,"request":{"method":"GET","url":"https://s.example%s","headers":[{"name":"Cookie","value":"wordpress_logged_in_x=v%d"}]},"response":{"status":200,"headers":[],"content":{"size":2000,"mimeType":"text/plain","text":"%s"}}}`, path, s.i, body)
		}
		s.i++
	}
	if len(s.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.buf)
	s.buf = s.buf[:copy(s.buf, s.buf[n:])]
	if s.tick != nil && (s.read+n)/(4<<20) != s.read/(4<<20) {
		s.tick()
	}
	s.read += n
	return n, nil
}

// TestMemoryPerEntry: the reader holds one entry at a time; what grows
// with the file is only the REST observations it keeps (1 in 100 entries
// here; a real export's are a small part too). Ten times the entries
// must not need much more memory while reading.
func TestMemoryPerEntry(t *testing.T) {
	if testing.Short() {
		t.Skip("streams ~70 MB of generated HAR")
	}
	peak := func(n int) (uint64, int) {
		var top uint64
		src := &synthHAR{n: n, tick: func() {
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			top = max(top, ms.HeapAlloc)
		}}
		res, err := Read(src, "synth", Options{})
		if err != nil {
			t.Fatal(err)
		}
		return top, len(res.Observations)
	}
	small, k1 := peak(3_000)
	big, k2 := peak(30_000)
	t.Logf("peak live heap while reading: %d KiB (%d REST kept) vs %d KiB (%d REST kept)", small>>10, k1, big>>10, k2)
	if k2 != 10*k1 || big > small+8<<20 {
		t.Errorf("heap grew from %d KiB to %d KiB for 10x the entries", small>>10, big>>10)
	}
}

func TestRoutes(t *testing.T) {
	res, err := ReadFile("testdata/chromium-waf-save.har.gz", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range res.Routes() {
		lines = append(lines, r.String())
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{"POST /wp/v2/posts/{id} (save): 403×1", "GET /wp/v2/users/me (load): 200×2, 403×1",
		"GET /wp-admin/admin-ajax.php?action=rest-nonce (nonce-refresh): 200×1"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q in\n%s", want, all)
		}
	}
}

type classifierFunc func(*record.HTTPRequest, *record.HTTPResponse) *record.Class

func (f classifierFunc) Classify(q *record.HTTPRequest, r *record.HTTPResponse) *record.Class {
	return f(q, r)
}
