package agent

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var testKey = []byte("0123456789abcdef0123456789abcdef-test")

// forge builds a trace header the way the plugin does, for a JSON payload.
func forge(key []byte, rid, json string) string {
	b64 := base64.RawURLEncoding.EncodeToString([]byte(json))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("wp403-trace/v1\n" + rid + "\n" + b64))
	return "v1." + b64 + "." + hex.EncodeToString(mac.Sum(nil))
}

func TestSignerHeader(t *testing.T) {
	s := Signer{Key: testKey, Now: func() time.Time { return time.Unix(1700000000, 0) }}
	h := http.Header{}
	h.Set("Content-Type", "Application/JSON ")
	h.Set("Authorization", "Basic dXNlcjpwYXNz")
	h.Set("Cookie", "other=1; wordpress_logged_in_abc=lab-admin%7C17%7Ctok; wordpress_sec_abc=a+b")
	r := Request{Method: "post", Host: "Blog.Example:8443", Path: "/wp-json/wp/v2/posts/%31", RawQuery: "b=2&&a=x+y&c", Header: h, Body: []byte(`{"t":1}`)}
	got := s.Header(r, "wp403-abcd-1")
	digest := func(name, v string) string { return s.mac("wp403-agent/v2 credential\n" + name + "\n" + v)[:32] }
	a, c := digest("authorization", "Basic dXNlcjpwYXNz"), digest("cookie", "wordpress_logged_in_abc=lab-admin|17|tok\nwordpress_sec_abc=a b\n")
	body := sha256.Sum256([]byte(`{"t":1}`))
	msg := "wp403-agent/v2\nPOST\nblog.example\n/wp-json/wp/v2/posts/1\na=x%20y&b=2&c=\napplication/json\n\n" + hex.EncodeToString(body[:]) +
		"\na=" + a + "\nc=" + c + "\nn=-\n\n1700000000\nwp403-abcd-1"
	want := "v2 t=1700000000 id=wp403-abcd-1 a=" + a + " c=" + c + " sig=" + s.mac(msg)
	if got != want {
		t.Fatalf("Header =\n%q, want\n%q", got, want)
	}
	if s.Header(Request{Method: "GET"}, "short") != "" || s.Header(Request{Method: "GET"}, "bad id with spaces") != "" {
		t.Fatal("an id the plugin refuses must not be signed")
	}
	for name, change := range map[string]func(*Request){
		"query": func(r *Request) { r.RawQuery += "&d=1" }, "body": func(r *Request) { r.Body = []byte(`{"t":2}`) },
		"host": func(r *Request) { r.Host = "evil.example" }, "path": func(r *Request) { r.Path = "/wp-json/wp/v2/users" },
		"nonce":    func(r *Request) { r.Header = r.Header.Clone(); r.Header.Set("X-WP-Nonce", "abc") },
		"override": func(r *Request) { r.Header = r.Header.Clone(); r.Header.Set("X-HTTP-Method-Override", "DELETE") },
	} {
		r2 := r
		change(&r2)
		if s.Header(r2, "wp403-abcd-1") == got {
			t.Errorf("the signature does not cover the %s", name)
		}
	}
}

// TestCanonicalFormsMatchPHP runs the plugin's own canonicalisation in PHP
// (when installed) on awkward queries and cookies: wp403 and the plugin
// must agree byte for byte, or signed requests would be refused.
func TestCanonicalFormsMatchPHP(t *testing.T) {
	php, err := exec.LookPath("php")
	if err != nil {
		t.Skip("php not installed")
	}
	p := filepath.Join(t.TempDir(), FileName)
	must(t, os.WriteFile(p, Plugin, 0o644))
	queries := []string{"", "a=1", "b=2&a=1", "rest_route=%2Fwp%2Fv2%2Fposts&_fields=id,title", "x=%zz&y=%41%2b+&&z", "k[]=1&k[]=2", "%E2%82%AC=%C3%A9", "a=b=c", "=v&k="}
	cookie := "wordpress_logged_in_1=lab%7C1%7Cx+y; other=2; wordpress_a=%41; wordpress_a=second"
	script := `define('ABSPATH', '/'); require $argv[1]; $m = new ReflectionMethod('WP403_Agent', 'canonical_query'); $m->setAccessible(true);
foreach (array_slice($argv, 3) as $q) { echo $m->invoke(null, $q), "\n"; }
foreach (explode(';', $argv[2]) as $c) { $kv = explode('=', trim($c), 2); if (!isset($_COOKIE[$kv[0]])) { $_COOKIE[$kv[0]] = urldecode($kv[1]); } }
$c = new ReflectionMethod('WP403_Agent', 'credential'); $c->setAccessible(true); echo json_encode($c->invoke(null, 'cookie'));`
	out, err := exec.Command(php, append([]string{"-r", script, p, cookie}, queries...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("php: %v\n%s", err, out)
	}
	lines := strings.Split(string(out), "\n")
	for i, q := range queries {
		if lines[i] != CanonicalQuery(q) {
			t.Errorf("query %q: PHP %q, Go %q", q, lines[i], CanonicalQuery(q))
		}
	}
	var phpCookies string
	if err := json.Unmarshal([]byte(lines[len(queries)]), &phpCookies); err != nil || phpCookies != wpCookies([]string{cookie}) {
		t.Errorf("cookies: PHP %q, Go %q (%v)", phpCookies, wpCookies([]string{cookie}), err)
	}
}

func TestCanonicalRoute(t *testing.T) {
	for in, want := range map[string]string{"": "/", "/": "/", "wp/v2/posts": "/wp/v2/posts", "/wp/v2/posts//": "/wp/v2/posts", "/wp/v2/a%20b": "/wp/v2/a b"} {
		if got := CanonicalRoute(in); got != want {
			t.Errorf("CanonicalRoute(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseTrace(t *testing.T) {
	rid := "wp403-abcd-7"
	json := `{"v":1,"rid":"wp403-abcd-7","agent":"1.0.0","status":401,"refusal":{"hook":"rest_authentication_errors","priority":20,` +
		`"callable":"Acme\\Guard->restrict_rest\u001b[31m","file":"wp-content/plugins/acme-guard/guard.php","line":12,` +
		`"component":{"type":"plugin","slug":"acme-guard","name":"Acme Guard","version":"2.3"},"code":"rest_not_logged_in","status":401},` +
		`"auth":{"php_saw":["HTTP_AUTHORIZATION","PHP_AUTH_USER","EVIL"],"cookie":"sneaky","app_password":{"result":"failed","code":"incorrect_password"},"nonce":7,"user_id":-3}}`
	tr, err := ParseTrace(forge(testKey, rid, json), testKey, rid)
	if err != nil {
		t.Fatal(err)
	}
	r := tr.Refusal
	if r == nil || r.Callable != `Acme\Guard->restrict_rest[31m` || r.Component.Slug != "acme-guard" || r.Component.Version != "2.3" || r.Code != "rest_not_logged_in" {
		t.Fatalf("refusal = %+v", r)
	}
	a := tr.Auth
	if strings.Join(a.PHPSaw, ",") != "HTTP_AUTHORIZATION,PHP_AUTH_USER" || a.Cookie != "" || a.Nonce != nil || a.UserID != 0 || a.AppPassword.Code != "incorrect_password" {
		t.Fatalf("auth not sanitised: %+v", a)
	}
}

func TestParseTraceRejects(t *testing.T) {
	rid := "wp403-abcd-7"
	good := forge(testKey, rid, `{"v":1,"rid":"wp403-abcd-7","status":200,"auth":{}}`)
	cases := map[string]struct{ value, rid string }{
		"other key":        {forge([]byte("another-key-another-key-another-key"), rid, `{"v":1,"rid":"wp403-abcd-7"}`), rid},
		"other request id": {good, "wp403-abcd-8"},
		"rid inside lies":  {forge(testKey, rid, `{"v":1,"rid":"wp403-abcd-9"}`), rid},
		"tampered":         {strings.Replace(good, "v1.e", "v1.f", 1), rid},
		"no mac":           {"v1." + strings.Split(good, ".")[1], rid},
		"version":          {"v2" + good[2:], rid},
		"oversized":        {good + strings.Repeat("A", MaxTraceHeader), rid},
		"not json":         {forge(testKey, rid, `not json`), rid},
		"wrong types":      {forge(testKey, rid, `{"v":1,"rid":"wp403-abcd-7","status":"x"}`), rid},
	}
	for name, c := range cases {
		if _, err := ParseTrace(c.value, testKey, c.rid); !errors.Is(err, ErrBadTrace) {
			t.Errorf("%s: err = %v, want ErrBadTrace", name, err)
		}
	}
	if _, err := ParseTrace(good, testKey, rid); err != nil {
		t.Fatalf("good trace: %v", err)
	}
}

func TestParseKey(t *testing.T) {
	key := strings.Repeat("k", 43)
	for _, in := range []string{key, key + "\n", "define('WP403_AGENT_KEY', '" + key + "');", ` define("WP403_AGENT_KEY","` + key + `") `} {
		got, err := ParseKey([]byte(in))
		if err != nil || string(got) != key {
			t.Errorf("ParseKey(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"short", strings.Repeat("k", 40) + "'", strings.Repeat("k", 300)} {
		if _, err := ParseKey([]byte(in)); !errors.Is(err, ErrBadKey) {
			t.Errorf("ParseKey(%q): err = %v", in, err)
		}
	}
	k, err := NewKey()
	if err != nil || len(k) < MinKeyLen {
		t.Fatalf("NewKey = %q, %v", k, err)
	}
	if _, err := ParseKey([]byte(ConfigLine(k))); err != nil {
		t.Fatalf("ConfigLine does not parse back: %v", err)
	}
}

func TestMuPluginsDir(t *testing.T) {
	root := t.TempDir()
	wp, etc := filepath.Join(root, "wp"), filepath.Join(root, "etc")
	must(t, os.MkdirAll(wp, 0o755), os.MkdirAll(etc, 0o755))
	must(t, os.WriteFile(filepath.Join(wp, "wp-settings.php"), nil, 0o644))
	if got, _ := MuPluginsDir(wp, etc); got != filepath.Join(wp, "wp-content", "mu-plugins") {
		t.Fatalf("plain layout: %s", got)
	}
	// Debian: wp-config.php reads /etc/wordpress/config-HOST.php, which moves wp-content.
	must(t, os.WriteFile(filepath.Join(wp, "wp-config.php"), []byte(`<?php $debian_file = '/etc/wordpress/config-'.$host.'.php';
if (!defined('WP_CONTENT_DIR')) define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');`), 0o644))
	must(t, os.WriteFile(filepath.Join(etc, "config-blog.php"), []byte(`<?php define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');`), 0o644))
	if got, err := MuPluginsDir(wp, etc); err != nil || got != "/var/lib/wordpress/wp-content/mu-plugins" {
		t.Fatalf("Debian layout: %s, %v", got, err)
	}
	must(t, os.WriteFile(filepath.Join(etc, "config-other.php"), []byte(`<?php define('WP_CONTENT_DIR', '/srv/other/wp-content');`), 0o644))
	if _, err := MuPluginsDir(wp, etc); err == nil || !strings.Contains(err.Error(), "--mu-plugins-dir") {
		t.Fatalf("disagreeing configs must ask for --mu-plugins-dir: %v", err)
	}
	if _, err := MuPluginsDir(root, etc); !errors.Is(err, ErrNoWordPress) {
		t.Fatalf("not WordPress: %v", err)
	}
}

func TestInstallUninstall(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mu-plugins")
	path, err := Install(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != string(Plugin) {
		t.Fatalf("installed file differs: %v", err)
	}
	if ok, err := Uninstall(dir); !ok || err != nil {
		t.Fatalf("Uninstall = %v, %v", ok, err)
	}
	if ok, err := Uninstall(dir); ok || err != nil {
		t.Fatalf("second Uninstall = %v, %v", ok, err)
	}
}

// TestPluginLint runs php -l on the embedded plugin when PHP is installed
// (the lab's PHP 8.2; the plugin itself keeps to PHP 7.4 syntax).
func TestPluginLint(t *testing.T) {
	php, err := exec.LookPath("php")
	if err != nil {
		t.Skip("php not installed")
	}
	p := filepath.Join(t.TempDir(), FileName)
	must(t, os.WriteFile(p, Plugin, 0o644))
	if out, err := exec.Command(php, "-l", p).CombinedOutput(); err != nil {
		t.Fatalf("php -l: %v\n%s", err, out)
	}
}

func must(t *testing.T, errs ...error) {
	t.Helper()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
