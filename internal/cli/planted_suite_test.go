package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// plantedRun runs one command in dir, asserts that neither its standard
// output nor its standard error nor any file it was told to write holds a
// planted secret in any form, and returns the exit code.
func plantedRun(t *testing.T, dir string, files []string, args ...string) int {
	t.Helper()
	code, out, errs := runIn(t, dir, append([]string{"-q"}, args...)...)
	name := strings.Join(args[:min(2, len(args))], " ")
	if code == ExitError || code == ExitUsage {
		t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	assertNoPlanted(t, name+" stdout", out)
	assertNoPlanted(t, name+" stderr", errs)
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		assertNoPlanted(t, name+" "+f, string(b))
		if strings.HasSuffix(f, ".capture.json") {
			assertNoPlanted(t, name+" "+f+" (base64 bodies decoded)", decodedBodies(t, b))
		}
	}
	return code
}

// decodedBodies is the text of a capture's base64 bodies, where an
// unscrubbed echo would hide from a plain search.
func decodedBodies(t *testing.T, capture []byte) string {
	t.Helper()
	var c struct {
		Exchanges []struct {
			Body   string `json:"body"`
			Base64 bool   `json:"base64"`
		} `json:"exchanges"`
	}
	if err := json.Unmarshal(capture, &c); err != nil {
		t.Fatalf("capture: %v", err)
	}
	var b strings.Builder
	for _, ex := range c.Exchanges {
		if raw, err := base64.StdEncoding.DecodeString(ex.Body); ex.Base64 && err == nil {
			b.Write(raw)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

var allFormats = []string{"text", "json", "markdown", "html", "junit"}

// TestPlantedSecretsDiagnose: diagnose, --record, report and diff, every
// format, against a server that reflects everything, with every kind of
// credential: application password, login password (learnt cookies and
// nonce), --cookie, -H Authorization Basic and Bearer, secret query
// parameters in the target URL and a password in --data JSON.
func TestPlantedSecretsDiagnose(t *testing.T) {
	srv := reflectServer(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"app.pw": plApp + "\n", "login.pw": plLogin + "\n"})
	target := srv.URL + "/?_wpnonce=" + plNonceQ + "&token=" + plTokenQ
	basic := base64.StdEncoding.EncodeToString([]byte(plHdrUser + ":" + plHdrPass))
	runs := map[string][]string{
		"app": {"--user", plUser, "--app-password-file", "app.pw", "--cookie", plCookieHd,
			"--request", "POST /wp/v2/posts", "--data", `{"title":"x","password":"` + plDataPW + `"}`},
		"login":  {"--user", plUser, "--password-file", "login.pw"},
		"basic":  {"-H", "Authorization: Basic " + basic},
		"bearer": {"-HAuthorization: Bearer " + plBearer},
	}
	for name, creds := range runs {
		t.Run(name, func(t *testing.T) {
			for _, f := range allFormats {
				out := name + "." + f
				args := append([]string{"diagnose", target, "--timeout", "5s", "--no-waf-replay", "-f", f, "-o", out}, creds...)
				files := []string{out}
				if f == "json" {
					args = append(args, "--record", name+".capture.json")
					files = append(files, name+".capture.json")
				}
				plantedRun(t, dir, files, args...)
			}
			for _, f := range allFormats { // a saved report re-rendered
				plantedRun(t, dir, nil, "report", name+".json", "-f", f)
			}
		})
	}
	app, _ := os.ReadFile(filepath.Join(dir, "app.json"))
	if !strings.Contains(string(app), "Echo") || strings.Count(string(app), "[redacted]") < 50 {
		t.Fatalf("the reflecting server's echo did not reach the report: the suite would prove nothing")
	}
	capt, _ := os.ReadFile(filepath.Join(dir, "login.capture.json"))
	if !regexp.MustCompile(`"base64":\s*true`).Match(capt) {
		t.Errorf("the capture holds no base64 body: the non-UTF-8 echo is not exercised")
	}
	for _, f := range []string{"text", "json"} {
		plantedRun(t, dir, nil, "diff", "app.json", "login.json", "--force", "-f", f)
	}
	for _, f := range []string{"text", "json", "markdown"} {
		plantedRun(t, dir, nil, "retest", "app.json", "--user", plUser, "--app-password-file", "app.pw", "--cookie", plCookieHd,
			"--timeout", "5s", "--no-waf-replay", "-f", f)
	}
}

// TestPlantedSecretsPolicy: policy init (policy and its report) and check.
func TestPlantedSecretsPolicy(t *testing.T) {
	srv := reflectServer(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"app.pw": plApp + "\n", "login.pw": plLogin + "\n", "policy.yaml": `version: 1
site:
  url: ` + srv.URL + `/
identities:
  editor:
    user: editor
    app_password: {file: app.pw}
  editor-browser:
    user: editor
    password: {file: login.pw}
profiles:
  integration: [editor]
  block-editor: [editor-browser]
rules:
  - name: save with a password field
    route: /wp/v2/posts
    methods: [POST]
    identities: [editor]
    expect: allow
    content_type: application/json
    body: '{"title":"x","password":"` + plDataPW + `"}'
`})
	plantedRun(t, dir, []string{"init.yaml", "init.json"}, "policy", "init", srv.URL+"/", "--user", plUser,
		"--app-password-file", "app.pw", "--password-file", "login.pw", "--timeout", "5s", "-o", "init.yaml", "--report", "init.json")
	for _, f := range allFormats {
		plantedRun(t, dir, nil, "check", "policy.yaml", "--timeout", "5s", "--no-waf-replay", "-f", f)
	}
}

// plantedHAR is a browser export of a save refused with an echo of the
// request's credentials in the error message, headers and cookies.
func plantedHAR(site string) string {
	basic := base64.StdEncoding.EncodeToString([]byte(plUser + ":" + plApp))
	echo := fmt.Sprintf("Sorry %s %s %s %s %s", plApp, strings.ToLower(plApp), basic, plCookie, plNonceQ)
	msg, _ := json.Marshal(map[string]any{"code": "rest_forbidden", "message": echo, "data": map[string]any{"status": 403}})
	entry := map[string]any{
		"startedDateTime": "2026-11-26T17:40:36.000Z", "time": 12,
		"request": map[string]any{"method": "POST", "url": site + "/wp-json/wp/v2/posts/1?_wpnonce=" + plNonceQ + "&token=" + plTokenQ,
			"httpVersion": "HTTP/1.1", "headers": []map[string]string{{"name": "Authorization", "value": "Basic " + basic},
				{"name": "Cookie", "value": plCookieHd}, {"name": "X-WP-Nonce", "value": plRESTNnc}},
			"cookies":  []map[string]string{{"name": "wordpress_logged_in_x", "value": "admin%7C1700000000%7CplantedCOOKIE42"}},
			"postData": map[string]any{"mimeType": "application/json", "text": `{"title":"x","password":"` + plDataPW + `"}`}},
		"response": map[string]any{"status": 403, "statusText": "Forbidden", "httpVersion": "HTTP/1.1",
			"headers": []map[string]string{{"name": "Content-Type", "value": "application/json"}, {"name": "X-Echo", "value": echo},
				{"name": "Set-Cookie", "value": "echo=" + plSrvCook + "; path=/"}},
			"content": map[string]any{"size": len(msg), "mimeType": "application/json", "text": string(msg)}},
		"timings": map[string]any{"send": 1, "wait": 10, "receive": 1},
	}
	b, _ := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "creator": map[string]string{"name": "t"}, "entries": []any{entry}}})
	return string(b)
}

// TestPlantedSecretsFiles: har, classify, logs and waf replay read files
// and requests that carry the secrets.
func TestPlantedSecretsFiles(t *testing.T) {
	dir := t.TempDir()
	basic := base64.StdEncoding.EncodeToString([]byte(plUser + ":" + plApp))
	logLine := func(path string) string {
		return `203.0.113.9 - - [26/Nov/2026:17:40:36 +0000] "POST ` + path + ` HTTP/1.1" 403 555 "-" "curl" host=blog.example rid="r1" rt=0.000` + "\n"
	}
	writeFiles(t, dir, map[string]string{
		"edit.har": plantedHAR("https://blog.example"),
		"access.log": logLine("/wp-json/wp/v2/posts?_wpnonce="+plNonceQ+"&token="+plTokenQ+"&api_key="+plBearer) +
			logLine("/wp-login.php?pwd="+plDataPW),
		"login.body": "log=" + plUser + "&pwd=" + strings.ReplaceAll(plWAFPass, " ", "+"),
		"login.raw": "POST /wp-login.php?_wpnonce=" + plNonceQ + " HTTP/1.1\r\nHost: blog.example\r\nAuthorization: Basic " + basic +
			"\r\nCookie: " + plCookieHd + "\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nlog=" + plUser + "&pwd=" +
			strings.ReplaceAll(plWAFPass, " ", "+"),
		"curl-v.txt": "*   Trying 127.0.0.1:443...\n> POST /wp-json/wp/v2/posts?_wpnonce=" + plNonceQ + " HTTP/1.1\n> Host: blog.example\n" +
			"> Authorization: Basic " + basic + "\n> Cookie: " + plCookieHd + "\n>\n< HTTP/1.1 403 Forbidden\n< Content-Type: application/json\n" +
			"< Set-Cookie: echo=" + plSrvCook + "\n<\n" + `{"code":"rest_forbidden","message":"Sorry ` + plApp + " " + strings.ToUpper(plApp) + " " + basic + " " +
			plCookie + " " + plNonceQ + " " + plSrvCook + `","data":{"status":403}}` + "\n",
	})
	for _, f := range allFormats {
		plantedRun(t, dir, nil, "har", "edit.har", "-f", f)
	}
	for _, f := range []string{"text", "json"} {
		plantedRun(t, dir, nil, "classify", "edit.har", "-f", f)
		plantedRun(t, dir, nil, "classify", "curl-v.txt", "-f", f)
		plantedRun(t, dir, nil, "logs", "access.log", "-f", f)
		plantedRun(t, dir, nil, "waf", "replay", "--request", "POST /wp-login.php", "--data", "@login.body",
			"--content-type", "application/x-www-form-urlencoded", "-H", "Authorization: Basic "+basic, "-f", f)
		plantedRun(t, dir, nil, "waf", "replay", "--raw", "login.raw", "-f", f)
		plantedRun(t, dir, nil, "waf", "replay", "--har", "edit.har", "-f", f)
	}
	for _, f := range allFormats { // the demo replays a capture with placeholder secrets
		plantedRun(t, dir, nil, "demo", "-f", f)
	}
	// the replay must have matched on the password field, or its masking is not exercised
	if _, out, _ := runIn(t, dir, "waf", "replay", "--request", "POST /wp-login.php", "--data", "@login.body",
		"--content-type", "application/x-www-form-urlencoded", "-f", "json"); !strings.Contains(out, "ARGS:pwd") {
		t.Errorf("no CRS rule matched ARGS:pwd:\n%s", out)
	}
}

// TestPlantedSecretsErrorPaths: usage errors do not echo the secrets they
// were given (a malformed cookie-jar line, a -H without a colon).
func TestPlantedSecretsErrorPaths(t *testing.T) {
	dir := t.TempDir()
	badURL := "http://" + plHdrUser + ":" + plHdrPass + "@blog example/" // userinfo in a URL that does not parse
	writeFiles(t, dir, map[string]string{"jar.txt": "# Netscape HTTP Cookie File\nblog.example\tFALSE\t/\tFALSE\twordpress_logged_in_x=" + plCookie + "\n",
		"req.raw":       "POST /wp-login.php HTTP/1.1\r\nHost: blog.example\r\nAuthorization Basic " + plBearer + "\r\n\r\n",
		"bad.yaml":      "version: 1\nsite:\n  url: " + badURL + "\nrules: []\n",
		"badport.yaml":  "version: 1\nsite:\n  url: http://" + plHdrUser + ":" + plHdrPass + "@blog.example:99999/\nrules: []\n",
		"targets.yaml":  "sites:\n  - name: a\n    url: " + badURL + "\n",
		"targets2.yaml": "sites:\n  - name: a\n    policy: badport.yaml\n"})
	basic := base64.StdEncoding.EncodeToString([]byte(plHdrUser + ":" + plHdrPass))
	for _, args := range [][]string{
		{"diagnose", "https://127.0.0.1:9/", "--cookie", "@jar.txt"},
		{"diagnose", "https://127.0.0.1:9/", "-H", "Authorization Basic " + basic},
		{"diagnose", "https://127.0.0.1:9/", "-H", plBearer},
		{"waf", "replay", "--request", "GET /wp-json/", "-H", "Authorization Bearer " + plBearer},
		{"waf", "replay", "--raw", "req.raw"},
		{"waf", "replay", "--request", plBearer},
		{"check", "bad.yaml"}, {"check", "badport.yaml"},
		{"check", "--targets", "targets.yaml"}, {"check", "--targets", "targets2.yaml"},
	} {
		code, out, errs := runIn(t, dir, args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want 2 (%s)", args[:2], code, errs)
		}
		assertNoPlanted(t, strings.Join(args[:2], " ")+" error", out+errs)
	}
	// an absolute-form request-target with userinfo: CRS 920100 quotes
	// the request line in its matched data
	writeFiles(t, dir, map[string]string{"abs.raw": "GET http://" + plHdrUser + ":" + plHdrPass + "@blog.example/wp-json/?a=<script>x</script> HTTP/1.1\r\nHost: blog.example\r\n\r\n"})
	for _, f := range allFormats[:2] {
		plantedRun(t, dir, nil, "waf", "replay", "--raw", "abs.raw", "-f", f)
	}
}
