package redact

import (
	"strings"
	"testing"
)

// TestBodyFields: fields are masked by name as HAR sanitizers do, in
// forms, queries and JSON at any depth; other fields stay byte for byte.
func TestBodyFields(t *testing.T) {
	secret := []string{"_nonce", "rest_nonce", "getpermalinknonce", "_wpnonce", "pwd", "user_pass", "password", "access_token",
		"client_secret", "auth", "authcode", "Authorization", "api_key", "apikey", "key", "data[wp-refresh-post-nonces][post_id]"}
	plain := []string{"author", "authors", "title", "keyword", "monkeys", "action", "post_id", "id"}
	for _, n := range secret {
		if !IsSecretName(n) {
			t.Errorf("%q not taken for a secret", n)
		}
	}
	for _, n := range plain {
		if IsSecretName(n) {
			t.Errorf("%q taken for a secret", n)
		}
	}
	form := BodyFields("action=heartbeat&_nonce=N1xyz&rest_nonce=N2xyz&author=3")
	if strings.Contains(form, "N1xyz") || strings.Contains(form, "N2xyz") || !strings.Contains(form, "action=heartbeat") || !strings.Contains(form, "author=3") {
		t.Errorf("form: %s", form)
	}
	js := BodyFields(`{"wp-refresh-post-nonces":{"replace":{"getpermalinknonce":"N3xyz","_wpnonce":"N4xyz"}},"heartbeat_nonce":"N5xyz","api_key":12345,"author":7,"title":"x"}`)
	for _, s := range []string{"N3xyz", "N4xyz", "N5xyz", "12345"} {
		if strings.Contains(js, s) {
			t.Errorf("json keeps %s: %s", s, js)
		}
	}
	if !strings.Contains(js, `"author":7`) || !strings.Contains(js, `"title":"x"`) {
		t.Errorf("json lost a plain field: %s", js)
	}
	if u := URLFields("https://b.example/wp-admin/admin-ajax.php?action=x&getpermalinknonce=N6xyz#f"); strings.Contains(u, "N6xyz") || !strings.HasSuffix(u, "#f") {
		t.Errorf("url: %s", u)
	}
}
