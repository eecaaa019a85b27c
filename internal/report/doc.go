// Package report owns the renderers of the one output schema,
// record.Report: text for people at a terminal, JSON for machines and
// re-rendering, Markdown for support tickets, a self-contained HTML page,
// and JUnit XML for CI. Every renderer implements Renderer, reads the
// report and nothing else (no clock, no environment), and writes bytes
// that have passed through the run's redact.Scrubber when one is given.
//
// RenderComparison draws two reports before and after, side by side, on
// the same kind of page (wp403 diff --format html; a retest's HTML, whose
// earlier report comes in as Options.Before).
//
// Decode reads a saved JSON report back, checking its schema version and
// its internal references, so that `wp403 report`, `retest` and `diff`
// can work from a file.
package report
