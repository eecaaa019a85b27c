package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// htmlRenderer writes one self-contained page: inline CSS, one inline
// script allowed by its hash (copy buttons), no external fetches, every
// value escaped by html/template, and control characters from data
// (ESC, BEL, C1, bidi overrides) written as visible escapes, as text and
// Markdown do: `cat report.html` must not run terminal sequences. With before (a retest's earlier
// report) and checks to show, the page is the before/after comparison.
type htmlRenderer struct{ before *record.Report }

// The pages share page.html.tmpl: head and colours, the layer-path SVG,
// the status grid and the closing script.
var (
	//go:embed page.html.tmpl
	pageSource string
	//go:embed report.html.tmpl
	htmlSource string
	//go:embed compare.html.tmpl
	compareSource string
)

// htmlFuncs are the few helpers a template may call.
var htmlFuncs = template.FuncMap{"div1000": func(ms float64) float64 { return ms / 1000 }}

var (
	htmlTemplate    = template.Must(template.Must(template.New("page").Funcs(htmlFuncs).Parse(pageSource)).New("report").Parse(htmlSource))
	compareTemplate = template.Must(template.Must(template.New("page").Funcs(htmlFuncs).Parse(pageSource)).New("compare").Parse(compareSource))
)

// htmlView is what the template reads: the report plus the strings the
// shared helpers derive, so that the template holds no logic.
type htmlView struct {
	Page     htmlPage
	R        *record.Report
	Title    string
	Heading  string
	Tally    string
	Run      []string
	Checks   [][]string
	Findings []htmlFinding
	Obs      []htmlObs
	Browser  []htmlBrowser
}

type htmlFinding struct {
	*record.Finding
	N        int
	Title    string
	Path     []htmlHop
	SVG      *htmlSVG
	Grid     *htmlGrid
	Facts    string
	Status   string
	Related  []string
	Fixes    []htmlFix
	Evidence []htmlObs
}

type htmlFix struct {
	*record.Remedy
	Label string
	Head  string
}

type htmlHop struct{ Name, State string }

type htmlObs struct {
	ID, Vantage, Auth, Request, Result, Time, Producer, Note string
}

func (h htmlRenderer) Render(w io.Writer, r *record.Report) error {
	if h.before != nil && len(r.Checks) > 0 {
		return RenderComparison(w, retestComparison(h.before, r), nil)
	}
	heading := strings.TrimSpace("wp403 " + r.Command)
	v := htmlView{Page: pageAssets, R: r, Title: heading + ": " + r.Target.URL, Heading: heading, Tally: count(r).String(), Run: runFacts(r)}
	for i := range r.Findings {
		f := &r.Findings[i]
		hf := htmlFinding{Finding: f, N: i + 1, Title: title(f), Facts: findingFacts(f), Status: statusPair(f.Status), Related: related(f)}
		if f.Severity == record.SevBlock {
			hf.Path = hops(stopLayer(f))
			hf.SVG = pathSVG(hf.Path)
		}
		hf.Grid = gridHTML(r, f)
		for j := range f.Remedies {
			label := fixLabel(j, len(f.Remedies))
			hf.Fixes = append(hf.Fixes, htmlFix{Remedy: &f.Remedies[j], Label: strings.ToUpper(label[:1]) + label[1:], Head: fixTitle(&f.Remedies[j])})
		}
		for _, o := range cited(r, f) {
			hf.Evidence = append(hf.Evidence, htmlObsRow(o))
		}
		v.Findings = append(v.Findings, hf)
	}
	for _, c := range r.Checks {
		v.Checks = append(v.Checks, checkRow(c))
	}
	v.Browser = htmlBrowsers(r)
	for i := range r.Observations {
		v.Obs = append(v.Obs, htmlObsRow(&r.Observations[i]))
	}
	var buf strings.Builder
	if err := htmlTemplate.Execute(&buf, v); err != nil {
		return fmt.Errorf("render html report: %w", err)
	}
	_, err := io.WriteString(w, EscapeControl(buf.String()))
	return err
}

func htmlObsRow(o *record.Observation) htmlObs {
	return htmlObs{ID: o.ID, Vantage: string(o.Vantage), Auth: string(o.Request.Auth),
		Request: o.Request.Method + " " + obsTarget(o), Result: obsResult(o),
		Time: fmt.Sprintf("%.0f ms", o.Timing.TotalMS), Producer: obsProducer(o), Note: obsNote(o)}
}

// hops lists the path for the layer line, marking each hop passed, stop
// or ahead; nil for a layer that is not on the path.
func hops(stop record.Layer) []htmlHop {
	list := pathHops
	if stop == record.LayerNetwork {
		list = append([]record.Layer{record.LayerClient, record.LayerNetwork}, pathHops[1:]...)
	}
	if !containsLayer(list, stop) {
		return nil
	}
	out := make([]htmlHop, 0, len(list))
	state := "passed"
	for _, h := range list {
		if h == stop {
			out = append(out, htmlHop{Name: string(h), State: "stop"})
			state = "ahead"
			continue
		}
		out = append(out, htmlHop{Name: string(h), State: state})
	}
	return out
}

// runFacts is the line under the heading: site, REST root, origin, source, time.
func runFacts(r *record.Report) []string {
	var out []string
	add := func(label, v string) {
		if v != "" {
			out = append(out, label+" "+v)
		}
	}
	add("site", r.Site.Name)
	add("REST root", r.Target.RESTRoot)
	add("origin", r.Target.Origin)
	add("source", r.Target.Source)
	if !r.Started.IsZero() {
		add("started", r.Started.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	if r.DurationMS > 0 {
		add("took", fmt.Sprintf("%.1fs", r.DurationMS/1000))
	}
	return out
}
