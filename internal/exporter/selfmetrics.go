package exporter

import "github.com/prometheus/client_golang/prometheus"

// selfMetrics are the exporter's own metrics (/metrics).
type selfMetrics struct {
	inFlight   prometheus.Gauge
	waiting    prometheus.Gauge
	duration   *prometheus.HistogramVec
	probes     *prometheus.CounterVec
	errors     *prometheus.CounterVec
	reloads    *prometheus.CounterVec
	lastReload prometheus.Gauge
	sites      prometheus.Gauge
}

func newSelfMetrics(reg *prometheus.Registry) selfMetrics {
	m := selfMetrics{
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "wp403_exporter_probes_in_flight",
			Help: "Probes running now."}),
		waiting: prometheus.NewGauge(prometheus.GaugeOpts{Name: "wp403_exporter_probes_waiting",
			Help: "Probes waiting for a free slot (max probes)."}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "wp403_exporter_probe_duration_seconds",
			Help: "How long probes took, waiting included.", Buckets: []float64{0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120}}, []string{"module"}),
		probes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wp403_exporter_probes_total",
			Help: "Probes run, by module and result (success, failure: the site does not meet its policy, error: the probe could not run)."},
			[]string{"module", "result"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wp403_exporter_probe_errors_total",
			Help: "Probe requests refused or failed, by reason (unknown_target, bad_module, timeout, run)."}, []string{"reason"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wp403_exporter_config_reloads_total",
			Help: "Configuration reloads, by result."}, []string{"result"}),
		lastReload: prometheus.NewGauge(prometheus.GaugeOpts{Name: "wp403_exporter_config_last_reload_successful",
			Help: "1 when the last configuration reload worked."}),
		sites: prometheus.NewGauge(prometheus.GaugeOpts{Name: "wp403_exporter_sites",
			Help: "Sites in the configuration."}),
	}
	m.lastReload.Set(1)
	for _, r := range []string{"unknown_target", "bad_module", "timeout", "run"} {
		m.errors.WithLabelValues(r)
	}
	reg.MustRegister(m.inFlight, m.waiting, m.duration, m.probes, m.errors, m.reloads, m.lastReload, m.sites)
	return m
}
