package exporter

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/labkit/labtest"
)

// TestLabProbeLogsOut: against the real WordPress, a default-plan probe
// with a login identity logs in, tests cookie + nonce auth and logs out:
// the log-out link answers a redirect only when WordPress accepted its
// nonce for the session and ran wp_logout (a wrong one answers the 403
// confirmation page again).
func TestLabProbeLogsOut(t *testing.T) {
	lab := labtest.Acquire(t)
	if err := lab.Switch(context.Background(), "healthy"); err != nil {
		t.Fatal(err)
	}
	u, err := lab.Creds("editor")
	if err != nil {
		t.Fatal(err)
	}
	cfg := labConfig(t, lab)
	doc, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	login := "      browser: {user: " + u.Login + ", password: {file: editor.pw}}\n"
	text := strings.Replace(string(doc), "    profiles:\n", login+"    profiles:\n", 1)
	text = strings.Replace(text, "    profiles:\n      public: [anonymous]\n      integration: [editor]\n", "", 1)
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := startLabExporterWith(t, lab, cfg)
	code, body := get(t, "http://"+addr+"/probe?target=lab")
	for _, want := range []string{"wp403_probe_logout_success 1", `auth="cookie+nonce"`} {
		if code != 200 || !strings.Contains(body, want) {
			t.Fatalf("status %d, missing %s:\n%s", code, want, body)
		}
	}
}
