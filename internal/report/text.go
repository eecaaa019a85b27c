package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// textRenderer writes the report for a person at a terminal: each refusal
// in full (layer path, verdict, evidence, rules, fix, next step), then
// warnings and notes briefly, then a footer with the counts.
type textRenderer struct{ opts TextOptions }

// Layout: labels sit in a column of labelWidth after a two-space indent,
// and everything else starts at contentCol.
const (
	textIndent = "  "
	labelWidth = 12
	contentCol = len(textIndent) + labelWidth
)

// textWriter accumulates lines; the renderer writes them once at the end.
type textWriter struct {
	b       strings.Builder
	st      style
	width   int
	verbose bool
}

func (t *textWriter) line(s string) { t.b.WriteString(strings.TrimRight(s, " ") + "\n") }

// room is the width left for content after the label column.
func (t *textWriter) room() int { return max(t.width-contentCol, 20) }

// labelled writes lines under a label: the label on the first line, the
// content column on all of them. Nothing is written for no lines.
func (t *textWriter) labelled(label string, lines []string) {
	for i, l := range lines {
		head := strings.Repeat(" ", contentCol)
		if i == 0 {
			head = textIndent + t.st.dim(pad(label, labelWidth))
		}
		t.line(head + l)
	}
}

// text writes a wrapped paragraph under a label.
func (t *textWriter) text(label, s string) {
	t.labelled(label, wrapText(s, "", 0, t.room()))
}

func (r textRenderer) Render(w io.Writer, rep *record.Report) error {
	t := &textWriter{st: style{on: r.opts.Color}, width: r.opts.Width, verbose: r.opts.Verbose}
	if t.width <= 0 {
		t.width = 80
	}
	t.header(rep)
	t.checks(rep)
	t.browser(rep)
	for i := range rep.Findings {
		if f := &rep.Findings[i]; f.Severity == record.SevBlock {
			t.block(rep, f)
		}
	}
	t.minor(rep)
	t.notes(rep)
	if r.opts.Verbose {
		t.observations(rep)
	}
	t.line("")
	t.line(t.st.bold(count(rep).String()))
	if !r.opts.Verbose && rep.Refusals() > 0 {
		t.line(t.st.dim("--verbose adds the evidence, the WAF rule hits and every observation"))
	}
	if _, err := io.WriteString(w, t.b.String()); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

func (t *textWriter) header(rep *record.Report) {
	t.line(t.st.bold(strings.TrimSpace("wp403 "+rep.Command)) + "  " + rep.Target.URL)
	t.text("site", rep.Site.Name)
	t.text("rest root", rep.Target.RESTRoot)
	t.text("origin", rep.Target.Origin)
	var run []string
	for _, s := range []string{rep.Target.Source, rep.Target.User} {
		if s != "" {
			run = append(run, s)
		}
	}
	if rep.Target.User != "" {
		run[len(run)-1] = "as " + rep.Target.User
	}
	if !rep.Started.IsZero() {
		run = append(run, rep.Started.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	if rep.DurationMS > 0 {
		run = append(run, fmt.Sprintf("%.1fs", rep.DurationMS/1000))
	}
	t.text("run", strings.Join(run, ", "))
	t.outcome(rep)
}

// outcome says, before any finding, when the run was cut short, could not
// diagnose the site, or found nothing refused.
func (t *textWriter) outcome(rep *record.Report) {
	if rep.Interrupted {
		t.line("")
		t.line(t.st.amber("INTERRUPTED  the run was cancelled: this report is partial, requests not sent are not judged."))
	}
	switch p := rep.Problem; {
	case p != nil:
		t.line("")
		t.line(t.st.red("ERROR") + "  " + t.st.bold(string(p.Kind)))
		for _, l := range wrapText(p.Summary, textIndent, 0, t.width) {
			t.line(t.st.bold(l))
		}
		t.labelled("found", p.Found)
		t.text("next", p.Next)
	case rep.Refusals() == 0 && !rep.Interrupted:
		t.line("")
		t.line(t.st.green("No refusal found: every request wp403 sent got through."))
	}
}

// checks writes each policy check as its outcome and name, then what it
// expects and what was seen, failures marked.
func (t *textWriter) checks(rep *record.Report) {
	if len(rep.Checks) == 0 {
		return
	}
	t.line("")
	t.line(t.st.bold("Checks"))
	for _, c := range rep.Checks {
		cells := checkRow(c)
		outcome := t.st.green(cells[0])
		if !c.Pass {
			outcome = t.st.red(cells[0])
		}
		t.line(textIndent + outcome + "  " + t.st.bold(cells[1]))
		seen := cells[2]
		if cells[3] != "" {
			seen += ": " + cells[3]
		}
		if cells[4] != "" {
			seen += " (" + cells[4] + ")"
		}
		for _, l := range wrapText(seen, textIndent+"      ", 0, t.width) {
			t.line(t.st.dim(l))
		}
	}
}

// minor writes warn and info findings: a head line, the summary and the
// next step, indented under the severity tag.
func (t *textWriter) minor(rep *record.Report) {
	const hang = "       "
	first := true
	for _, f := range rep.Findings {
		if f.Severity == record.SevBlock {
			continue
		}
		if first {
			t.line("")
			first = false
		}
		t.line(t.st.severity(f.Severity) + "  " + t.st.bold(title(&f)) + "  " +
			t.st.dim(string(f.Layer)+" / "+string(f.Mechanism)))
		for _, l := range wrapText(f.Summary, hang, 0, t.width) {
			t.line(l)
		}
		if t.verbose && f.Rule != "" {
			t.line(hang + t.st.dim("rule: "+f.Rule))
		}
		if f.Next != "" {
			for _, l := range wrapText(f.Next, hang+"next: ", 0, t.width) {
				t.line(l)
			}
		}
	}
}

func (t *textWriter) notes(rep *record.Report) {
	if len(rep.Notes) == 0 {
		return
	}
	t.line("")
	t.line(t.st.bold("Notes"))
	for _, n := range rep.Notes {
		for _, l := range wrapText(n, textIndent+"- ", 0, t.width) {
			t.line(l)
		}
	}
}

// observations writes every observation, one line each (Verbose).
func (t *textWriter) observations(rep *record.Report) {
	if len(rep.Observations) == 0 {
		return
	}
	t.line("")
	t.line(t.st.bold("Observations"))
	rows := make([][]string, 0, len(rep.Observations))
	for i := range rep.Observations {
		o := &rep.Observations[i]
		rows = append(rows, []string{o.ID, string(o.Vantage), string(o.Request.Auth),
			o.Request.Method + " " + clip(obsTarget(o), 40), obsResult(o),
			fmt.Sprintf("%.0fms", o.Timing.TotalMS), obsProducer(o), obsNote(o)})
	}
	for _, l := range t.tableLines(rows, t.width-len(textIndent), false) {
		t.line(textIndent + l)
	}
}
