package exporter

import (
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wp403/wp403/internal/policy"
	"github.com/wp403/wp403/internal/product"
	"github.com/wp403/wp403/internal/record"
)

// other is the label value of anything outside a closed set.
const other = "other"

// Vocab bounds label values: the vendor label is the display name of a
// product of the registry (internal/product), read by the finding's
// product id; any other vendor is "other".
type Vocab struct{ reg *product.Registry }

// NewVocab returns the vocabulary of the product registry.
func NewVocab(reg *product.Registry) Vocab { return Vocab{reg: reg} }

// DefaultVocab is the vocabulary of the embedded registry.
func DefaultVocab() Vocab { return NewVocab(product.Default()) }

func (v Vocab) vendor(f *record.Finding) string {
	if v.reg != nil {
		if p := v.reg.ByID(f.Product); p != nil {
			return p.Name
		}
	}
	if f.Vendor == "" {
		return ""
	}
	return other
}

func layer(l record.Layer) string {
	for _, k := range record.Layers {
		if l == k {
			return string(l)
		}
	}
	if l == "" {
		return ""
	}
	return other
}

func mechanism(m record.Mechanism) string {
	for _, k := range record.Mechanisms {
		if m == k {
			return string(m)
		}
	}
	if m == "" {
		return ""
	}
	return other
}

// Gather fills reg with one probe's metrics.
func Gather(reg *prometheus.Registry, res Result, vocab Vocab) {
	success := gauge(reg, "wp403_probe_success", "1 when the probe ran and the site meets its policy (or, for the default plan, no REST request was refused).")
	gauge(reg, "wp403_probe_duration_seconds", "How long the probe took.").Set(res.Duration.Seconds())
	if res.Logins > 0 {
		out := gauge(reg, "wp403_probe_logout_success", "1 when every wp-login.php session the probe opened was logged out at its end.")
		if res.Logout == nil {
			out.Set(1)
		}
	}
	if p := problem(res.Report); p != nil {
		gaugeVec(reg, "wp403_probe_problem", "1 when the site could not be diagnosed at all: kind says why (no-answer, not-wordpress).",
			"kind").WithLabelValues(problemKind(p.Kind)).Set(1)
	}
	if res.Err != nil || res.Report == nil {
		return
	}
	ok := true
	if res.Module == ModulePolicy {
		ok = checks(reg, res.Report)
	} else if res.Report.Refusals() > 0 {
		ok = false
	}
	if ok {
		success.Set(1)
	}
	routes := allowedRoutes(res)
	refusals(reg, res.Report, routes, vocab)
	statuses(reg, res, routes)
}

func problemKind(k record.ProblemKind) string {
	switch k {
	case record.ProblemNoAnswer, record.ProblemNotWordPress:
		return string(k)
	}
	return other
}

func gauge(reg *prometheus.Registry, name, help string) prometheus.Gauge {
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
	reg.MustRegister(g)
	return g
}

func gaugeVec(reg *prometheus.Registry, name, help string, labels ...string) *prometheus.GaugeVec {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
	reg.MustRegister(g)
	return g
}

// checks exports one series per rule × method × identity and reports
// whether all pass.
func checks(reg *prometheus.Registry, rep *record.Report) bool {
	pass := gaugeVec(reg, "wp403_check_pass", "1 when a policy rule holds for a method and identity; layer names the layer that refused (or, for a deny rule, still refuses).",
		"rule", "method", "identity", "expect", "layer")
	all := true
	for _, c := range rep.Checks {
		v := 0.0
		if c.Pass {
			v = 1
		} else {
			all = false
		}
		pass.WithLabelValues(c.Name, c.Request.Method, c.Identity, string(c.Expect), layer(c.Layer)).Set(v)
	}
	return all
}

// refusals exports one series per refused request, naming who refused it.
func refusals(reg *prometheus.Registry, rep *record.Report, routes map[string]bool, vocab Vocab) {
	ref := gaugeVec(reg, "wp403_refusal", "1 for each refused request: the layer, mechanism and vendor that refused it.",
		"route", "method", "auth", "layer", "mechanism", "vendor")
	for _, f := range rep.Findings {
		if f.Severity != record.SevBlock {
			continue
		}
		for _, r := range refused(f) {
			ref.WithLabelValues(route(r.Route, routes), method(r.Method), auth(r.Auth),
				layer(f.Layer), mechanism(f.Mechanism), vocab.vendor(&f)).Set(1)
		}
	}
}

// refused lists every request a finding covers: its request with each
// auth kind refused for the same reason, and the related requests.
func refused(f record.Finding) []record.Request {
	out := []record.Request{f.Request}
	for _, a := range f.Auths {
		if a != f.Request.Auth {
			r := f.Request
			r.Auth = a
			out = append(out, r)
		}
	}
	return append(out, f.Related...)
}

// statuses exports the status of each planned request (the policy's, or
// the default plan's) as sent (no variant), at each vantage; the first of
// several requests with one label set wins.
func statuses(reg *prometheus.Registry, res Result, routes map[string]bool) {
	st := gaugeVec(reg, "wp403_status", "HTTP status of a request as sent, per vantage (-1: no HTTP answer).",
		"route", "method", "auth", "vantage")
	seen := map[string]bool{}
	for i := range res.Report.Observations {
		o := &res.Report.Observations[i]
		if o.Variant != "" || !planWave(o.Wave) || o.Request.Route == "" {
			continue
		}
		lv := []string{route(o.Request.Route, routes), method(o.Request.Method), auth(o.Request.Auth), string(o.Vantage)}
		key := strings.Join(lv, "\x00")
		if seen[key] || (o.Vantage != record.VantageEdge && o.Vantage != record.VantageOrigin) {
			continue
		}
		seen[key] = true
		v := -1.0
		if o.Response != nil {
			v = float64(o.Response.Status)
		}
		st.WithLabelValues(lv...).Set(v)
	}
}

// allowedRoutes is the set of routes labels may carry: the policy's, or
// the default plan's (they come from wp403's code, never from answers).
func allowedRoutes(res Result) map[string]bool {
	out := map[string]bool{}
	if res.Module == ModulePolicy {
		for _, r := range res.Site.Policy.Rules {
			for _, m := range r.Methods {
				out[policy.Spec(r, m).Route] = true
			}
		}
		return out
	}
	for i := range res.Report.Observations {
		if o := &res.Report.Observations[i]; planWave(o.Wave) && len(out) < 64 {
			out[o.Request.Route] = true
		}
	}
	return out
}

func route(r string, allowed map[string]bool) string {
	if allowed[r] {
		return r
	}
	return other
}

// method keeps HTTP method tokens (bounded by the plan) short.
func method(m string) string {
	if len(m) > 16 {
		return other
	}
	return m
}

func auth(a record.AuthKind) string {
	switch a {
	case record.AuthNone, record.AuthCookieNonce, record.AuthCookieOnly, record.AuthAppPassword, record.AuthCustom:
		return string(a)
	}
	return other
}

// planWave reports whether a wave sent planned requests: the plan, and
// the plan with cookie + nonce ("plan (cookie + nonce)").
func planWave(w string) bool { return w == "plan" || strings.HasPrefix(w, "plan (") }
