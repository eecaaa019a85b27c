package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
	"github.com/wp403/wp403/internal/report"
)

// reportCmd re-renders a saved JSON report in another format.
type reportCmd struct {
	File    string `arg:"" name:"FILE.json" help:"A report saved with --format json (\"-\" reads standard input)."`
	Format  string `short:"f" help:"Output format: text, json, markdown, html or junit (default: from the -o extension, else text)."`
	Output  string `short:"o" name:"output" placeholder:"FILE" help:"Write the report to FILE instead of standard output."`
	Verbose bool   `short:"v" help:"Text format: list every observation."`
}

func (c *reportCmd) Run(rc *runContext) error {
	rep, err := c.load(rc)
	if err != nil {
		return err
	}
	format := c.Format
	if format == "" {
		format = formatFromExt(c.Output)
	}
	out, closeOut, err := c.output(rc)
	if err != nil {
		return err
	}
	opts := report.Options{Text: textOptions(rc.io.Env, out), Scrub: envScrubber(rc.io.Env)}
	opts.Text.Verbose = c.Verbose
	r, err := report.New(format, opts)
	if err != nil {
		return usagef("%v", err)
	}
	if err := r.Render(out, rep); err != nil {
		closeOut()
		return err
	}
	return closeOut()
}

func (c *reportCmd) load(rc *runContext) (*record.Report, error) {
	if c.File == "-" {
		return report.Decode(rc.io.In)
	}
	f, err := os.Open(resolvePath(rc.io.Env, c.File))
	if err != nil {
		return nil, usagef("open report: %v", err)
	}
	defer f.Close()
	rep, err := report.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.File, err)
	}
	return rep, nil
}

// output returns where to write and a func that finishes the write.
func (c *reportCmd) output(rc *runContext) (io.Writer, func() error, error) {
	if c.Output == "" || c.Output == "-" {
		return rc.io.Out, func() error { return nil }, nil
	}
	f, err := os.Create(resolvePath(rc.io.Env, c.Output))
	if err != nil {
		return nil, nil, fmt.Errorf("create output: %w", err)
	}
	return f, func() error {
		if err := f.Close(); err != nil {
			return fmt.Errorf("write %s: %w", c.Output, err)
		}
		return nil
	}, nil
}

// formatFromExt picks the format an output file name implies.
func formatFromExt(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return "json"
	case ".md", ".markdown":
		return "markdown"
	case ".html", ".htm":
		return "html"
	case ".xml":
		return "junit"
	}
	return "text"
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
