package exporter

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// benchSite is the healthy lab site with both auth kinds.
func benchSite(b *testing.B) (*Runner, *Site) {
	r := replayRunner(&testing.T{}, "healthy", new(atomic.Int32))
	c, err := ParseConfig([]byte("sites:\n  - name: lab\n"+labSite+
		"    identities:\n      editor: {user: lab-editor, app_password: {env: X}}\n      browser: {user: lab-editor, password: {env: Y}}\n"), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	site, _ := c.Site("lab")
	return r, site
}

// BenchmarkExporterProbe: the CPU one default-plan probe of a healthy site
// costs the exporter (the real lab's answers replayed in memory, no
// network): the probe, its metrics, its entry in the history.
// bench/exporter-scale.sh measures the same over loopback HTTP for a fleet.
func BenchmarkExporterProbe(b *testing.B) {
	r, site := benchSite(b)
	h := newHistory(100)
	b.ReportAllocs()
	for b.Loop() {
		res := r.Probe(context.Background(), site, "")
		if res.Err != nil {
			b.Fatal(res.Err)
		}
		reg := prometheus.NewRegistry()
		Gather(reg, res, DefaultVocab())
		if _, err := reg.Gather(); err != nil {
			b.Fatal(err)
		}
		h.add(res, true)
	}
}

// BenchmarkFleetProbe: the same probe for wp403 check --targets, whose
// output line holds the whole scrubbed report.
func BenchmarkFleetProbe(b *testing.B) {
	r, site := benchSite(b)
	b.ReportAllocs()
	for b.Loop() {
		res := r.Probe(context.Background(), site, "")
		if res.Err != nil {
			b.Fatal(res.Err)
		}
		if _, ok := fleetLine(res); !ok {
			b.Fatal("healthy site failed")
		}
	}
}
