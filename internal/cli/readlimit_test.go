package cli

import (
	"strings"
	"testing"
)

// TestEndlessInputsRefused: files that never end (/dev/zero) are read up
// to their limit and refused with a usage error, never read whole.
func TestEndlessInputsRefused(t *testing.T) {
	for _, args := range [][]string{
		{"check", "/dev/zero"},
		{"check", "--targets", "/dev/zero"},
		{"waf", "replay", "--raw", "/dev/zero"},
		{"waf", "replay", "--har", "/dev/zero"},
		{"diagnose", "https://blog.example/", "--cacert", "/dev/zero"},
	} {
		code, _, errs := runCLI(t, args...)
		want := "larger than"
		if args[0] == "waf" && args[2] == "--har" {
			want = "invalid JSON" // streamed, not read whole: refused at the first byte
		}
		if code != ExitUsage || !strings.Contains(errs, want) {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
}
