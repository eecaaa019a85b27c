package signature

import (
	"fmt"
	"slices"

	"github.com/wp403/wp403/internal/product"
	"github.com/wp403/wp403/internal/record"
)

// Classify says which layer provably wrote resp, whether it is a refusal,
// and which signatures matched. req may be nil; when given, it tells
// whether the request addressed the REST API. Classify is pure.
func (db *DB) Classify(req *record.HTTPRequest, resp *record.HTTPResponse) *record.Class {
	if resp == nil {
		return &record.Class{Producer: record.LayerNetwork, Refusal: true,
			Reasons: []string{"no HTTP response was read"}}
	}
	var ls *litScanner
	if db != nil {
		ls = db.lits
	}
	v := newView(resp, ls)
	cls := &record.Class{WPError: v.wpErr, Page: pageShape(v), ThemePage: v.themePage()}
	if cls.Page == "plugin-page" {
		cls.Plugin = pluginSlug(v.body)
	}
	markers := v.rest
	cls.REST = len(markers) > 0
	var matches []record.Match
	if db != nil {
		matches = db.fireAll(v)
	}
	top := pickTop(matches)
	if top >= 0 {
		db.fromSignature(cls, &matches[top], v.status)
	} else {
		genericClass(cls, v, req, matches)
	}
	if st, ok := v.stockPage(); ok && top >= 0 {
		cls.Reasons = append(cls.Reasons, stockReason(st, v.status))
	}
	if cls.REST {
		cls.Reasons = append(cls.Reasons, "WordPress REST server headers present: "+markers[0])
	}
	restDetailReasons(cls, v)
	coreRoute(cls, req, v.status)
	cls.Matches = order(matches, top)
	pageFacts(cls, v)
	refusalShapes(cls, v, req)
	cls.Product = classProduct(cls, top >= 0)
	return cls
}

// classProduct is the registry id of the class's vendor: the refusal
// signature's product, the plugin whose assets the page loads, or the
// registry entry named exactly by a stock page or the Server header.
func classProduct(cls *record.Class, bySignature bool) string {
	var p *product.Product
	switch {
	case bySignature && len(cls.Matches) > 0:
		return cls.Matches[0].Product
	case cls.Vendor == "":
		return ""
	case cls.Vendor == cls.Plugin:
		p = product.Default().ByAsset(cls.Plugin)
	default:
		p = product.Named(cls.Vendor)
	}
	if p == nil {
		return ""
	}
	return p.ID
}

// fireAll runs every signature that can apply and drops those another
// match supersedes. Signatures keyed on a WP_Error code run only when the
// body carries that code.
func (db *DB) fireAll(v *view) []record.Match {
	var out []record.Match
	var dropped map[string]bool
	groups := [2][]*compiled{db.general}
	if v.wpErr != nil {
		groups[1] = db.byCode[v.wpErr.Code]
	}
	for _, group := range groups {
		for _, c := range group {
			m := c.fire(v)
			if m == nil {
				continue
			}
			out = append(out, *m)
			for _, id := range c.sig.Supersedes {
				if dropped == nil {
					dropped = map[string]bool{}
				}
				dropped[id] = true
			}
		}
	}
	if dropped == nil {
		return out
	}
	return slices.DeleteFunc(out, func(m record.Match) bool { return dropped[m.ID] })
}

// pickTop returns the index of the refusal match that decides the class:
// the innermost layer wins (an outer layer cannot write an inner layer's
// page), database order breaks ties. -1 when no refusal matched.
func pickTop(ms []record.Match) int {
	top := -1
	for i := range ms {
		if ms[i].Kind != record.KindRefusal {
			continue
		}
		if top < 0 || layerDepth(ms[i].Layer) > layerDepth(ms[top].Layer) {
			top = i
		}
	}
	return top
}

func layerDepth(l record.Layer) int { return slices.Index(record.Layers, l) }

func (db *DB) fromSignature(cls *record.Class, m *record.Match, status int) {
	cls.Producer, cls.Vendor, cls.Refusal = m.Layer, m.Vendor, true
	if i, ok := db.byID[m.ID]; ok && db.sigs[i].Page != "" {
		cls.Page = db.sigs[i].Page
	}
	r := fmt.Sprintf("%s refusal signature %s matched: %s", m.Vendor, m.ID, m.Meaning)
	if m.IncidentID != "" {
		r += " (incident id " + m.IncidentID + ")"
	}
	cls.Reasons = append(cls.Reasons, r)
	if cls.WPError != nil {
		if r := wpStatusReason(status); r != "" {
			cls.Reasons = append(cls.Reasons, r)
		}
	}
}

// order puts the deciding match first, then other refusals, then presence.
func order(ms []record.Match, top int) []record.Match {
	if len(ms) == 0 {
		return nil
	}
	out := make([]record.Match, 0, len(ms))
	if top >= 0 {
		out = append(out, ms[top])
	}
	for _, kind := range []record.SignatureKind{record.KindRefusal, record.KindPresence} {
		for i := range ms {
			if i != top && ms[i].Kind == kind {
				out = append(out, ms[i])
			}
		}
	}
	return out
}
