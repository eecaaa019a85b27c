package cli

import (
	"encoding/json"
	"fmt"

	"github.com/wp403/wp403/internal/policy"
)

type diffCmd struct {
	A      string `arg:"" name:"A" help:"The earlier JSON report (before the change)."`
	B      string `arg:"" name:"B" help:"The later JSON report (after the change)."`
	Format string `short:"f" name:"format" enum:"text,json" default:"text" help:"Output format: text or json."`
	Output string `short:"o" name:"output" placeholder:"FILE" help:"Write the diff to FILE."`
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
	d := policy.Compare(a, b, c.A, c.B)
	out, closeOut, err := (&reportCmd{Output: c.Output}).output(rc)
	if err != nil {
		return err
	}
	if c.Format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(d)
	} else {
		err = d.Text(out)
	}
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	if d.Worse {
		return errRefusal
	}
	return nil
}
