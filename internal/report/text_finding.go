package report

import (
	"strconv"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// block writes one refusal: the layer path, the verdict and the fix;
// with --verbose also the evidence, the status grid, the WAF rule hits,
// the fix's scope and full caveat.
func (t *textWriter) block(rep *record.Report, f *record.Finding) {
	t.line("")
	head := t.st.severity(f.Severity) + "  " + t.st.bold(title(f))
	if sp := statusPair(f.Status); sp != "" {
		head += "  " + t.st.dim(sp)
	}
	t.line(head)
	if p := t.st.layerPath(stopLayer(f)); p != "" {
		t.line(textIndent + p)
	}
	for _, l := range wrapText(f.Summary, textIndent, 0, t.width) {
		t.line(t.st.bold(l))
	}
	t.line(textIndent + t.st.dim(findingFacts(f)))
	t.line("")
	t.labelled("also", related(f))
	if t.verbose {
		t.labelled("evidence", t.evidenceLines(rep, f))
		t.labelled("grid", t.gridLines(rep, f))
		t.labelled("waf rules", t.ruleLines(f.Rules))
	}
	for i := range f.Remedies {
		t.remedy(fixLabel(i, len(f.Remedies)), &f.Remedies[i])
	}
	t.text("next", f.Next)
	t.text("origin", f.NeedsOrigin)
	if t.verbose {
		t.text("rule", f.Rule)
	}
}

// gridLines draws the status grid (--verbose): one row per variant, one
// column per vantage point, each cell the status and who answered.
func (t *textWriter) gridLines(rep *record.Report, f *record.Finding) []string {
	g := gridFor(rep, f)
	if g == nil {
		return nil
	}
	head, rows := gridTable(g)
	return t.tableLines(append([][]string{head}, rows...), t.room(), true)
}

// findingFacts is "waf / waf-rule / ModSecurity / confidence high".
func findingFacts(f *record.Finding) string {
	parts := []string{string(f.Layer), string(f.Mechanism)}
	if f.Vendor != "" {
		parts = append(parts, f.Vendor)
	}
	if f.Confidence != "" {
		parts = append(parts, "confidence "+string(f.Confidence))
	}
	return strings.Join(parts, " / ")
}

// evidenceLines are the finding's evidence sentences as bullets, then the
// cited observations as an aligned table.
func (t *textWriter) evidenceLines(rep *record.Report, f *record.Finding) []string {
	var lines []string
	for _, e := range f.Evidence {
		lines = append(lines, wrapText(e, "- ", 0, t.room())...)
	}
	obs := cited(rep, f)
	rows := make([][]string, 0, len(obs))
	for _, o := range obs {
		rows = append(rows, []string{o.ID, string(o.Vantage), o.Request.Method + " " + clip(obsTarget(o), 34),
			obsResult(o), obsProducer(o), obsNote(o)})
	}
	return append(lines, t.tableLines(rows, t.room(), false)...)
}

// tableLines aligns rows in columns. When every row's last column fits
// in the width left, each row is one line; otherwise every last column
// goes on its own indented line under its row, clipped to the width
// (the full texts are in the JSON and HTML reports), or wrapped when
// wrap is set.
func (t *textWriter) tableLines(rows [][]string, width int, wrap bool) []string {
	if len(rows) == 0 {
		return nil
	}
	widths := make([]int, len(rows[0])-1)
	for _, r := range rows {
		for i, c := range r[:len(r)-1] {
			widths[i] = max(widths[i], runeLen(c))
		}
	}
	leadWidth := len(widths) * 2
	for _, w := range widths {
		leadWidth += w
	}
	room := width - leadWidth
	inline := true
	for _, r := range rows {
		inline = inline && (runeLen(r[len(r)-1]) <= room || wrap && room >= 24)
	}
	var lines []string
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r[:len(r)-1] {
			b.WriteString(pad(c, widths[i]+2))
		}
		lead, last := b.String(), r[len(r)-1]
		switch {
		case last == "":
			lines = append(lines, strings.TrimRight(lead, " "))
		case inline:
			for i, l := range wrapText(last, "", 0, room) {
				if i > 0 {
					lead = strings.Repeat(" ", leadWidth)
				}
				lines = append(lines, lead+t.st.dim(l))
			}
		default:
			lines = append(lines, strings.TrimRight(lead, " "), "    "+t.st.dim(clip(last, width-4)))
		}
	}
	return lines
}

// ruleLines are WAF rule hits: id, target, message with data and paranoia.
func (t *textWriter) ruleLines(hits []record.RuleHit) []string {
	rows := make([][]string, 0, len(hits))
	for _, h := range hits {
		msg := h.Message
		if h.Data != "" {
			msg += " [" + h.Data + "]"
		}
		if h.Paranoia > 0 {
			msg += " (PL" + strconv.Itoa(h.Paranoia) + ")"
		}
		rows = append(rows, []string{strconv.Itoa(h.ID), h.Target, strings.TrimSpace(msg)})
	}
	return t.tableLines(rows, t.room(), true)
}

// remedy writes the fix: title, scope, where, the snippet indented and
// never wrapped (it is meant to be pasted), and the caveat.
func (t *textWriter) remedy(label string, m *record.Remedy) {
	t.labelled(label, wrapText(fixTitle(m), "", 0, t.room()))
	if t.verbose {
		t.text("scope", m.Scope)
	}
	if t.verbose {
		t.text("where", m.Where)
	} else {
		t.text("where", firstClause(m.Where))
	}
	if m.Snippet != "" {
		t.line("")
		for _, l := range strings.Split(strings.TrimRight(m.Snippet, "\n"), "\n") {
			t.line(strings.Repeat(" ", contentCol+2) + t.st.cyan(l))
		}
		t.line("")
	}
	if t.verbose {
		t.text("caveat", m.Caveat)
	} else {
		t.text("caveat", firstClause(m.Caveat))
	}
}

// firstClause is a caveat's first clause (up to "; "), the one that says
// when not to apply the fix; --verbose prints the rest.
func firstClause(s string) string {
	if i := strings.Index(s, "; "); i > 0 {
		return s[:i] + " (more with --verbose)"
	}
	return s
}
