package redact

import (
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
