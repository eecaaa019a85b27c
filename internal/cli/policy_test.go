package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckBadPolicy: a policy with a mistake is a usage error (exit 2)
// whose message names the file, line and field; nothing is sent.
func TestCheckBadPolicy(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "p.yaml")
	doc := "site:\n  url: https://127.0.0.1:1/\nrules:\n  - name: r\n    route: /wp/v2/users\n    identities: [anonymous]\n    expect: forbid\n"
	if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errb := runArgv([]string{"check", p})
	if code != ExitUsage || !strings.Contains(errb, p+": line 7: rules[0].expect: want allow or deny, got \"forbid\"") {
		t.Errorf("exit %d, stderr %q", code, errb)
	}
}

func TestPolicyInitRefusesLiteralSecrets(t *testing.T) {
	code, _, errb := runArgv([]string{"policy", "init", "https://127.0.0.1:1/", "-H", "Authorization: Bearer x"})
	if code != ExitUsage || !strings.Contains(errb, "secrets are never stored") {
		t.Errorf("exit %d, stderr %q", code, errb)
	}
}

func TestDiffCommand(t *testing.T) {
	a, b := "../report/testdata/healthy.json", "../report/testdata/edge-block.json"
	code, out, errb := runArgv([]string{"diff", a, b})
	if code != ExitUsage || !strings.Contains(errb, "the user differs (editor vs integration)") || !strings.Contains(errb, "--force") {
		t.Errorf("diff of different identities: exit %d: %s", code, errb)
	}
	code, out, errb = runArgv([]string{"diff", a, b, "--force"})
	if code != ExitRefusal || !strings.Contains(errb, "warning: ") || !strings.Contains(out, "+ appeared     POST /wp/v2/posts (app-password)  block edge/block-page (Cloudflare)") {
		t.Errorf("exit %d: %s%s", code, out, errb)
	}
	code, out, _ = runArgv([]string{"diff", b, a, "-f", "json", "--force"})
	if code != ExitOK || !strings.Contains(out, `"change": "disappeared"`) || !strings.Contains(out, `"worse": false`) {
		t.Errorf("reverse diff: exit %d: %s", code, out)
	}
}

func TestRetestNothingFailed(t *testing.T) {
	code, _, errb := runArgv([]string{"retest", "../report/testdata/healthy.json"})
	if code != ExitOK || !strings.Contains(errb, "no failing request") {
		t.Errorf("exit %d, stderr %q", code, errb)
	}
}
