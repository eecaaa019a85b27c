package rawhttp

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRaw(t *testing.T) {
	in := "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 403 Forbidden\r\nServer: nginx\r\nX-Long: a\r\n  b\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n<html>\r\nno\r\n"
	x, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	r := x.Response
	if x.Format != FormatRaw || r.Status != 403 || r.Proto != "HTTP/1.1" {
		t.Fatalf("got %s %d %s", x.Format, r.Status, r.Proto)
	}
	if r.Get("x-long") != "a b" || len(r.Header["Set-Cookie"]) != 2 {
		t.Errorf("headers %v", r.Header)
	}
	if r.Body != "<html>\r\nno\r\n" || r.BodyBytes != int64(len(r.Body)) {
		t.Errorf("body %q", r.Body)
	}
}

func TestParseRawChunked(t *testing.T) {
	in := "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
	x, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if x.Response.Body != "hello world" {
		t.Errorf("body %q", x.Response.Body)
	}
	// curl prints bodies already decoded: an undecodable body stays as is.
	x, err = Parse([]byte("HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\nAccess denied.\n"))
	if err != nil || x.Response.Body != "Access denied.\n" {
		t.Errorf("body %q, err %v", x.Response.Body, err)
	}
}

func TestParseVerbose(t *testing.T) {
	in := strings.Join([]string{
		"*   Trying 127.0.0.1:443...",
		"* Connected to blog.example (127.0.0.1) port 443",
		"> POST /wp-json/wp/v2/posts?x=1 HTTP/1.1",
		"> Host: blog.example",
		"> Authorization: Basic dXNlcjpwYXNz",
		">",
		"< HTTP/2 401",
		"< content-type: application/json; charset=UTF-8",
		"< x-robots-tag: noindex",
		"<",
		"{ [91 bytes data]",
		`{"code":"rest_cannot_create","message":"no","data":{"status":401}}`,
		"* Connection #0 to host blog.example left intact",
	}, "\n")
	x, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if x.Format != FormatVerbose || x.Response.Status != 401 || x.Response.Get("X-Robots-Tag") != "noindex" {
		t.Fatalf("got %+v", x.Response)
	}
	if !strings.HasPrefix(x.Response.Body, `{"code":"rest_cannot_create"`) || strings.Contains(x.Response.Body, "Connection") {
		t.Errorf("body %q", x.Response.Body)
	}
	q := x.Request
	if q == nil || q.Method != "POST" || q.URL != "//blog.example/wp-json/wp/v2/posts?x=1" || q.Style != "pretty" {
		t.Fatalf("request %+v", q)
	}
	if strings.Contains(strings.Join(q.Header["Authorization"], ""), "dXNlcjpwYXNz") {
		t.Error("Authorization was not redacted")
	}
}

func TestParseHAR(t *testing.T) {
	entry := `{"request":{"method":"GET","url":"https://blog.example/?rest_route=/wp/v2/users","headers":[{"name":"Cookie","value":"wordpress_logged_in_x=secret"}]},
	"response":{"status":403,"httpVersion":"h2","headers":[{"name":":status","value":"403"},{"name":"server","value":"cloudflare"}],"content":{"size":5,"text":"YmxvY2s=","encoding":"base64"}}}`
	for _, in := range []string{entry, `{"log":{"version":"1.2","entries":[` + entry + `]}}`} {
		x, err := Parse([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		r := x.Response
		if x.Format != FormatHAR || r.Status != 403 || r.Body != "block" || r.Get("Server") != "cloudflare" || r.Has(":status") {
			t.Errorf("response %+v", r)
		}
		if x.Request.Style != "rest_route" || strings.Contains(x.Request.Header["Cookie"][0], "secret") {
			t.Errorf("request %+v", x.Request)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := map[string]string{
		"":                        "empty",
		"   \n":                   "empty",
		"hello world\n":           "line 1: not an HTTP status line",
		"HTTP/1.1 abc OK\r\n\r\n": "line 1: bad status code",
		"HTTP/1.1 200 OK\r\nServer nginx\r\n\r\n": "line 2: malformed header line",
		`{"log":{"entries":[]}}`:                  "HAR has 0 entries",
		`{"log":{"entries":[{"request":{}}]}}`:    "no request method and url",
		"{\n\"log\": [,\n}":                       "line 2:",
		`{"request":{"method":"GET","url":"https://a.example/"},"response":{"status":0,"content":{}}}`: "has no response",
		"* Trying\n< HTTP/1.1 403 Forbidden\n< Bad\n":                                                  "line 3: malformed header line",
	}
	for in, want := range cases {
		_, err := Parse([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", in, err, want)
		}
	}
	if _, err := Parse(nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty input: %v", err)
	}
}

func TestLimits(t *testing.T) {
	many := "HTTP/1.1 200 OK\r\n" + strings.Repeat("X-A: b\r\n", MaxHeaderLines+1) + "\r\n"
	if _, err := Parse([]byte(many)); err == nil || !strings.Contains(err.Error(), "header block exceeds") {
		t.Errorf("too many headers: %v", err)
	}
	big := "HTTP/1.1 200 OK\r\n\r\n" + strings.Repeat("x", MaxBody+10)
	x, err := Parse([]byte(big))
	if err != nil || len(x.Response.Body) != MaxBody || !x.Response.BodyTruncated || x.Response.BodyBytes != MaxBody+10 {
		t.Errorf("big body: err %v", err)
	}
	if _, err := Read(strings.NewReader(strings.Repeat("x", MaxInput+1))); err == nil {
		t.Error("oversized input accepted")
	}
}

func TestBodyOnly(t *testing.T) {
	x, err := BodyOnly([]byte("<title>Attention Required! | Cloudflare</title>"), 403)
	if err != nil || x.Format != FormatBody || x.Response.Status != 403 || !strings.Contains(x.Response.Body, "Cloudflare") {
		t.Fatalf("%+v %v", x, err)
	}
	if _, err := BodyOnly([]byte("x"), 0); err == nil {
		t.Error("status 0 accepted")
	}
}
