package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// Renderer writes one report in one format.
type Renderer interface {
	Render(w io.Writer, r *record.Report) error
}

// TextOptions tunes the text renderer. Color also selects the Unicode
// path glyphs; without it the output is plain ASCII. Width <= 0 means 80.
type TextOptions struct {
	Color   bool
	Width   int
	Verbose bool
}

// Options configures a renderer. Scrub, when set, masks the run's known
// secrets in every string of the report and in every rendered byte.
type Options struct {
	Text  TextOptions
	Scrub *redact.Scrubber
	// Before is the earlier report a retest sent again: the HTML renderer
	// then draws every check before and after, side by side.
	Before *record.Report
}

// For returns the renderer for format with default options: plain text,
// no scrubbing beyond what the report already holds.
func For(format string) (Renderer, error) {
	return New(format, Options{})
}

// New returns the renderer for format configured by opts.
func New(format string, opts Options) (Renderer, error) {
	var inner Renderer
	escape := false // text and Markdown are read on terminals: no control characters
	name, _ := Canonical(format)
	if format == "" {
		name = "text"
	}
	switch name {
	case "text":
		inner, escape = textRenderer{opts: opts.Text}, true
	case "json":
		inner = jsonRenderer{}
	case "markdown":
		inner, escape = markdownRenderer{verbose: opts.Text.Verbose}, true
	case "html":
		inner = htmlRenderer{before: opts.Before}
		if opts.Before != nil && opts.Scrub != nil {
			inner = htmlRenderer{before: mapReport(opts.Before, opts.Scrub.String)}
		}
	case "junit":
		inner = junitRenderer{}
	default:
		return nil, fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
	return scrubbed{inner: inner, scrub: opts.Scrub, escape: escape}, nil
}

// scrubbed renders into memory from a scrubbed copy of the report, then
// scrubs the bytes once more before they reach w: the first pass catches
// secrets that a format would escape (html/template writes "+" as
// "&#43;"), the second anything a renderer composed from parts. With
// escape, every string of the copy also goes through EscapeControl, so
// no server- or file-controlled field (site name, error code, header,
// route, a report file re-rendered by 'report') prints control characters.
type scrubbed struct {
	inner  Renderer
	scrub  *redact.Scrubber
	escape bool
}

func (s scrubbed) Render(w io.Writer, r *record.Report) error {
	if r == nil {
		return fmt.Errorf("render: nil report")
	}
	switch {
	case s.scrub != nil && s.escape:
		r = mapReport(r, func(v string) string { return EscapeControl(s.scrub.String(v)) })
	case s.scrub != nil:
		r = mapReport(r, s.scrub.String)
	case s.escape:
		r = mapReport(r, EscapeControl)
	}
	var buf bytes.Buffer
	if err := s.inner.Render(&buf, r); err != nil {
		return err
	}
	if _, err := w.Write(s.scrub.Bytes(buf.Bytes())); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
