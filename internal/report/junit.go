package report

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// junitRenderer writes JUnit XML for CI: one testcase per policy check,
// per finding's request, and (when there are no checks) per other
// request wp403 sent. A block finding, or a check that did not pass, is
// a failure whose body is the text renderer's account of the refusal.
type junitRenderer struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

// junitText is element text written as CDATA, so that multi-line
// failure bodies read as they are in CI logs and raw files.
type junitText struct {
	Text string `xml:",cdata"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

func (junitRenderer) Render(w io.Writer, r *record.Report) error {
	r = xmlSafeReport(r)
	suite := junitSuite{
		Name:       strings.TrimSpace("wp403 " + r.Command + " " + r.Target.URL),
		Time:       seconds(r.DurationMS),
		Properties: junitProps(r),
		Cases:      junitCases(r),
	}
	if !r.Started.IsZero() {
		suite.Timestamp = r.Started.UTC().Format("2006-01-02T15:04:05")
	}
	for _, c := range suite.Cases {
		if c.Failure != nil {
			suite.Failures++
		}
	}
	suite.Tests = len(suite.Cases)
	doc := junitSuites{Name: "wp403", Tests: suite.Tests, Failures: suite.Failures, Time: suite.Time, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode junit report: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	return nil
}

func junitProps(r *record.Report) []junitProperty {
	var ps []junitProperty
	for _, kv := range [][2]string{{"schema", r.Schema}, {"target", r.Target.URL}, {"origin", r.Target.Origin}, {"source", r.Target.Source}} {
		if kv[1] != "" {
			ps = append(ps, junitProperty{Name: kv[0], Value: kv[1]})
		}
	}
	return ps
}

func junitCases(r *record.Report) []junitCase {
	var cases []junitCase
	explained := map[string]bool{}
	for _, c := range r.Checks {
		cases = append(cases, checkCase(r, c))
		explained[c.Finding] = c.Finding != ""
	}
	covered := map[string]bool{}
	for i := range r.Findings {
		f := &r.Findings[i]
		covered[requestKey(f.Request)] = true
		if !explained[f.ID] {
			cases = append(cases, findingCase(r, f))
		}
	}
	if len(r.Checks) > 0 {
		return cases
	}
	for i := range r.Observations {
		o := &r.Observations[i]
		key := requestKey(obsRequest(o))
		if o.Vantage == record.VantageEdge || o.Vantage == record.VantageOrigin {
			if !covered[key] {
				covered[key] = true
				cases = append(cases, junitCase{Name: obsRequest(o).String(), Classname: "wp403.request", Time: seconds(o.Timing.TotalMS)})
			}
		}
	}
	return cases
}

func findingCase(r *record.Report, f *record.Finding) junitCase {
	c := junitCase{
		Name:      title(f) + " [" + string(f.Mechanism) + "]",
		Classname: "wp403." + string(f.Layer),
		Time:      seconds(citedMS(r, f)),
	}
	if f.Severity == record.SevBlock {
		c.Failure = &junitFailure{Message: f.Summary, Type: string(f.Layer) + "/" + string(f.Mechanism), Text: findingText(r, f)}
	} else {
		c.SystemOut = &junitText{Text: strings.ToUpper(string(f.Severity)) + ": " + f.Summary}
	}
	return c
}

func checkCase(r *record.Report, ck record.Check) junitCase {
	c := junitCase{Name: ck.Name + " (" + checkTarget(ck) + ")", Classname: "wp403.check", Time: seconds(checkMS(r, ck))}
	if ck.Pass {
		return c
	}
	c.Failure = &junitFailure{Type: "check/" + string(ck.Expect),
		Message: fmt.Sprintf("expected %s, got %s", ck.Expect, statusPair(ck.Status))}
	for i := range r.Findings {
		if f := &r.Findings[i]; f.ID == ck.Finding {
			c.Failure.Message += ": " + f.Summary
			c.Failure.Type = string(f.Layer) + "/" + string(f.Mechanism)
			c.Failure.Text = findingText(r, f)
		}
	}
	return c
}

// xmlSafeReport returns a copy of r whose strings hold only characters
// XML 1.0 allows, since CDATA cannot escape the others.
func xmlSafeReport(r *record.Report) *record.Report {
	cp := new(record.Report)
	if b, err := json.Marshal(r); err == nil && json.Unmarshal(b, cp) == nil {
		redact.MapStrings(reflect.ValueOf(cp).Elem(), xmlSafe)
		return cp
	}
	return r
}

func xmlSafe(s string) string {
	return strings.Map(func(c rune) rune {
		switch {
		case c == '\t' || c == '\n' || c == '\r',
			c >= 0x20 && c <= 0xD7FF, c >= 0xE000 && c <= 0xFFFD, c >= 0x10000 && c <= 0x10FFFF:
			return c
		}
		return '\uFFFD'
	}, s)
}

// findingText is the text renderer's section for one finding, without colour.
func findingText(r *record.Report, f *record.Finding) string {
	t := &textWriter{width: 100}
	t.block(r, f)
	return "\n" + strings.TrimLeft(t.b.String(), "\n")
}

// obsRequest names an observation's request the way a finding does.
func obsRequest(o *record.Observation) record.Request {
	route := o.Request.Route
	if route == "" {
		route = obsTarget(o)
	}
	return record.Request{Method: o.Request.Method, Route: route, Auth: o.Request.Auth}
}

func requestKey(q record.Request) string { return q.Method + " " + q.Route + " " + string(q.Auth) }

func checkMS(r *record.Report, c record.Check) float64 {
	return citedMS(r, &record.Finding{Observations: c.Observations})
}

func citedMS(r *record.Report, f *record.Finding) float64 {
	var ms float64
	for _, o := range cited(r, f) {
		ms = max(ms, o.Timing.TotalMS)
	}
	return ms
}

func seconds(ms float64) string { return fmt.Sprintf("%.3f", ms/1000) }
