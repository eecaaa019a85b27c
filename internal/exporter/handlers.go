package exporter

import (
	"context"
	"errors"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/wp403/wp403/internal/report"
)

// probe runs one configured site's probe into a fresh registry. An
// unknown target is a 400 and sends nothing: the exporter is no proxy.
func (e *Exporter) probe(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	site, ok := e.config.Load().Site(q.Get("target"))
	if !ok {
		e.m.errors.WithLabelValues("unknown_target").Inc()
		http.Error(w, "unknown target: only the sites named in the configuration can be probed", http.StatusBadRequest)
		return
	}
	module := q.Get("module")
	if module == "" {
		module = site.Module
	}
	if module != ModuleDiagnose && (module != ModulePolicy || len(site.Policy.Rules) == 0) {
		e.m.errors.WithLabelValues("bad_module").Inc()
		http.Error(w, "unknown module for this site (want diagnose, or policy for a site with rules)", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), e.timeout(r))
	defer cancel()
	start := time.Now()
	res, ok := e.run(ctx, site, module)
	e.m.duration.WithLabelValues(module).Observe(time.Since(start).Seconds())
	if !ok {
		http.Error(w, "timed out waiting for a free probe slot", http.StatusServiceUnavailable)
		return
	}
	reg := prometheus.NewRegistry()
	Gather(reg, res, e.opts.Vocab)
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}

// run waits for a slot and runs the probe; false when no slot freed in time.
func (e *Exporter) run(ctx context.Context, site *Site, module string) (Result, bool) {
	e.m.waiting.Inc()
	select {
	case e.slots <- struct{}{}:
		e.m.waiting.Dec()
	case <-ctx.Done():
		e.m.waiting.Dec()
		e.m.errors.WithLabelValues("timeout").Inc()
		return Result{}, false
	}
	e.m.inFlight.Inc()
	res := e.opts.Runner.Probe(ctx, site, module)
	e.m.inFlight.Dec()
	<-e.slots
	if res.Logout != nil {
		e.log.Warn("log out failed", "target", site.Name, "sessions", res.Logins, "err", res.Scrub.String(res.Logout.Error()))
	}
	success := res.Err == nil && res.Report != nil && failing(module, res.Report) == 0
	ent := e.hist.add(res, success)
	switch {
	case res.Err != nil:
		reason := "run"
		if errors.Is(res.Err, context.DeadlineExceeded) {
			reason = "timeout"
		}
		e.m.errors.WithLabelValues(reason).Inc()
		e.m.probes.WithLabelValues(module, "error").Inc()
		e.log.Error("probe failed", "target", site.Name, "module", module, "err", ent.Err)
	case success:
		e.m.probes.WithLabelValues(module, "success").Inc()
	default:
		e.m.probes.WithLabelValues(module, "failure").Inc()
	}
	return res, true
}

// timeout bounds a probe: the configured limit, or Prometheus's scrape
// timeout (X-Prometheus-Scrape-Timeout-Seconds) less a margin for the
// answer when that is shorter. A header that is not a finite positive
// number of seconds is ignored: it can shorten a probe, never stretch it.
func (e *Exporter) timeout(r *http.Request) time.Duration {
	s, err := strconv.ParseFloat(r.Header.Get("X-Prometheus-Scrape-Timeout-Seconds"), 64)
	if err != nil || math.IsNaN(s) || s <= 0 || s > e.opts.Timeout.Seconds() {
		return e.opts.Timeout
	}
	d := time.Duration(s * float64(time.Second))
	return min(e.opts.Timeout, max(d-min(d/10, time.Second), 100*time.Millisecond))
}

var statusTmpl = template.Must(template.New("status").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wp403 exporter</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:.2em .8em;text-align:left;border-bottom:1px solid #ddd}.fail{color:#b00}.ok{color:#070}
.strip{white-space:nowrap}.strip a,.strip span{display:inline-block;width:.9em;height:1.2em;margin-right:2px;border-radius:2px;text-decoration:none;font-size:.7em;line-height:1.2em;text-align:center;color:#fff;vertical-align:middle}
.c-ok{background:#2a8a3a}.c-fail{background:#c0392b}.c-error{background:#777}.gone{opacity:.45}</style></head>
<body><h1>wp403 exporter</h1>
<p>{{.Sites}} sites configured. <a href="/metrics">Metrics</a>. Probe one site with <code>/probe?target=NAME</code>.</p>
<h2>Sites</h2>
<p>The last {{.StripLen}} probes of each site, oldest first: green passed, red failed, lettered with the layer that refused ({{.Legend}}), grey could not be probed. A square links to its report while the exporter keeps it (the recent probes and each site's newest failing one).</p>
<table><tr><th>site</th><th>last probes</th><th>state since (UTC)</th></tr>
{{range .Rows}}<tr><td>{{.Name}}</td><td class="strip">{{range .Cells}}{{if .Kept}}<a class="c-{{.State}}" href="/report?id={{.ID}}" title="{{.Title}}">{{.Letter}}</a>{{else}}<span class="c-{{.State}} gone" title="{{.Title}} (report no longer kept)">{{.Letter}}</span>{{end}}{{end}}</td>
<td class="{{if eq .State "ok"}}ok{{else}}fail{{end}}">{{.Changed.UTC.Format "2006-01-02 15:04:05"}}</td></tr>
{{else}}<tr><td colspan="3">No probe yet.</td></tr>{{end}}
</table>{{if .More}}<p>{{.More}} more sites, all passing, not listed.</p>{{end}}
<h2>Recent probes</h2>
<table><tr><th>started (UTC)</th><th>target</th><th>module</th><th>seconds</th><th>result</th><th>report</th></tr>
{{range .Recent}}<tr><td>{{.Started.UTC.Format "2006-01-02 15:04:05"}}</td><td>{{.Target}}</td><td>{{.Module}}</td><td>{{printf "%.2f" .Duration.Seconds}}</td>
<td>{{if .Err}}<span class="fail">error: {{.Err}}</span>{{else if .Success}}<span class="ok">ok</span>{{else}}<span class="fail">{{.Failing}} failing</span>{{end}}</td>
<td>{{if .HasReport}}<a href="/report?id={{.ID}}">report</a>{{end}}</td></tr>
{{else}}<tr><td colspan="6">No probe yet.</td></tr>{{end}}
</table></body></html>
`))

// statusCSP: the status page loads nothing and runs nothing.
const statusCSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

type statusRow struct {
	entry
	HasReport bool
}

func (e *Exporter) statusPage(w http.ResponseWriter, _ *http.Request) {
	var rows []statusRow
	for _, en := range e.hist.recent() {
		rows = append(rows, statusRow{entry: en, HasReport: en.report != nil})
	}
	sites, more := e.hist.sites()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", statusCSP)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_ = statusTmpl.Execute(w, struct {
		Sites, StripLen, More int
		Legend                string
		Rows                  []siteRow
		Recent                []statusRow
	}{len(e.config.Load().Sites), StripLen, more, legend(), sites, rows})
}

// reportPage renders a stored report (?id=ID, or ?target=NAME for the
// site's newest) with the HTML renderer.
func (e *Exporter) reportPage(w http.ResponseWriter, r *http.Request) {
	en := e.hist.find(r.URL.Query().Get("id"), r.URL.Query().Get("target"))
	if en == nil || en.report == nil {
		http.Error(w, "no stored report for this probe (the exporter keeps the recent ones and the newest failing one per site)", http.StatusNotFound)
		return
	}
	rep, err := en.decode()
	if err != nil {
		http.Error(w, "stored report unreadable", http.StatusInternalServerError)
		return
	}
	ren, _ := report.New("html", report.Options{})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = ren.Render(w, rep)
}
