package waf

import (
	"strings"
	"testing"
)

func TestParseRaw(t *testing.T) {
	raw := "POST /wp-json/wp/v2/posts/1?_locale=user HTTP/1.1\r\nHost: blog.wp403.test\r\nContent-Type: application/json\r\n" +
		"Content-Length: 13\r\n\r\n{\"title\":\"x\"}"
	r, err := ParseRaw(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "POST" || r.URL != "/wp-json/wp/v2/posts/1?_locale=user" || r.Header.Get("Host") != "blog.wp403.test" ||
		string(r.Body) != `{"title":"x"}` {
		t.Errorf("ParseRaw = %+v body %q", r, r.Body)
	}
	if _, err := ParseRaw(strings.NewReader("not a request")); err == nil {
		t.Error("garbage parsed")
	}
}

const har = `{"log":{"entries":[
 {"request":{"method":"GET","url":"https://blog.wp403.test/wp-json/","headers":[{"name":":authority","value":"x"}]},"response":{"status":200}},
 {"request":{"method":"POST","url":"https://blog.wp403.test/wp-json/wp/v2/posts/1","headers":[{"name":"X-WP-Nonce","value":"abc"},{"name":"Content-Length","value":"999"}],
   "postData":{"mimeType":"application/json","text":"{\"content\":\"<!-- wp:paragraph -->\"}"}},"response":{"status":403}},
 {"request":{"method":"POST","url":"https://blog.wp403.test/wp-login.php","headers":[],
   "postData":{"mimeType":"application/x-www-form-urlencoded","params":[{"name":"log","value":"a b"}]}},"response":{"status":200}}]}}`

func TestFromHAR(t *testing.T) {
	r, err := FromHAR(strings.NewReader(har), -1)
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "POST" || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Content-Length") != "" ||
		!strings.Contains(string(r.Body), "wp:paragraph") {
		t.Errorf("refused entry = %+v body %q", r, r.Body)
	}
	r, err = FromHAR(strings.NewReader(har), 0)
	if err != nil || r.Header.Get(":authority") != "" {
		t.Errorf("entry 0 = %+v, %v (pseudo-headers must be dropped)", r, err)
	}
	r, _ = FromHAR(strings.NewReader(har), 2)
	if string(r.Body) != "log=a+b" {
		t.Errorf("params body = %q", r.Body)
	}
	if _, err := FromHAR(strings.NewReader(har), 3); err == nil {
		t.Error("entry 3 of 3 did not fail")
	}
	// Replaying the refused HAR entry names the rule.
	r, _ = FromHAR(strings.NewReader(har), 1)
	if res := replay(t, Options{}, r); !res.Blocked || hit(res, 941180) == nil {
		t.Errorf("HAR entry replay: blocked=%t rules=%v", res.Blocked, ids(res))
	}
}
