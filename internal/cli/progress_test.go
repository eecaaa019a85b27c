package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestProgressOnlyOnTerminal: on a terminal the demo shows probes
// done/planned and the wave on standard error, and clears the line; not
// on a pipe, and not with --quiet.
func TestProgressOnlyOnTerminal(t *testing.T) {
	run := func(tty bool, args ...string) string {
		var out, errb bytes.Buffer
		Run(context.Background(), Env{Vars: map[string]string{}, StderrTTY: tty}, strings.NewReader(""), &out, &errb, args)
		return errb.String()
	}
	got := run(true, "demo")
	for _, want := range []string{"probes · wave plan", "/", "\r\x1b[K"} {
		if !strings.Contains(got, want) {
			t.Errorf("terminal progress lacks %q: %q", want, got)
		}
	}
	if !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("the progress line is not cleared at the end: %q", got[max(0, len(got)-60):])
	}
	if got := run(false, "demo"); got != "" {
		t.Errorf("progress on a pipe: %q", got)
	}
	if got := run(true, "--quiet", "demo"); got != "" {
		t.Errorf("progress with --quiet: %q", got)
	}
}
