package report

import (
	"bytes"
	"fmt"
	"io"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// Comparison is a before/after page (wp403 diff, wp403 retest): two
// reports of the same site, and the requests whose outcome changed, each
// drawn on both sides with its layer path, status grid and verdict.
type Comparison struct {
	Heading     string // "wp403 diff"
	Before      *record.Report
	After       *record.Report
	BeforeName  string // the file or run each side came from
	AfterName   string
	Summary     string // one sentence on the whole change
	Worse       bool   // the after side has a refusal or failure the before side had not
	Changes     []Change
	Tables      []ChangeTable // statuses or checks that flipped
	EmptyBefore string        // the empty side's sentence; default: no finding in <BeforeName>, or not sent there
	EmptyAfter  string
}

// Change is one request before and after. Before and After are finding
// ids in their report, "" when that side has no finding for the request;
// Observations, when set, are the after side's observations of a request
// that has no finding there (a retest that passed), drawn as a grid;
// otherwise an empty side draws the grid of the request as that run sent
// it, if it did.
type Change struct {
	Request      record.Request
	Label        string // "appeared", "disappeared", "changed", "fixed", "moved"…
	Before       string
	After        string
	Detail       string // one line on what was seen, under both sides
	Observations []string
	EmptyBefore  string // overrides the Comparison's sentence for this request
	EmptyAfter   string
}

// ChangeTable is a plain table on the page: a title, a heading row and rows.
type ChangeTable struct {
	Title string
	Head  []string
	Rows  [][]string
}

// RenderComparison writes c as one self-contained HTML page with the
// same policy, colours and pictures as the HTML report. Every string of
// both reports is scrubbed of the run's secrets, and so is every byte.
func RenderComparison(w io.Writer, c *Comparison, scrub *redact.Scrubber) error {
	if c == nil || c.Before == nil || c.After == nil {
		return fmt.Errorf("render comparison: both reports are needed")
	}
	cp := *c
	if scrub != nil {
		cp.Before, cp.After = mapReport(c.Before, scrub.String), mapReport(c.After, scrub.String)
	}
	var buf bytes.Buffer
	if err := compareTemplate.Execute(&buf, compareView(&cp)); err != nil {
		return fmt.Errorf("render html comparison: %w", err)
	}
	if _, err := io.WriteString(w, EscapeControl(string(scrub.Bytes(buf.Bytes())))); err != nil {
		return fmt.Errorf("write comparison: %w", err)
	}
	return nil
}

// htmlCompare is what compare.html.tmpl reads.
type htmlCompare struct {
	Page       htmlPage
	Title      string
	Heading    string
	URL        string
	BeforeName string
	AfterName  string
	Summary    string
	Worse      bool
	Tables     []ChangeTable
	Pairs      []htmlPair
}

type htmlPair struct {
	N              int
	Request, Label string
	Detail         string
	Before, After  htmlSide
}

// htmlSide is one side of a pair: a finding drawn as in the report, or
// the sentence that says why the side is empty (and a grid when known).
type htmlSide struct {
	Side     string // "before" or "after"
	Name     string
	Empty    string
	Severity record.Severity
	Stop     string
	Summary  string
	Facts    string
	Status   string
	SVG      *htmlSVG
	Grid     *htmlGrid
}

func compareView(c *Comparison) htmlCompare {
	v := htmlCompare{Page: comparePage, Heading: c.Heading, URL: c.After.Target.URL, BeforeName: c.BeforeName,
		AfterName: c.AfterName, Summary: c.Summary, Worse: c.Worse, Tables: c.Tables}
	if v.URL == "" {
		v.URL = c.Before.Target.URL
	}
	v.Title = c.Heading + ": " + v.URL
	for i, ch := range c.Changes {
		p := htmlPair{N: i + 1, Request: ch.Request.String(), Label: ch.Label, Detail: ch.Detail}
		p.Before = sideOf(c.Before, ch.Before, requestObs(c.Before, ch.Request), "before", c.BeforeName, or(ch.EmptyBefore, c.EmptyBefore))
		afterObs := ch.Observations
		if len(afterObs) == 0 {
			afterObs = requestObs(c.After, ch.Request)
		}
		p.After = sideOf(c.After, ch.After, afterObs, "after", c.AfterName, or(ch.EmptyAfter, c.EmptyAfter))
		v.Pairs = append(v.Pairs, p)
	}
	return v
}

// sideOf draws finding id of rep, or an empty side: the sentence, and the
// grid of obs when the request was sent and nothing was found.
func sideOf(rep *record.Report, id string, obs []string, side, name, empty string) htmlSide {
	s := htmlSide{Side: side, Name: name}
	f := findingByID(rep, id)
	if f == nil {
		s.Grid = sideGrid(rep, &record.Finding{Observations: obs})
		switch {
		case empty != "":
			s.Empty = empty
		case s.Grid != nil:
			s.Empty = "No finding for this request in " + name + ": it was sent, and the grid shows how it went."
		default:
			s.Empty = "This request was not sent in " + name + "."
		}
		return s
	}
	s.Severity, s.Summary, s.Facts, s.Status = f.Severity, f.Summary, findingFacts(f), statusPair(f.Status)
	if f.Severity == record.SevBlock {
		s.SVG = pathSVG(hops(stopLayer(f)))
		if s.SVG != nil {
			s.Stop = s.SVG.Stop
		}
	}
	s.Grid = sideGrid(rep, f)
	return s
}

// requestObs lists the observations of req as sent (no variant) in rep.
func requestObs(rep *record.Report, req record.Request) []string {
	var ids []string
	for i := range rep.Observations {
		o := &rep.Observations[i]
		if o.Variant == "" && o.Request.Method == req.Method && o.Request.Route == req.Route && o.Request.Auth == req.Auth {
			ids = append(ids, o.ID)
		}
	}
	return ids
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func findingByID(rep *record.Report, id string) *record.Finding {
	if id == "" {
		return nil
	}
	for i := range rep.Findings {
		if rep.Findings[i].ID == id {
			return &rep.Findings[i]
		}
	}
	return nil
}

// compareStyle is what the comparison page adds to the shared style: two
// columns side by side, one under the other on a narrow screen.
const compareStyle = `main { max-width:1280px; }
.worse { background:var(--bad-bg); border-left:4px solid var(--red); padding:12px 16px; margin:0 0 20px; font-weight:600; }
section.change { background:var(--card); border:1px solid var(--line); border-radius:4px; padding:16px 20px; margin:0 0 20px; }
section.change .label { display:inline-block; font-size:12px; font-weight:700; padding:1px 7px; border-radius:3px; color:#fff; background:var(--blue); margin-right:6px; vertical-align:2px; }
.sides { display:grid; grid-template-columns:1fr 1fr; gap:16px; }
.side { border:1px solid var(--line); border-top:4px solid var(--blue); border-radius:4px; padding:10px 14px; background:var(--soft); min-width:0; }
.side.block { border-top-color:var(--red); } .side.warn { border-top-color:var(--amber); }
.side h3 { margin-top:0; } .side h3 .mono { text-transform:none; letter-spacing:0; }
.side .verdict { font-size:15px; }
.side table.grid { min-width:0; }
.empty { color:var(--muted); font-style:italic; }
@media (max-width:760px) { .sides { grid-template-columns:1fr; } }
`

var comparePage = htmlPage{CSP: pageAssets.CSP, Script: pageAssets.Script, Style: compareStyle}
