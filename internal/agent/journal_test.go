package agent

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// answer builds an action answer the way the plugin does.
func answer(key []byte, rid, json string) []byte {
	b64 := base64.RawURLEncoding.EncodeToString([]byte(json))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("wp403-answer/v1\n" + rid + "\n" + b64))
	return []byte("v1." + b64 + "." + hex.EncodeToString(mac.Sum(nil)))
}

const journalJSON = `{"v":1,"rid":"wp403-j-1","agent":"1.0.0","action":"journal","enabled":true,"journal":[
{"t":1700000000,"method":"GET","route":"/wp/v2/users/me","status":401,"code":"rest_not_logged_in","auth":"none","role":"","stopped":"",
 "by":{"hook":"callback","callable":"WP_REST_Users_Controller->get_current_item","component":{"type":"core","name":"WordPress","version":"6.8"}}},
{"t":1700000060,"method":"GET","route":"/wp/v2/users/me","status":401,"code":"rest_not_logged_in","auth":"none","role":"","stopped":"",
 "by":{"hook":"callback","callable":"WP_REST_Users_Controller->get_current_item","component":{"type":"core","name":"WordPress","version":"6.8"}}},
{"t":1700000100,"method":"GET","route":"/wp/v2/users","status":403,"code":"","auth":"sneaky\u001b[31m","role":"edi\u0007tor","stopped":"plugin load",
 "by":{"hook":"load","file":"wp-content/plugins/fw/fw.php","component":{"type":"plugin","slug":"fw","name":"Firewall","version":"5"}}}]}`

func TestParseJournal(t *testing.T) {
	j, err := ParseJournal(answer(testKey, "wp403-j-1", journalJSON), testKey, "wp403-j-1")
	if err != nil {
		t.Fatal(err)
	}
	if !j.Enabled || len(j.Entries) != 3 || j.Entries[2].Auth != "other-header" || j.Entries[2].Role != "editor" {
		t.Fatalf("journal not parsed or not sanitised: %+v", j)
	}
	g := j.Groups()
	if len(g) != 2 || g[0].Count != 2 || g[0].Who != "core WordPress 6.8" || !g[1].Stopped {
		t.Fatalf("groups %+v", g)
	}
	var b bytes.Buffer
	if err := j.WriteText(&b, 0); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"3 refusal(s) recorded, 2 group(s)", "2× GET /wp/v2/users/me → 401 rest_not_logged_in", "by plugin Firewall 5 (stopped while plugins loaded)"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("text lacks %q:\n%s", w, b.String())
		}
	}
	for name, c := range map[string]struct {
		body []byte
		rid  string
	}{
		"other key":    {answer([]byte("another-key-another-key-another-key"), "wp403-j-1", journalJSON), "wp403-j-1"},
		"other id":     {answer(testKey, "wp403-j-1", journalJSON), "wp403-j-2"},
		"other action": {answer(testKey, "wp403-j-1", strings.Replace(journalJSON, `"journal","enabled"`, `"purge","enabled"`, 1)), "wp403-j-1"},
		"html page":    {[]byte("<html>blocked</html>"), "wp403-j-1"},
	} {
		if _, err := ParseJournal(c.body, testKey, c.rid); !errors.Is(err, ErrBadTrace) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
