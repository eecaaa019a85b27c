package report

import (
	"strconv"

	"github.com/wp403/wp403/internal/record"
)

// statusGrid is the differential reasoning of one finding at a glance:
// one row for the request as sent and one per variant, one column per
// vantage point (edge, origin, or where the evidence came from), each cell
// the outcome and who answered. Every renderer draws the same grid.
type statusGrid struct {
	Cols []record.Vantage
	Rows []gridRow
}

type gridRow struct {
	Label string
	Cells []gridCell
}

// gridCell is one request at one vantage point. Outcome is "pass",
// "redirect", "refused", "failed" (no HTTP answer) or "none" (not sent).
type gridCell struct {
	Outcome string
	Status  string
	Who     string
	Obs     string
}

// Label is the cell as one short text: "403 waf (ModSecurity)".
func (c gridCell) Label() string {
	switch {
	case c.Outcome == "none":
		return "-"
	case c.Who == "":
		return c.Status
	default:
		return c.Status + " " + c.Who
	}
}

// gridVantages is the column order: the two vantage points the
// differential compares, then recorded evidence.
var gridVantages = []record.Vantage{record.VantageEdge, record.VantageOrigin, record.VantageHAR, record.VantageLog}

// gridFor builds the grid of every observation of the probes the finding
// cites; nil when there is only one cell, which says nothing a table of
// evidence does not.
func gridFor(rep *record.Report, f *record.Finding) *statusGrid {
	g := buildGrid(rep, f)
	if len(g.Rows)*len(g.Cols) < 2 {
		return nil
	}
	return g
}

// buildGrid is the grid of the probes the finding cites, however small.
func buildGrid(rep *record.Report, f *record.Finding) *statusGrid {
	probes := map[string]bool{}
	for _, o := range cited(rep, f) {
		probes[probeKey(o)] = true
	}
	var obs []*record.Observation
	for i := range rep.Observations {
		if o := &rep.Observations[i]; probes[probeKey(o)] {
			obs = append(obs, o)
		}
	}
	g := &statusGrid{Cols: gridColumns(obs)}
	rows := map[string]int{}
	for _, o := range obs {
		label := variantLabel(string(o.Variant))
		i, ok := rows[label]
		if !ok {
			i = len(g.Rows)
			rows[label] = i
			g.Rows = append(g.Rows, gridRow{Label: label, Cells: emptyCells(len(g.Cols))})
		}
		for j, v := range g.Cols {
			if v == o.Vantage && g.Rows[i].Cells[j].Outcome == "none" {
				g.Rows[i].Cells[j] = cellOf(o)
			}
		}
	}
	return g
}

func probeKey(o *record.Observation) string {
	if o.Probe != "" {
		return o.Probe
	}
	return o.ID
}

func gridColumns(obs []*record.Observation) []record.Vantage {
	seen := map[record.Vantage]bool{}
	for _, o := range obs {
		seen[o.Vantage] = true
	}
	var cols []record.Vantage
	for _, v := range gridVantages {
		if seen[v] {
			cols = append(cols, v)
		}
	}
	return cols
}

func emptyCells(n int) []gridCell {
	cells := make([]gridCell, n)
	for i := range cells {
		cells[i] = gridCell{Outcome: "none"}
	}
	return cells
}

// variantLabel names a row: the request as sent, or the one thing the
// variant changed.
func variantLabel(v string) string {
	if v == "" {
		return "as sent"
	}
	return v
}

// cellOf reads one observation: a 2xx passed, a 3xx was sent elsewhere,
// 400 and up was refused, no response failed.
func cellOf(o *record.Observation) gridCell {
	c := gridCell{Obs: o.ID, Who: obsProducer(o)}
	switch {
	case o.Response == nil:
		c.Outcome, c.Status, c.Who = "failed", obsResult(o), ""
	case o.Response.Status < 300:
		c.Outcome, c.Status = "pass", strconv.Itoa(o.Response.Status)
	case o.Response.Status < 400:
		c.Outcome, c.Status = "redirect", strconv.Itoa(o.Response.Status)
	default:
		c.Outcome, c.Status = "refused", strconv.Itoa(o.Response.Status)
	}
	return c
}

// gridTable is the grid as rows of text: a heading row, then one row per
// variant, each cell "status who".
func gridTable(g *statusGrid) (head []string, rows [][]string) {
	head = []string{"request"}
	for _, c := range g.Cols {
		head = append(head, string(c))
	}
	for _, r := range g.Rows {
		row := []string{r.Label}
		for _, c := range r.Cells {
			row = append(row, c.Label())
		}
		rows = append(rows, row)
	}
	return head, rows
}
