package report

import (
	"fmt"
	"html/template"
	"regexp"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// The real-browser retest (retest --browser) as each renderer shows it:
// per vantage point, the editor steps with their outcome, the notice the
// editor showed after saving, what cleanup deleted and what may be left.

func stepMark(pass bool) string {
	if pass {
		return "ok"
	}
	return "FAILED"
}

func browserHead(b *record.BrowserRun) string {
	verdict := "the editor path works"
	if !b.Pass {
		verdict = "the editor path is broken"
	}
	return fmt.Sprintf("Browser at the %s: %s", b.Vantage, verdict)
}

// text writes every walk: steps, notice, cleanup.
func (t *textWriter) browser(rep *record.Report) {
	for i := range rep.Browser {
		b := &rep.Browser[i]
		t.line("")
		head := browserHead(b)
		if b.Pass {
			t.line(t.st.green(head))
		} else {
			t.line(t.st.red(head))
		}
		rows := make([][]string, 0, len(b.Steps))
		for _, s := range b.Steps {
			rows = append(rows, []string{stepMark(s.Pass), s.Name, fmt.Sprintf("%.1fs", s.MS/1000), escapeLine(s.Detail)})
		}
		t.labelled("steps", t.tableLines(rows, t.room(), true))
		t.text("notice", escapeLine(b.Notice))
		t.text("deleted", strings.Join(b.Deleted, ", "))
		t.text("left", strings.Join(b.Left, ", "))
	}
}

// mdBrowser writes every walk as a table of steps.
func mdBrowser(b *strings.Builder, r *record.Report) {
	for i := range r.Browser {
		run := &r.Browser[i]
		b.WriteString("## " + mdText(browserHead(run)) + "\n\n")
		rows := make([][]string, 0, len(run.Steps))
		for _, s := range run.Steps {
			rows = append(rows, []string{"**" + stepMark(s.Pass) + "**", mdCode(s.Name), fmt.Sprintf("%.1fs", s.MS/1000), mdCell(s.Detail)})
		}
		mdTable(b, []string{"Result", "Step", "Time", "Detail"}, rows)
		b.WriteString("\n")
		if run.Notice != "" {
			b.WriteString("**The editor said:** " + mdText(run.Notice) + "\n\n")
		}
		if len(run.Left) > 0 {
			b.WriteString("**May be left on the site:** " + mdText(strings.Join(run.Left, ", ")) + "\n\n")
		}
	}
}

// htmlBrowser is one walk as the template reads it.
type htmlBrowser struct {
	*record.BrowserRun
	Head       string
	Screenshot template.URL
}

// screenshotURI accepts only the data: URI the retest writes (a JPEG or
// PNG in base64); anything else from a report file is dropped.
var screenshotURI = regexp.MustCompile(`^data:image/(?:jpeg|png);base64,[A-Za-z0-9+/]+={0,2}$`)

func htmlBrowsers(r *record.Report) []htmlBrowser {
	out := make([]htmlBrowser, 0, len(r.Browser))
	for i := range r.Browser {
		b := &r.Browser[i]
		hb := htmlBrowser{BrowserRun: b, Head: browserHead(b)}
		if len(b.Screenshot) <= 4<<20 && screenshotURI.MatchString(b.Screenshot) {
			hb.Screenshot = template.URL(b.Screenshot) //nolint:gosec // validated above: base64 image data only
		}
		out = append(out, hb)
	}
	return out
}
