package cli

import (
	"fmt"
	"strings"

	"github.com/wp403/wp403/internal/policy"
	"github.com/wp403/wp403/internal/report"
)

type diffCmd struct {
	A      string `arg:"" name:"A" help:"The earlier JSON report (before the change)."`
	B      string `arg:"" name:"B" help:"The later JSON report (after the change)."`
	Format string `short:"f" name:"format" placeholder:"FORMAT" complete:"text,json,html" help:"Output format: text, json or html (A and B side by side; default: from the -o extension, else text)."`
	Output string `short:"o" name:"output" placeholder:"FILE" help:"Write the diff to FILE (atomically)."`
	Force  bool   `name:"force" help:"Compare even when the runs differ in site, user or credentials (a warning is printed)."`
}

// Run prints what changed; exit 3 when B is worse than A (a new refusal,
// a request that stopped succeeding, a check that started failing).
func (c *diffCmd) Run(rc *runContext) error {
	a, err := readReport(rc, c.A)
	if err != nil {
		return err
	}
	b, err := readReport(rc, c.B)
	if err != nil {
		return err
	}
	format, err := pickFormat(c.Format, c.Output, diffFormats)
	if err != nil {
		return err
	}
	if why := policy.Mismatch(a, b); len(why) > 0 {
		msg := fmt.Sprintf("%s and %s are not runs of the same thing: %s", c.A, c.B, strings.Join(why, "; "))
		if !c.Force {
			return usagef("%s; a finding would seem to disappear only because B did not send its request. Run both the same way, or give --force", msg)
		}
		rc.warn("%s; compared anyway (--force)", msg)
	}
	d := policy.Compare(a, b, c.A, c.B)
	out, err := openOutput(rc, c.Output)
	if err != nil {
		return err
	}
	switch format {
	case "json":
		err = writeJSON(out.w, d)
	case "html":
		err = report.RenderComparison(out.w, diffComparison(a, b, d), envScrubber(rc.io.Env))
	default:
		err = d.Text(out.text())
	}
	if err != nil {
		err = fmt.Errorf("write diff: %w", err)
	}
	if err := out.finish(err); err != nil {
		return err
	}
	if d.Worse {
		return errRefusal
	}
	return nil
}
