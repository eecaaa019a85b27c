package cli

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestAgentJournalCLI: `agent journal` signs a journal action, checks the
// answer's MAC for its own request id, and renders the entries grouped; an
// answer made with another key is refused.
func TestAgentJournalCLI(t *testing.T) {
	key := strings.Repeat("k", 43)
	signKey := key
	id := regexp.MustCompile(` id=([A-Za-z0-9._-]+) `)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := id.FindStringSubmatch(r.Header.Get("X-WP403-Agent"))
		if m == nil || r.URL.RawQuery != "wp403-agent=journal" || !strings.Contains(r.Header.Get("X-WP403-Agent"), " do=journal ") {
			http.Error(w, "not signed", http.StatusForbidden)
			return
		}
		payload := `{"v":1,"rid":"` + m[1] + `","agent":"1.0.0","action":"journal","enabled":true,"journal":[` +
			`{"t":1700000000,"method":"GET","route":"/wp/v2/comments","status":403,"code":"shield_rest_forbidden","auth":"none",` +
			`"by":{"hook":"rest_authentication_errors","callable":"Closure","component":{"type":"mu-plugin","slug":"shield","name":"Shield","version":"1.4"}}}]}`
		b64 := base64.RawURLEncoding.EncodeToString([]byte(payload))
		mac := hmac.New(sha256.New, []byte(signKey))
		mac.Write([]byte("wp403-answer/v1\n" + m[1] + "\n" + b64))
		w.Write([]byte("v1." + b64 + "." + hex.EncodeToString(mac.Sum(nil))))
	}))
	defer srv.Close()
	env := Env{Vars: map[string]string{"WP403_AGENT_KEY": key}}
	code, out, errs := runEnv(env, "agent", "journal", srv.URL+"/")
	if code != ExitRefusal || !strings.Contains(out, "1× GET /wp/v2/comments → 403 shield_rest_forbidden") || !strings.Contains(out, "by mu-plugin Shield 1.4, Closure") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	signKey = strings.Repeat("x", 43)
	if code, _, errs := runEnv(env, "agent", "journal", srv.URL+"/"); code == ExitOK || code == ExitRefusal || !strings.Contains(errs, "MAC") {
		t.Fatalf("an answer made with another key: exit %d: %s", code, errs)
	}
}

func runEnv(env Env, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Run(context.Background(), env, strings.NewReader(""), &out, &errb, args)
	return code, out.String(), errb.String()
}
