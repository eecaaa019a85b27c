package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInputIsExit2: for every command, input it cannot use is exit 2
// with one line on standard error that says what was expected, and
// nothing on standard output.
func TestBadInputIsExit2(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"empty":        "",
		"cut.har.gz":   "\x1f\x8b",
		"other.json":   `{"a": 1}`,
		"array.json":   `[]`,
		"policy.yaml":  "site: [\n",
		"response.txt": "hello\n",
		"empty.pw":     "\n",
		"empty-secret.yaml": "site: {url: \"https://127.0.0.1:9/\"}\nidentities:\n  ed: {user: bob, password: {file: empty.pw}}\n" +
			"rules:\n  - {name: me, route: /wp/v2/users/me, methods: [GET], identities: [ed], expect: allow}\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, errs := runIn(t, dir, "demo", "-o", "report.json"); code != ExitOK {
		t.Fatalf("demo: %d %s", code, errs)
	}
	big := filepath.Join(dir, "big.txt")
	if err := os.WriteFile(big, []byte("HTTP/1.1 403 Forbidden\r\n\r\n"+strings.Repeat("x", 9<<20)), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string // in the one-line reason
	}{
		{[]string{"version", "extra"}, "unexpected argument"},
		{[]string{"diagnose", "ftp://blog.example/"}, "http or https"},
		{[]string{"diagnose", "https://127.0.0.1:9/", "--user", "bob"}, "needs a password"},
		{[]string{"diagnose", "https://127.0.0.1:9/", "--user", "bob", "--password-file", "empty.pw"}, "is empty"},
		{[]string{"diagnose", "https://127.0.0.1:9/", "--data", "x"}, "--data needs --request"},
		{[]string{"diagnose", "https://127.0.0.1:9/", "--format", "pdf"}, "want one of"},
		{[]string{"demo", "no-such-scenario"}, "no embedded capture"},
		{[]string{"demo", "-o", "report.csv", "--format", "csv"}, "want one of"},
		{[]string{"report", "other.json"}, "not a wp403 report"},
		{[]string{"report", "."}, "is a directory"},
		{[]string{"report", "missing.json"}, "want a JSON report"},
		{[]string{"waf", "replay"}, "give exactly one of"},
		{[]string{"waf", "replay", "--raw", "missing.txt"}, "no such file"},
		{[]string{"classify", "."}, "is a directory"},
		{[]string{"classify", "missing.txt"}, "want a file"},
		{[]string{"classify", "empty"}, "is empty"},
		{[]string{"classify", "response.txt"}, "give --status"},
		{[]string{"classify", "big.txt"}, "max 8 MiB"},
		{[]string{"classify", "big.txt", "--status", "403"}, "max 8 MiB"},
		{[]string{"signatures", "-o", "sigs.html"}, "writes text or json"},
		{[]string{"har", "other.json"}, "not a HAR file (JSON without a \"log\" object)"},
		{[]string{"har", "array.json"}, "not a HAR file"},
		{[]string{"har", "empty"}, "not a HAR file (the file is empty)"},
		{[]string{"har", "cut.har.gz"}, "not a HAR file (a truncated or damaged gzip file)"},
		{[]string{"har", "report.json"}, "it is a wp403 report"},
		{[]string{"har", "missing.har"}, "want a HAR file"},
		{[]string{"har", "missing.har", "--user", "bob"}, "only with --replay"},
		{[]string{"logs", "missing.log"}, "no log could be read"},
		{[]string{"logs", "--since", "yesterday", "empty"}, "--since"},
		{[]string{"policy", "init", "ftp://blog.example/"}, "http or https"},
		{[]string{"policy", "init", "https://127.0.0.1:9/", "--user", "bob", "--password-file", "empty.pw"}, "is empty"},
		{[]string{"check", "missing.yaml"}, "want a REST access policy"},
		{[]string{"check", "."}, "is a directory"},
		{[]string{"check", "policy.yaml"}, "policy.yaml"},
		{[]string{"check", "empty-secret.yaml"}, "empty.pw is empty"},
		{[]string{"retest", "other.json"}, "not a wp403 report"},
		{[]string{"retest", "report.json"}, "--app-password-file"},
		{[]string{"diff", "other.json", "report.json"}, "not a wp403 report"},
		{[]string{"diff", "report.json", "missing.json"}, "want a JSON report"},
		{[]string{"completion", "powershell"}, "bash"},
		{[]string{"man", "extra"}, "unexpected argument"},
	}
	for _, c := range cases {
		code, out, errs := runIn(t, dir, c.args...)
		lines := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
		if code != ExitUsage || !strings.Contains(errs, c.want) || out != "" || !strings.HasPrefix(errs, "wp403: ") {
			t.Errorf("wp403 %s: exit %d, stdout %d bytes, stderr %q; want exit 2 and %q",
				strings.Join(c.args, " "), code, len(out), errs, c.want)
		}
		// kong adds usage for its own parse errors; ours are one line
		if len(lines) != 1 && !strings.Contains(errs, "Usage:") && !strings.Contains(lines[0], "policy.yaml") {
			t.Errorf("wp403 %s: %d lines on stderr, want one: %q", strings.Join(c.args, " "), len(lines), errs)
		}
	}
}

// TestBadInputEscaped: a reason quoting the command line never carries
// control characters to the terminal.
func TestBadInputEscaped(t *testing.T) {
	for _, args := range [][]string{
		{"diagnose", "https://x.example/", "\x1b]52;c;aGk=\x07"},
		{"har", "\x1b[31mred.har"},
		{"classify", "\x1b[2J"},
	} {
		code, out, errs := runIn(t, t.TempDir(), args...)
		if code != ExitUsage || strings.ContainsAny(out+errs, "\x1b\x07") {
			t.Errorf("%q: exit %d, output %q %q", args, code, out, errs)
		}
	}
}
