package redact

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"os/exec"
	"strings"
	"testing"
)

// hardPasswords are login passwords drawn from all of printable ASCII (in
// chunks, so that each character sits between letters, and all at once)
// and from non-ASCII text: the characters encoders disagree on.
func hardPasswords() []string {
	var printable []byte
	for c := byte(0x20); c < 0x7f; c++ {
		printable = append(printable, c)
	}
	out := []string{string(printable), `Pl4nt~*&+'"ed`, "pässwörd~€", "日本語*パス'ワ\"ド", "emoji😀&+~x", "a b~c*d&e+f'g\"h"}
	for i := 0; i < len(printable); i += 6 {
		out = append(out, "Pw"+string(printable[i:min(i+6, len(printable))])+"Zq")
	}
	return out
}

// realEncoders runs a real encoder (php, node, python3) over every
// password, printing a JSON array of arrays of forms. A missing program is
// a skip, named.
func realEncoders(t *testing.T, prog string, args ...string) [][]string {
	t.Helper()
	if _, err := exec.LookPath(prog); err != nil {
		t.Skipf("%s not installed: the %s encoders are checked where it is (CI installs php with the lab)", prog, prog)
	}
	in, _ := json.Marshal(hardPasswords())
	cmd := exec.Command(prog, args...)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", prog, err)
	}
	var forms [][]string
	if err := json.Unmarshal(out, &forms); err != nil {
		t.Fatalf("%s output: %v\n%s", prog, err, out)
	}
	return forms
}

func assertMasked(t *testing.T, who string, passwords []string, forms [][]string) {
	t.Helper()
	if len(forms) != len(passwords) {
		t.Fatalf("%s: %d results for %d passwords", who, len(forms), len(passwords))
	}
	for i, pw := range passwords {
		var s Scrubber
		s.Add(pw)
		for k, f := range forms[i] {
			if f == "" {
				continue // not applicable to this password
			}
			if got := s.String("<" + f + ">"); strings.Contains(got, f) {
				t.Errorf("%s form %d of %q not masked: %q", who, k, pw, f)
			}
		}
	}
}

const phpEncoders = `$in = json_decode(stream_get_contents(STDIN));
$out = [];
foreach ($in as $p) {
	$f = [urlencode($p), rawurlencode($p), base64_encode($p), http_build_query(['x' => $p])];
	foreach ([ENT_QUOTES|ENT_SUBSTITUTE|ENT_HTML401, ENT_QUOTES|ENT_HTML5, ENT_QUOTES|ENT_XML1, ENT_COMPAT, ENT_NOQUOTES] as $m) {
		$f[] = htmlspecialchars($p, $m);
	}
	foreach ([0, JSON_UNESCAPED_SLASHES, JSON_UNESCAPED_UNICODE, JSON_UNESCAPED_SLASHES|JSON_UNESCAPED_UNICODE,
		JSON_HEX_TAG|JSON_HEX_AMP|JSON_HEX_APOS|JSON_HEX_QUOT] as $m) {
		$f[] = substr(json_encode($p, $m), 1, -1);
		$f[] = substr(json_encode(htmlspecialchars($p, ENT_QUOTES), $m), 1, -1);
	}
	$f[3] = substr($f[3], 2);
	$out[] = $f;
}
echo json_encode($out);`

const nodeEncoders = `let s = ''; process.stdin.on('data', d => s += d).on('end', () => {
	const out = JSON.parse(s).map(p => [encodeURIComponent(p), encodeURI(p), escape(p),
		new URLSearchParams({x: p}).toString().slice(2), JSON.stringify(p).slice(1, -1),
		Buffer.from(p).toString('base64'),
		/[#]/.test(p) ? '' : new URL('http://h/?q=' + p).search.slice(3), // # ends a URL's query, ? and \ its path
		/[#?\\]/.test(p) ? '' : new URL('http://h/' + p).pathname.slice(1)]);
	process.stdout.write(JSON.stringify(out));
});`

const pythonEncoders = `import sys, json, html, base64, urllib.parse as u
out = []
for p in json.load(sys.stdin):
    out.append([u.quote(p), u.quote(p, safe=''), u.quote_plus(p), u.urlencode({'x': p})[2:], html.escape(p),
        html.escape(p, quote=False), json.dumps(p)[1:-1], json.dumps(p, ensure_ascii=False)[1:-1],
        json.dumps(html.escape(p))[1:-1], base64.b64encode(p.encode()).decode(), base64.urlsafe_b64encode(p.encode()).decode()])
print(json.dumps(out))`

// TestFormsRealEncoders: every form the real encoders give a hard password
// is masked (issue 23 item 12): PHP urlencode, rawurlencode,
// htmlspecialchars in each mode, json_encode with its flags; JavaScript
// encodeURIComponent, encodeURI, escape, URLSearchParams, JSON.stringify
// and the URL parser; Python quote, quote_plus, html.escape, json.dumps.
func TestFormsRealEncoders(t *testing.T) {
	pws := hardPasswords()
	t.Run("php", func(t *testing.T) { assertMasked(t, "php", pws, realEncoders(t, "php", "-r", phpEncoders)) })
	t.Run("node", func(t *testing.T) { assertMasked(t, "node", pws, realEncoders(t, "node", "-e", nodeEncoders)) })
	t.Run("python", func(t *testing.T) { assertMasked(t, "python", pws, realEncoders(t, "python3", "-c", pythonEncoders)) })
}

// TestFormsKnownVectors: the encoders' outputs for one hard password,
// written out by hand from their documentation, so that the forms are
// checked where no PHP, Node or Python is installed.
func TestFormsKnownVectors(t *testing.T) {
	const pw = `a~*&+'"é b`
	vectors := map[string]string{
		"PHP urlencode":          "a%7E%2A%26%2B%27%22%C3%A9+b",
		"PHP rawurlencode":       "a~%2A%26%2B%27%22%C3%A9%20b",
		"encodeURIComponent":     "a~*%26%2B'%22%C3%A9%20b",
		"HTML form":              "a%7E*%26%2B%27%22%C3%A9+b",
		"lower-case hex":         "a%7e%2a%26%2b%27%22%c3%a9+b",
		"htmlspecialchars HTML5": "a~*&amp;+&apos;&quot;é b",
		"Python html.escape":     "a~*&amp;+&#x27;&quot;é b",
		"PHP json_encode":        `a~*&+'\"\u00e9 b`,
		"Go json":                `a~*\u0026+'\"é b`,
		"JSON of esc_html":       `a~*&amp;+&#039;&quot;\u00e9 b`,
		"Go url.QueryEscape":     url.QueryEscape(pw),
		"Go html.EscapeString":   html.EscapeString(pw),
		"base64":                 base64.StdEncoding.EncodeToString([]byte(pw)),
	}
	var s Scrubber
	s.Add(pw)
	for name, v := range vectors {
		if got := s.String("<" + v + ">"); got != "<"+Mask+">" {
			t.Errorf("%s form %q not masked: %q", name, v, got)
		}
	}
}
