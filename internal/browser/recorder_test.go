package browser

import (
	"bytes"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"

	"github.com/wp403/wp403/internal/redact"
)

// TestRecorderRedacts feeds the recorder the events Chromium sends for a
// login, a nonce fetch and a REST save (wire headers arriving before the
// request, as they may) and checks that the HAR keeps the header names
// the diagnosis needs and none of the secret values, in any place.
func TestRecorderRedacts(t *testing.T) {
	const (
		password = "s3cret-Pass!word"
		cookie   = "editor%7C1764740000%7CabcdefTOKENxyz%7Chmac0123456789"
		nonce    = "a1b2c3d4e5"
	)
	sc := &redact.Scrubber{}
	sc.Add(password)
	r := NewRecorder("blog.example.com", sc)
	send := func(id, method, url string, hdr network.Headers, post string) {
		req := &network.Request{URL: url, Method: method, Headers: hdr}
		if post != "" {
			req.HasPostData = true
			req.PostDataEntries = []*network.PostDataEntry{{Bytes: []byte(post)}}
		}
		r.event(&network.EventRequestWillBeSentExtraInfo{RequestID: network.RequestID(id),
			Headers: network.Headers{"cookie": "wordpress_logged_in_x=" + cookie}})
		r.event(&network.EventRequestWillBeSent{RequestID: network.RequestID(id), Request: req})
	}
	answer := func(id string, status int64, hdr network.Headers, body string) {
		r.event(&network.EventResponseReceived{RequestID: network.RequestID(id), Response: &network.Response{Status: status, Headers: hdr}})
		r.event(&network.EventLoadingFinished{RequestID: network.RequestID(id)})
		r.byID[network.RequestID(id)].body, r.byID[network.RequestID(id)].bodyDone = body, true
	}
	send("1", "POST", "https://blog.example.com/wp-login.php", nil, "log=editor&pwd="+password+"&wp-submit=Log+In")
	answer("1", 302, network.Headers{"Set-Cookie": "wordpress_logged_in_x=" + cookie + "; path=/"}, "")
	send("2", "GET", "https://blog.example.com/wp-admin/admin-ajax.php?action=rest-nonce", nil, "")
	answer("2", 200, nil, nonce)
	send("3", "POST", "https://blog.example.com/wp-json/wp/v2/posts/12?_wpnonce="+nonce, network.Headers{"X-WP-Nonce": nonce}, `{"title":"x"}`)
	answer("3", 403, network.Headers{"X-WP-Nonce": nonce}, `{"code":"rest_forbidden","message":"nonce `+nonce+`"}`)
	send("4", "GET", "https://cdn.other.example/x.js", nil, "")

	var buf bytes.Buffer
	if err := writeHAR(&buf, r.HAR("test")); err != nil {
		t.Fatal(err)
	}
	har := buf.String()
	for _, secret := range []string{password, cookie, nonce, "abcdefTOKENxyz"} {
		if strings.Contains(har, secret) {
			t.Errorf("the HAR holds the secret %q:\n%s", secret, har)
		}
	}
	for _, want := range []string{`"Cookie"`, `"X-Wp-Nonce"`, "wordpress_logged_in_x", `"version": "1.2"`, "rest_forbidden"} {
		if !strings.Contains(har, want) {
			t.Errorf("the HAR lacks %s", want)
		}
	}
	if strings.Contains(har, "cdn.other.example") {
		t.Error("a request to another host was recorded")
	}
}
