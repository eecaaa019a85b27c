package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func runWAF(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Dir: dir}, strings.NewReader(""), &out, &errb, append([]string{"waf", "replay"}, args...))
	return code, out.String(), errb.String()
}

const wafSave = `{"content":"<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph -->"}`

func TestWAFReplayBlocked(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "save.json"), []byte(wafSave), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runWAF(t, dir, "--request", "POST /wp/v2/posts/1", "--data", "@save.json",
		"-H", "Host: blog.wp403.test", "--engine", "modsecurity-v3", "--crs", "3.3.4", "--server", "nginx")
	if code != ExitRefusal {
		t.Fatalf("exit %d, want %d; stderr %s", code, ExitRefusal, errs)
	}
	for _, want := range []string{"BLOCKED (403)", "941180", "ARGS:json.content", "anomaly score: 5",
		"ModSecurity v3 + CRS 3", `"@rx ^/wp-json/wp/v2/posts/[0-9]+/?$"`, "ctl:ruleRemoveTargetById=941180;ARGS:json.content",
		"the server runs CRS 3.3.4"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ARGS:content\"") || strings.Contains(out, ";ARGS:content,") {
		t.Errorf("v3 remedy names the v2 target:\n%s", out)
	}
}

func TestWAFReplayJSONAndPass(t *testing.T) {
	code, out, _ := runWAF(t, "", "--request", "POST https://blog.wp403.test/wp-json/wp/v2/posts/1",
		"--data", `{"content":"<p>plain</p>"}`, "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d, want 0:\n%s", code, out)
	}
	var o wafReplayOut
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if o.Result == nil || o.Result.Blocked || o.Route != "/wp/v2/posts/1" || o.Result.Processor != "JSON" || len(o.Remedies) != 0 {
		t.Errorf("json output = %+v", o)
	}
}

func TestWAFReplayParanoiaAndRules(t *testing.T) {
	dir := t.TempDir()
	rule := "SecRule REQUEST_FILENAME \"@beginsWith /wp-json/wp/v2/posts\" \"id:40500,phase:1,pass,nolog,ctl:ruleRemoveById=941180\"\n"
	if err := os.WriteFile(filepath.Join(dir, "x-before.conf"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runWAF(t, dir, "--request", "POST /wp/v2/posts/1", "--data", wafSave, "--rules", ".")
	if code != ExitOK || !strings.Contains(out, "+ user file") {
		t.Errorf("with --rules: exit %d\n%s", code, out)
	}
	code, out, _ = runWAF(t, dir, "--request", "POST /wp/v2/posts/1", "--data", wafSave, "--paranoia", "2")
	if code != ExitRefusal || !strings.Contains(out, "paranoia 2") {
		t.Errorf("--paranoia 2: exit %d\n%s", code, out)
	}
}

func TestWAFReplayInputs(t *testing.T) {
	dir := t.TempDir()
	raw := "PUT /wp-json/wp/v2/posts/1 HTTP/1.1\r\nHost: blog.wp403.test\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
	har := `{"log":{"entries":[{"request":{"method":"POST","url":"https://blog.wp403.test/wp-json/wp/v2/posts/1","headers":[],` +
		`"postData":{"mimeType":"application/json","text":` + strconvQuote(wafSave) + `}},"response":{"status":403}}]}}`
	_ = os.WriteFile(filepath.Join(dir, "req.txt"), []byte(raw), 0o644)
	_ = os.WriteFile(filepath.Join(dir, "a.har"), []byte(har), 0o644)
	if code, out, _ := runWAF(t, dir, "--raw", "req.txt"); code != ExitRefusal || !strings.Contains(out, "911100") ||
		!strings.Contains(out, "tx.allowed_methods=GET HEAD POST OPTIONS PUT") {
		t.Errorf("--raw PUT: exit %d\n%s", code, out)
	}
	if code, out, _ := runWAF(t, dir, "--har", "a.har"); code != ExitRefusal || !strings.Contains(out, "941180") {
		t.Errorf("--har: exit %d\n%s", code, out)
	}
	usage := [][]string{
		{},
		{"--request", "POST"},
		{"--request", "GET /", "--har", "a.har"},
		{"--request", "GET /", "-H", "NoColon"},
		{"--request-id", "x"},
		{"--request", "GET /", "--paranoia", "7"},
		{"--request", "GET /", "--rules", "missing-dir"},
	}
	for _, args := range usage {
		if code, _, _ := runWAF(t, dir, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// A logged request from the real libmodsecurity audit-log fixture: the
// logged rules drive the remedy, and the replay sits beside them.
func TestWAFReplayFromLog(t *testing.T) {
	log := filepath.Join("..", "logscan", "testdata", "modsec3-audit.json")
	code, out, errs := runWAF(t, "", "--log", log, "--request-id", "gen-4", "--engine", "modsecurity-v3", "--crs", "3")
	if code != ExitRefusal {
		t.Fatalf("exit %d, want %d; stderr %s\n%s", code, ExitRefusal, errs, out)
	}
	for _, want := range []string{"POST /wp-json/wp/v2/posts/1?_locale=user", "logged rules:", "941180  ARGS:json.content",
		"ctl:ruleRemoveTargetById=941180;ARGS:json.content", "^/wp-json/wp/v2/posts/[0-9]+/?$"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code, _, _ := runWAF(t, "", "--log", log, "--request-id", "no-such-id"); code != ExitUsage {
		t.Errorf("unknown id: exit %d, want %d", code, ExitUsage)
	}
}

// Issue 16: a non-REST request gets an exclusion for its own path; the
// snippet wp403 prints, loaded back through --rules, lets it pass, while
// an attack in another parameter of the same path is still refused.
func TestWAFReplayLoginExclusionRoundTrip(t *testing.T) {
	dir := t.TempDir()
	body := "log=lab-editor&pwd=p4%24%24w0rd%22--x%3BTz%3C9&wp-submit=Log+In&testcookie=1"
	raw := "POST /blog/wp-login.php HTTP/1.1\r\nHost: blog.wp403.test\r\nUser-Agent: Mozilla/5.0\r\nAccept: text/html\r\n" +
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
	_ = os.WriteFile(filepath.Join(dir, "login.http"), []byte(raw), 0o644)
	code, out, errs := runWAF(t, dir, "--raw", "login.http", "--engine", "coraza", "--crs", "4", "--format", "json")
	if code != ExitRefusal {
		t.Fatalf("exit %d; %s\n%s", code, errs, out)
	}
	var o wafReplayOut
	if err := json.Unmarshal([]byte(out), &o); err != nil || len(o.Remedies) == 0 {
		t.Fatalf("json: %v\n%s", err, out)
	}
	snip := o.Remedies[0].Snippet
	if !strings.Contains(snip, `"@rx ^/blog/wp-login\.php$"`) || strings.Contains(snip, "wp-json") || strings.Contains(out, `p4$$w0rd`) {
		t.Fatalf("snippet not scoped to /blog/wp-login.php, or the password is printed:\n%s", out)
	}
	_ = os.WriteFile(filepath.Join(dir, "excl-before.conf"), []byte(snip), 0o644)
	if code, out, _ := runWAF(t, dir, "--raw", "login.http", "--rules", "excl-before.conf"); code != ExitOK {
		t.Errorf("with the exclusion: exit %d\n%s", code, out)
	}
	attack := strings.Replace(raw, "POST /blog/wp-login.php", "POST /blog/wp-login.php?redirect_to=%27%20UNION%20SELECT%20user_pass%20FROM%20wp_users--%20-", 1)
	_ = os.WriteFile(filepath.Join(dir, "attack.http"), []byte(attack), 0o644)
	if code, out, _ := runWAF(t, dir, "--raw", "attack.http", "--rules", "excl-before.conf"); code != ExitRefusal ||
		!strings.Contains(out, "warning: this looks like a real attack; the WAF is right") {
		t.Errorf("an attack in another parameter: exit %d\n%s", code, out)
	}
}

// Issue 12: an obvious attack says the WAF is right before any exclusion.
func TestWAFReplayAttackWarning(t *testing.T) {
	code, out, _ := runWAF(t, "", "--request", "POST /wp/v2/posts/1", "--data", `{"content":"<p>hi</p><script>alert(1)</script>"}`)
	if code != ExitRefusal {
		t.Fatalf("exit %d\n%s", code, out)
	}
	warn, rem := strings.Index(out, "warning: this looks like a real attack; the WAF is right"), strings.Index(out, "remedy 1:")
	if warn < 0 || rem < 0 || warn > rem || !strings.Contains(out, "remedy 1: This looks like a real attack; the WAF is right.") {
		t.Errorf("the warning does not come first:\n%s", out)
	}
	code, out, _ = runWAF(t, "", "--request", "POST /wp/v2/posts/1", "--data", wafSave)
	if code != ExitRefusal || strings.Contains(out, "real attack") {
		t.Errorf("editor content called an attack:\n%s", out)
	}
}

// Issue 16: a body the JSON parser cannot read (200002) gets the
// content-type fix first, and the exclusion a loud caveat.
func TestWAFReplayBodyParserRule(t *testing.T) {
	code, out, _ := runWAF(t, "", "--request", "POST /wp-json/contact-form-7/v1/contact-forms/5/feedback",
		"--data", "your-name=Dana&your-message=hi", "--content-type", "application/json")
	if code != ExitRefusal || !strings.Contains(out, "200002") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	fix, excl := strings.Index(out, "Send a body that matches its Content-Type"), strings.Index(out, "Exclude rule 200002")
	if fix < 0 || excl < 0 || fix > excl || !strings.Contains(out, "IS NOT INSPECTED AT ALL") {
		t.Errorf("the content-type fix does not come first, or the caveat is missing:\n%s", out)
	}
}

// --request keeps a leading "//" as a path, and says when it had to give
// the request a Host.
func TestWAFReplayRequestTarget(t *testing.T) {
	code, out, _ := runWAF(t, "", "--request", "POST //wp-json/wp/v2/posts/1", "--data", wafSave, "--format", "json")
	var o wafReplayOut
	if err := json.Unmarshal([]byte(out), &o); err != nil || code != ExitRefusal || o.URL != "//wp-json/wp/v2/posts/1" {
		t.Errorf("exit %d url %q: %v\n%s", code, o.URL, err, out)
	}
	if !strings.Contains(o.Result.Approximate, "replayed with Host: localhost") {
		t.Errorf("no note on the invented Host: %q", o.Result.Approximate)
	}
	if _, out, _ := runWAF(t, "", "--request", "GET /wp-json/", "-H", "Host: blog.wp403.test"); strings.Contains(out, "Host: localhost") {
		t.Errorf("a note although the Host was given:\n%s", out)
	}
}
