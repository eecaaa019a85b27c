package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRetestBrowserBadInput: every misuse of --browser is a usage error
// (exit 2) with a one-line reason, before any browser starts.
func TestRetestBrowserBadInput(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"retest", "--browser", "ftp://blog.example.com/", "--user", "ed", "--password-file", empty}, "want the site's address"},
		{[]string{"retest", "--browser", "https://blog.example.com/"}, "--user NAME and --password-file"},
		{[]string{"retest", "x.json", "--browser", "https://blog.example.com/"}, "not both"},
		{[]string{"retest"}, "REPORT"},
		{[]string{"retest", "--browser", "https://ed:s3cret@blog.example.com/", "--user", "ed", "--password-file", empty}, "credentials in the URL"},
		{[]string{"retest", "--browser", "https://blog.example.com/", "--user", "ed", "--password-file", empty,
			"--app-password-file", empty}, "do not apply"},
		{[]string{"retest", "--browser", "https://blog.example.com/", "--user", "ed", "--password-file", empty}, "--password-file"},
	}
	for _, tc := range cases {
		code, _, errb := runCLI(t, tc.args...)
		if code != ExitUsage || !strings.Contains(errb, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errb, ExitUsage, tc.want)
		}
		if n := strings.Count(strings.TrimSpace(errb), "\n"); n > 1 {
			t.Errorf("%v: the reason takes %d lines", tc.args, n+1)
		}
	}
}
