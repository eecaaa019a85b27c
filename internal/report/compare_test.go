package report

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// diffComparison is the page 'wp403 diff waf-rule.json edge-block.json
// --format html' lays out: a WAF refusal gone, an edge refusal new, a
// warning gone, and one status that flipped.
func diffComparison() *Comparison {
	return &Comparison{Heading: "wp403 diff", Before: wafRuleReport(), After: edgeBlockReport(),
		BeforeName: "waf-rule.json", AfterName: "edge-block.json",
		Summary: "1 appeared, 2 disappeared, 0 changed; 1 status flipped; 0 checks changed — B is worse than A", Worse: true,
		Changes: []Change{
			{Request: record.Request{Method: "GET", Route: "/", Auth: record.AuthNone}, Label: "disappeared", Before: "f2"},
			{Request: record.Request{Method: "POST", Route: "/wp/v2/posts", Auth: record.AuthAppPassword}, Label: "appeared", After: "f1"},
			{Request: record.Request{Method: "POST", Route: "/wp/v2/posts", Auth: record.AuthCookieNonce}, Label: "disappeared", Before: "f1"},
		},
		Tables: []ChangeTable{{Title: "Statuses that flipped", Head: []string{"Vantage", "Request", "A", "B"},
			Rows: [][]string{{"origin", "POST /wp-json/wp/v2/posts (app-password)", "not measured", "201"}}}},
	}
}

// retestReport is a retest of wafRuleReport after a change: the post save
// now gets through, the post update is refused at the edge instead.
func retestReport() *record.Report {
	r := baseReport("https://blog.example.com/")
	r.Command = "retest"
	save := record.Request{Method: "POST", Route: "/wp/v2/posts", Auth: record.AuthCookieNonce}
	update := record.Request{Method: "PUT", Route: "/wp/v2/posts/42", Auth: record.AuthCookieNonce}
	r.Observations = []record.Observation{
		obs("o1", record.VantageEdge, "POST", "https://blog.example.com/wp-json/wp/v2/posts", record.AuthCookieNonce, 201, record.LayerWordPress, ""),
		obs("o2", record.VantageOrigin, "POST", "https://blog.example.com/wp-json/wp/v2/posts", record.AuthCookieNonce, 201, record.LayerWordPress, ""),
		obs("o3", record.VantageEdge, "PUT", "https://blog.example.com/wp-json/wp/v2/posts/42", record.AuthCookieNonce, 403, record.LayerEdge, "HAProxy"),
		obs("o4", record.VantageOrigin, "PUT", "https://blog.example.com/wp-json/wp/v2/posts/42", record.AuthCookieNonce, 200, record.LayerWordPress, ""),
	}
	r.Findings = []record.Finding{{ID: "f1", Severity: record.SevBlock, Layer: record.LayerEdge, Mechanism: record.MechMethodRule,
		Request: update, Status: record.StatusPair{Edge: 403, Origin: 200}, Confidence: record.ConfHigh, StoppedAt: record.LayerEdge,
		Summary:      "The edge refused PUT with its own 403 page; the origin accepted the same request.",
		Observations: []string{"o3", "o4"}}}
	r.Checks = []record.Check{
		{Name: save.String(), Request: save, Expect: record.ExpectAllow, Pass: true, Verdict: record.VerdictFixed,
			Status: record.StatusPair{Edge: 201, Origin: 201}, Previous: record.LayerWAF, Detail: "fixed: 201", Observations: []string{"o1", "o2"}},
		{Name: update.String(), Request: update, Expect: record.ExpectAllow, Verdict: record.VerdictMoved, Layer: record.LayerEdge,
			Status: record.StatusPair{Edge: 403, Origin: 200}, Previous: record.LayerWAF, Finding: "f1",
			Detail: "still refused (403), now at the edge instead of the waf", Observations: []string{"o3", "o4"}},
	}
	return r
}

func TestGoldenComparison(t *testing.T) {
	t.Run("diff", func(t *testing.T) {
		var buf bytes.Buffer
		if err := RenderComparison(&buf, diffComparison(), nil); err != nil {
			t.Fatal(err)
		}
		compareGolden(t, buf.Bytes(), "diff.html")
	})
	t.Run("retest", func(t *testing.T) {
		r, err := New("html", Options{Before: wafRuleReport()})
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, r, retestReport, "retest.html")
	})
}

func compareGolden(t *testing.T, got []byte, file string) {
	t.Helper()
	checkGolden(t, rendered(got), func() *record.Report { return nil }, file)
}

// rendered is a Renderer that writes bytes already rendered.
type rendered []byte

func (b rendered) Render(w io.Writer, _ *record.Report) error {
	_, err := w.Write(b)
	return err
}

// TestComparisonSides checks what each side of the retest page holds:
// the earlier WAF finding beside the grid of the request that now passes,
// and beside the edge finding it moved to.
func TestComparisonSides(t *testing.T) {
	c := retestComparison(wafRuleReport(), retestReport())
	v := compareView(c)
	if len(v.Pairs) != 2 {
		t.Fatalf("pairs = %d, want 2", len(v.Pairs))
	}
	fixed, moved := v.Pairs[0], v.Pairs[1]
	if fixed.Before.Stop != "waf" || fixed.After.Stop != "" || fixed.After.Empty == "" {
		t.Errorf("fixed: before stop %q, after stop %q empty %q", fixed.Before.Stop, fixed.After.Stop, fixed.After.Empty)
	}
	if fixed.After.Grid == nil || fixed.After.Grid.Rows[0].Cells[0].Outcome != "pass" {
		t.Errorf("fixed: the after side has no passing grid: %+v", fixed.After.Grid)
	}
	if moved.Before.Stop != "waf" || moved.After.Stop != "edge" {
		t.Errorf("moved: before stop %q, after stop %q", moved.Before.Stop, moved.After.Stop)
	}
	if c.Summary != "2 requests retested: 1 fixed, 1 moved." || !c.Worse {
		t.Errorf("summary %q worse %v", c.Summary, c.Worse)
	}
	if empty := sideOf(c.Before, "", nil, "before", "a.json", "none here"); empty.Empty != "none here" || empty.Grid != nil || empty.SVG != nil {
		t.Errorf("empty side = %+v", empty)
	}
}

// TestComparisonScrubs: a secret in either report never reaches the page.
func TestComparisonScrubs(t *testing.T) {
	const secret = "abcd EFGH ijkl MNOP qrst UVWX"
	c := diffComparison()
	c.Before.Findings[0].Summary += " " + secret
	c.After.Target.URL += "?k=" + secret
	s := &redact.Scrubber{}
	s.Add(secret)
	var buf bytes.Buffer
	if err := RenderComparison(&buf, c, s); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), secret) || strings.Contains(buf.String(), "abcd") {
		t.Error("the secret reached the page")
	}
}
