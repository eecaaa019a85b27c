package cli

import (
	"io"
	"os"
	"path/filepath"

	"golang.org/x/term"

	"github.com/wp403/wp403/internal/finish"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
	"github.com/wp403/wp403/internal/report"
)

// reportCmd re-renders a saved JSON report in another format.
type reportCmd struct {
	File string `arg:"" name:"FILE.json" help:"A report saved with --format json (\"-\" reads standard input)."`
	outputFlags
}

func (c *reportCmd) Run(rc *runContext) error {
	rep, err := c.load(rc)
	if err != nil {
		return err
	}
	// The fixes are written again from the findings: a snippet read from a
	// file is not trusted (a crafted report could hold any command to paste).
	finish.Remedies(rep)
	return writeReport(rc, rep, c.outputFlags, envScrubber(rc.io.Env))
}

func (c *reportCmd) load(rc *runContext) (*record.Report, error) {
	if c.File == "-" {
		rep, err := report.Decode(rc.io.In)
		if err != nil {
			return nil, usagef("standard input: not a wp403 report (%v); want a report saved with --format json", err)
		}
		return rep, nil
	}
	return readReport(rc, c.File)
}

// textOptions turns on colour (and Unicode glyphs) only when w is a
// terminal and neither NO_COLOR nor TERM=dumb says otherwise, and takes
// the width from the terminal.
func textOptions(env Env, w io.Writer) report.TextOptions {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return report.TextOptions{}
	}
	opts := report.TextOptions{Color: env.Get("NO_COLOR") == "" && env.Get("TERM") != "dumb"}
	if width, _, err := term.GetSize(int(f.Fd())); err == nil {
		opts.Width = min(width, 120)
	}
	return opts
}

// envScrubber masks the secrets the environment holds, as a last net in
// case a saved report carries one.
func envScrubber(env Env) *redact.Scrubber {
	s := new(redact.Scrubber)
	for _, k := range []string{"WP403_APP_PASSWORD", "WP403_PASSWORD"} {
		if v := env.Get(k); v != "" {
			s.Add(v)
		}
	}
	return s
}

// resolvePath makes a relative path relative to the environment's
// working directory, when one is set.
func resolvePath(env Env, p string) string {
	if env.Dir == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(env.Dir, p)
}
