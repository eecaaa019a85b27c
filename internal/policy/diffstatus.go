package policy

import (
	"github.com/wp403/wp403/internal/record"
)

// statusKey names an as-sent request at a vantage.
type statusKey struct {
	request string
	vantage record.Vantage
}

// statusesOf returns the first status of every as-sent request.
func statusesOf(r *record.Report) (map[statusKey]int, []statusKey) {
	out := map[statusKey]int{}
	var order []statusKey
	for i := range r.Observations {
		o := &r.Observations[i]
		if o.Variant != "" || (o.Vantage != record.VantageEdge && o.Vantage != record.VantageOrigin) {
			continue
		}
		k := statusKey{o.Request.Method + " " + pathQuery(o.Request.URL) + " (" + string(o.Request.Auth) + ")", o.Vantage}
		if _, dup := out[k]; dup {
			continue
		}
		out[k] = statusOf(o)
		order = append(order, k)
	}
	return out, order
}

func (d *Diff) statuses(a, b *record.Report) {
	before, _ := statusesOf(a)
	after, order := statusesOf(b)
	for _, k := range order {
		old, ok := before[k]
		if !ok || old == after[k] {
			continue
		}
		d.Statuses = append(d.Statuses, StatusChange{Request: k.request, Vantage: k.vantage, Before: old, After: after[k]})
		if ok2xx(old) && !ok2xx(after[k]) {
			d.Worse = true
		}
	}
}

func ok2xx(st int) bool { return st >= 200 && st < 300 }

func (d *Diff) checks(a, b *record.Report) {
	key := func(c record.Check) string { return c.Name + "\x00" + c.Identity + "\x00" + c.Request.String() }
	before := map[string]record.Check{}
	for _, c := range a.Checks {
		before[key(c)] = c
	}
	for _, c := range b.Checks {
		old, ok := before[key(c)]
		if !ok || (old.Pass == c.Pass && old.Verdict == c.Verdict) {
			continue
		}
		d.Checks = append(d.Checks, CheckChange{Name: c.Name, Identity: c.Identity, Request: c.Request,
			Before: old.Verdict, After: c.Verdict, Pass: c.Pass})
		if old.Pass && !c.Pass {
			d.Worse = true
		}
	}
}
