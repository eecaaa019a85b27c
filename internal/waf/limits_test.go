package waf

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// hugeRequests are the bodies and headers that took gigabytes before the
// caps (issue 23 item 16), scaled down for a unit test; bench/
// waf-replay-bounded.sh runs them full size and measures RSS.
func hugeRequests(parts, cookies, depth int) map[string]Request {
	var mp bytes.Buffer
	for i := range parts {
		fmt.Fprintf(&mp, "--XB\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv%d\r\n", i, i)
	}
	mp.WriteString("--XB--\r\n")
	multi := jsonReq("POST", "/wp-json/wp/v2/media", mp.String())
	multi.Header.Set("Content-Type", "multipart/form-data; boundary=XB")

	var ck []string
	for i := range cookies {
		ck = append(ck, fmt.Sprintf("c%d=1", i))
	}
	cookie := jsonReq("GET", "/wp-json/", "")
	cookie.Header.Set("Cookie", strings.Join(ck, "; "))

	nested := jsonReq("POST", "/xmlrpc.php", `<?xml version="1.0"?>`+strings.Repeat(`<a b="1">`, depth)+strings.Repeat("</a>", depth))
	nested.Header.Set("Content-Type", "text/xml")
	return map[string]Request{"multipart": multi, "cookies": cookie, "xml": nested}
}

// TestReplayCaps: a request over a cap is replayed cut to it, and the
// result says the request exceeded it.
func TestReplayCaps(t *testing.T) {
	want := map[string]string{
		"multipart": "exceeded the multipart limit: more than 1000 parts",
		"cookies":   "exceeded the cookie limit: 1500 cookies",
		"xml":       "exceeded the XML limits (nested deeper than 256",
	}
	for name, r := range hugeRequests(1500, 1500, 300) {
		res := replay(t, Options{Paranoia: 1, Threshold: 5}, r)
		if !strings.Contains(res.Approximate, want[name]) {
			t.Errorf("%s: the result does not say the request exceeded the cap: %q", name, res.Approximate)
		}
	}
	for name, r := range hugeRequests(999, 999, 200) { // within the caps: replayed whole, no note
		if res := replay(t, Options{Paranoia: 1, Threshold: 5}, r); strings.Contains(res.Approximate, "exceeded") {
			t.Errorf("%s within the caps: %q", name, res.Approximate)
		}
	}
}

func TestCutParts(t *testing.T) {
	r := hugeRequests(1002, 0, 0)["multipart"]
	body, n := cutParts(r.Body, "XB")
	if n != 1001 || bytes.Count(body, []byte("--XB\r\n")) != 1000 || !bytes.HasSuffix(body, []byte("\r\n--XB--\r\n")) {
		t.Errorf("cut: n=%d, %d parts kept, ends %q", n, bytes.Count(body, []byte("--XB\r\n")), body[len(body)-20:])
	}
	if body, n := cutParts([]byte("--XB\r\n\r\nv\r\n--XB--\r\n"), "XB"); n != 1 || string(body) != "--XB\r\n\r\nv\r\n--XB--\r\n" {
		t.Errorf("one part: n=%d %q", n, body)
	}
}

// BenchmarkReplayHuge: the replay of each over-cap request (allocations
// per op show the bound; bench/waf-replay-bounded.sh measures RSS).
func BenchmarkReplayHuge(b *testing.B) {
	e, err := Shared(Options{Paranoia: 1, Threshold: 5})
	if err != nil {
		b.Fatal(err)
	}
	for name, r := range hugeRequests(20000, 24000, 100000) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Replay(b.Context(), r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
