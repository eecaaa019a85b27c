package signature

import (
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// maxIncident caps an extracted incident id.
const maxIncident = 128

// eval reports whether one condition holds, and the marker text to show.
func (c *cond) eval(v *view) (bool, string) {
	switch c.kind {
	case condCode:
		return v.wpErr != nil && v.wpErr.Code == c.name, c.marker
	case condHeader:
		return c.evalHeader(v)
	case condCookie:
		for _, name := range v.cookies {
			if strings.HasPrefix(name, c.name) {
				return true, "cookie " + name
			}
		}
		return false, ""
	case condContains, condIContains:
		return v.literals()[c.lit], c.marker
	case condMarkup:
		return strings.Contains(v.body, c.name), c.marker
	case condMessage:
		if v.wpErr == nil || !c.re.MatchString(v.wpErr.Message) {
			return false, ""
		}
		return true, fmt.Sprintf("wp_error message %q", clip(v.wpErr.Message, 80))
	default:
		if !c.pre.mayMatch(v) {
			return false, ""
		}
		loc := c.re.FindStringIndex(v.body)
		if loc == nil {
			return false, ""
		}
		return true, fmt.Sprintf("body %q", clip(v.body[loc[0]:loc[1]], 80))
	}
}

func (c *cond) evalHeader(v *view) (bool, string) {
	vals, ok := v.header[c.name]
	if !ok {
		return false, ""
	}
	if c.re == nil {
		return true, c.marker
	}
	for _, val := range vals {
		if c.re.MatchString(val) {
			return true, c.name + ": " + clip(val, 80)
		}
	}
	return false, ""
}

// fire evaluates a signature; it returns nil when it does not match.
func (c *compiled) fire(v *view) *record.Match {
	if c.status != nil && !c.status.has(v.status) {
		return nil
	}
	listed := c.status != nil || c.sig.SuccessStatus
	g := gate{text: !c.phrases || v.phrasesCount(listed), markup: !c.markup || v.markupCounts(listed)}
	if c.sig.Kind == record.KindRefusal && !c.wpBased && v.restJSON() || !c.holds(v, g) {
		return nil
	}
	s := c.sig
	m := &record.Match{
		ID: s.ID, Vendor: s.Vendor, Product: s.Product, Layer: s.Layer, Kind: s.Kind,
		Meaning: s.Meaning, Markers: c.markers(v, g), IncidentID: c.extract(v),
	}
	if s.Kind == record.KindRefusal {
		m.Mechanism = c.mechanism(v.status)
	}
	return m
}

// gate says which body conditions may count: text (phrases, hidden by
// the theme page guard and the error-status rule) and markup (the
// vendor's own page structure, hidden only by the error-status rule).
type gate struct{ text, markup bool }

// open reports whether the gate lets the condition count.
func (g gate) open(c *cond) bool {
	switch {
	case c.kind == condMarkup:
		return g.markup
	case c.readsBody():
		return g.text
	}
	return true
}

var allOpen = gate{text: true, markup: true}

// holds checks the conditions without building markers. Body conditions
// the gate closes do not hold in all and any.
func (c *compiled) holds(v *view, g gate) bool {
	for i := range c.all {
		if !g.open(&c.all[i]) {
			return false
		}
		if ok, _ := c.all[i].eval(v); !ok {
			return false
		}
	}
	if len(c.any) > 0 && !anyHolds(c.any, v, g) {
		return false
	}
	return !anyHolds(c.none, v, allOpen)
}

func anyHolds(cs []cond, v *view, g gate) bool {
	for i := range cs {
		if !g.open(&cs[i]) {
			continue
		}
		if ok, _ := cs[i].eval(v); ok {
			return true
		}
	}
	return false
}

// readsBody reports whether the condition reads the body's text.
func (c *cond) readsBody() bool {
	return c.kind == condContains || c.kind == condIContains || c.kind == condBody
}

// markers lists what matched, for a signature that fired.
func (c *compiled) markers(v *view, g gate) []string {
	var out []string
	if c.status != nil {
		out = append(out, "status "+strconv.Itoa(v.status))
	}
	for _, group := range [][]cond{c.all, c.any} {
		for i := range group {
			if !g.open(&group[i]) {
				continue
			}
			if ok, m := group[i].eval(v); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// extract returns the incident id, or "".
func (c *compiled) extract(v *view) string {
	if c.incHdr == "" && c.incident == nil {
		return ""
	}
	src := v.body
	if c.incHdr != "" {
		src = v.get(c.incHdr)
		if c.incident == nil {
			return clip(strings.TrimSpace(src), maxIncident)
		}
	}
	sm := c.incident.FindStringSubmatch(src)
	if len(sm) < 2 {
		return ""
	}
	return clip(strings.TrimSpace(html.UnescapeString(sm[1])), maxIncident)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
