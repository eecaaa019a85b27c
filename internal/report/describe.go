package report

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// Helpers shared by the renderers: how a status, an observation or a
// count reads, so that every format says the same thing the same way.

// statusWord renders one status of a StatusPair: "" for not measured.
func statusWord(n int) string {
	switch {
	case n == 0:
		return ""
	case n < 0:
		return "no response"
	default:
		return strconv.Itoa(n)
	}
}

// statusPair renders "edge 403, origin 200", leaving out what was not measured.
func statusPair(s record.StatusPair) string {
	var parts []string
	if w := statusWord(s.Edge); w != "" {
		parts = append(parts, "edge "+w)
	}
	if w := statusWord(s.Origin); w != "" {
		parts = append(parts, "origin "+w)
	}
	return strings.Join(parts, ", ")
}

// obsResult is the status code, or the failure when no response was read.
func obsResult(o *record.Observation) string {
	switch {
	case o.Failure != "":
		return string(o.Failure)
	case o.Response != nil:
		return strconv.Itoa(o.Response.Status)
	default:
		return "-"
	}
}

// obsTarget is the path and query that was requested, which shows the
// route style (/wp-json/… or ?rest_route=…) as well as the route.
func obsTarget(o *record.Observation) string {
	if u, err := url.Parse(o.Request.URL); err == nil && u.Path+u.RawQuery != "" {
		if u.RawQuery != "" {
			return u.EscapedPath() + "?" + u.RawQuery
		}
		return u.EscapedPath()
	}
	if o.Request.Route != "" {
		return o.Request.Route
	}
	return o.Request.URL
}

// obsProducer names the layer that wrote the response, with its vendor.
func obsProducer(o *record.Observation) string {
	if o.Class == nil || o.Class.Producer == "" {
		return ""
	}
	if v := o.Class.Vendor; v != "" && !strings.EqualFold(v, string(o.Class.Producer)) {
		return string(o.Class.Producer) + " (" + v + ")"
	}
	return string(o.Class.Producer)
}

// obsNote is what is most telling about an observation: the body it
// carried when that is the point, the WordPress error code, the
// signature that fired, or the transport error.
func obsNote(o *record.Observation) string {
	var parts []string
	if o.Variant != "" {
		parts = append(parts, string(o.Variant))
	}
	if k := o.Request.BodyKind; k != "" && o.Variant == record.VarAsSent {
		parts = append(parts, k+" body")
	}
	switch {
	case o.Class != nil && o.Class.WPError != nil:
		parts = append(parts, o.Class.WPError.Code)
	case o.Class.Top() != nil && o.Class.Top().Kind == record.KindRefusal:
		parts = append(parts, o.Class.Top().Meaning)
	case o.Error != "":
		parts = append(parts, o.Error)
	case o.Class != nil && o.Class.Refusal && len(o.Class.Reasons) > 0:
		parts = append(parts, o.Class.Reasons[0])
	}
	return strings.Join(parts, "; ")
}

// tally counts findings by severity, checks by outcome and observations
// by vantage.
type tally struct {
	block, warn, info int
	checks, failed    int
	vantages          map[record.Vantage]int
}

func count(r *record.Report) tally {
	t := tally{vantages: map[record.Vantage]int{}}
	for _, f := range r.Findings {
		switch f.Severity {
		case record.SevBlock:
			t.block++
		case record.SevWarn:
			t.warn++
		default:
			t.info++
		}
	}
	for _, c := range r.Checks {
		t.checks++
		if !c.Pass {
			t.failed++
		}
	}
	for _, o := range r.Observations {
		t.vantages[o.Vantage]++
	}
	return t
}

// String is the footer sentence: "1 refusal, 2 warnings, 1 info; 12 observations (6 edge, 6 origin)";
// zero warnings or info are left out.
func (t tally) String() string {
	s := plural(t.block, "refusal")
	if t.checks > 0 {
		s = fmt.Sprintf("%d of %s failed, %s", t.failed, plural(t.checks, "check"), s)
	}
	if t.warn > 0 {
		s += ", " + plural(t.warn, "warning")
	}
	if t.info > 0 {
		s += fmt.Sprintf(", %d info", t.info)
	}
	total := 0
	var parts []string
	for _, v := range []record.Vantage{record.VantageEdge, record.VantageOrigin, record.VantageHAR, record.VantageLog} {
		if n := t.vantages[v]; n > 0 {
			total += n
			parts = append(parts, fmt.Sprintf("%d %s", n, v))
		}
	}
	s += "; " + plural(total, "observation")
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// cited returns the observations a finding cites, in citation order,
// skipping ids that are not in the report.
func cited(r *record.Report, f *record.Finding) []*record.Observation {
	var out []*record.Observation
	for _, id := range f.Observations {
		if o := r.Observation(id); o != nil {
			out = append(out, o)
		}
	}
	return out
}

// stopLayer is where the path line marks the request as stopped.
func stopLayer(f *record.Finding) record.Layer {
	if f.StoppedAt != "" {
		return f.StoppedAt
	}
	return f.Layer
}

// checkRow is one check as cells: outcome, name, expectation and
// request, status, and the finding that explains a failure.
func checkRow(c record.Check) []string {
	outcome := "PASS"
	if !c.Pass {
		outcome = "FAIL"
	}
	explained := ""
	if c.Finding != "" {
		explained = "see " + c.Finding
	}
	return []string{outcome, c.Name, checkTarget(c), statusPair(c.Status), explained}
}

// checkTarget is "allow POST /wp/v2/posts as integration": the identity
// when the policy names one, else the auth kind.
func checkTarget(c record.Check) string {
	s := string(c.Expect) + " " + c.Request.Method + " " + c.Request.Route
	switch {
	case c.Identity != "":
		return s + " as " + c.Identity
	case c.Request.Auth != "":
		return s + " (" + string(c.Request.Auth) + ")"
	}
	return s
}

// fixTitle is "Product: Title", without a product that says nothing.
func fixTitle(m *record.Remedy) string {
	if m.Product == "" || strings.EqualFold(m.Product, "unknown") {
		return m.Title
	}
	return m.Product + ": " + m.Title
}

// fixLabel is "fix", or "fix 2 of 3" when a finding offers several.
func fixLabel(i, n int) string {
	if n <= 1 {
		return "fix"
	}
	return fmt.Sprintf("fix %d of %d", i+1, n)
}

// related is "PUT /wp/v2/posts/42 (cookie+nonce), …": the other
// requests a finding says were refused for the same reason.
func related(f *record.Finding) []string {
	out := make([]string, 0, len(f.Related))
	for _, q := range f.Related {
		out = append(out, q.String())
	}
	return out
}

// title is "POST /wp/v2/posts (cookie+nonce)", or the finding id when the
// finding names no request.
func title(f *record.Finding) string {
	if f.Request.Method == "" && f.Request.Route == "" {
		return f.ID
	}
	if len(f.Auths) > 1 {
		kinds := make([]string, len(f.Auths))
		for i, a := range f.Auths {
			kinds[i] = string(a)
		}
		return f.Request.Method + " " + f.Request.Route + " (" + strings.Join(kinds, ", ") + ")"
	}
	return f.Request.String()
}
