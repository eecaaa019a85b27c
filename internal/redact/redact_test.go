package redact

import (
	"encoding/base64"
	"html"
	"net/url"
	"strings"
	"testing"
)

func TestHeaderValue(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"Authorization", "Basic ZWRpdG9yOmFiY2Q=", "Basic [redacted]"},
		{"authorization", "Bearer eyJhbGciOi", "Bearer [redacted]"},
		{"Cookie", "wordpress_logged_in_abc=editor%7C1; wp-settings-1=x", "wordpress_logged_in_abc=[redacted]; wp-settings-1=[redacted]"},
		{"Set-Cookie", "wordpress_logged_in_abc=editor%7C1; path=/; HttpOnly", "wordpress_logged_in_abc=[redacted]; path=/; HttpOnly"},
		{"X-WP-Nonce", "0123456789", "[redacted]"},
		{"Content-Type", "application/json", "application/json"},
	}
	for _, c := range cases {
		if got := HeaderValue(c.name, c.in); got != c.want {
			t.Errorf("HeaderValue(%q, %q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestURLAndQuery(t *testing.T) {
	got := URL("https://u:p@blog.example/wp-admin/admin-ajax.php?action=rest-nonce&_wpnonce=abcdef0123")
	if strings.Contains(got, "abcdef0123") || strings.Contains(got, "u:p") || !strings.Contains(got, "action=rest-nonce") {
		t.Errorf("URL not redacted as expected: %s", got)
	}
	if got := Query("log=editor&pwd=s3cret&rememberme=forever"); strings.Contains(got, "s3cret") || !strings.Contains(got, "log=editor") {
		t.Errorf("Query = %s", got)
	}
}

func TestScrubber(t *testing.T) {
	var s Scrubber
	s.Add("abcd EFGH ijkl MNOP qrst UVWX", "x")
	in := "pw abcd EFGH ijkl MNOP qrst UVWX and abcdEFGHijklMNOPqrstUVWX and x"
	out := s.String(in)
	if strings.Contains(out, "abcd") || !strings.HasSuffix(out, "and x") {
		t.Errorf("scrubbed = %q", out)
	}
	if NonceBody("0a1b2c3d4e\n") != Mask || NonceBody("hello") != "hello" {
		t.Error("NonceBody")
	}
}

// TestScrubberDerivedForms: the forms a server echoes a secret in are
// masked (issue 11).
func TestScrubberDerivedForms(t *testing.T) {
	const user, app = "editor", "abcd EFGH ijkl MNOP qrst UVWX"
	const pass = `P"a<s>s/w&o'rd é`
	var s Scrubber
	s.AddBasic(user, app)
	s.Add(pass)
	s.AddAuthorization("Bearer tok.en-123_XYZ")
	s.AddAuthorization("Basic " + base64.StdEncoding.EncodeToString([]byte("admin:hdr-secret-9")))
	s.AddCookies("wordpress_logged_in_x=admin%7C1700000000%7Cabc; other=val%20ue")
	echoes := []string{
		base64.StdEncoding.EncodeToString([]byte(user + ":" + app)),
		base64.StdEncoding.EncodeToString([]byte(user + ":" + strings.ReplaceAll(app, " ", ""))),
		strings.ToLower(app), strings.ToUpper(app), url.QueryEscape(app),
		html.EscapeString(pass), `P&quot;a&lt;s&gt;s/w&amp;o&#039;rd é`, `P\"a<s>s\/w&o'rd \u00e9`, strings.ToLower(pass),
		"tok.en-123_XYZ", "hdr-secret-9", "admin:hdr-secret-9",
		"admin|1700000000|abc", "admin%7C1700000000%7Cabc", "val ue",
	}
	for _, e := range echoes {
		if got := s.String("x " + e + " y"); strings.Contains(got, e) {
			t.Errorf("echo %q not masked: %q", e, got)
		}
	}
	if got := s.String("nothing secret here"); got != "nothing secret here" {
		t.Errorf("ordinary text changed: %q", got)
	}
}

func TestBodyAndBodySecrets(t *testing.T) {
	in := `{"title":"x","password":"hunter2-long","meta":{"api_token":"tok-9999"},"post_password":"p\"w"}`
	got := Body(in)
	for _, s := range []string{"hunter2-long", "tok-9999", `p\"w`} {
		if strings.Contains(got, s) {
			t.Errorf("Body kept %q: %s", s, got)
		}
	}
	if !strings.Contains(got, `"title":"x"`) {
		t.Errorf("Body changed other fields: %s", got)
	}
	sec := strings.Join(BodySecrets(in), ",")
	for _, s := range []string{"hunter2-long", "tok-9999", `p"w`} {
		if !strings.Contains(sec, s) {
			t.Errorf("BodySecrets lacks %q: %s", s, sec)
		}
	}
	if s := BodySecrets("log=a&pwd=form-secret&x=1"); len(s) != 1 || s[0] != "form-secret" {
		t.Errorf("BodySecrets(form) = %v", s)
	}
	if h := Hint("Authorization Basic ZWRpdG9yOnNlY3JldA=="); strings.Contains(h, "ZWRp") || !strings.Contains(h, "Authorization") {
		t.Errorf("Hint = %s", h)
	}
	if h := Hint("ZWRpdG9yOnNlY3JldA"); strings.Contains(h, "ZWRp") {
		t.Errorf("Hint shows a bare token: %s", h)
	}
}

// TestRuleHitText: a rule hit on a secret field shows none of the
// transformed value (CRS prints it after t:lowercase, t:removeWhitespace…).
func TestRuleHitText(t *testing.T) {
	msg, data := RuleHitText("ARGS:pwd", "SQL Injection found within ARGS:pwd: xq'unionselectpw",
		"Matched Data: union select found within ARGS:pwd: xq'unionselectpw")
	if strings.Contains(msg+data, "unionselectpw") || !strings.Contains(msg, "ARGS:pwd") {
		t.Errorf("secret target not masked: %q %q", msg, data)
	}
	for _, target := range []string{"ARGS:json.password", "REQUEST_COOKIES:wordpress_logged_in_x", "REQUEST_HEADERS:Authorization", "ARGS_POST:user_pass", "ARGS:_wpnonce"} {
		if !IsSecretTarget(target) {
			t.Errorf("IsSecretTarget(%q) = false", target)
		}
	}
	msg, data = RuleHitText("ARGS:json.content", "XSS found within ARGS:json.content: <script>", "Matched Data: <script>")
	if !strings.Contains(msg+data, "<script>") {
		t.Errorf("a non-secret target was masked: %q %q", msg, data)
	}
}
