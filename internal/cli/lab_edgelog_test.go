package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/labkit/labtest"
	"github.com/wp403/wp403/internal/record"
)

// TestLabDiagnoseEdgeLog: behind the lab's Caddy edge, whose rule refuses
// REST writes that carry Authorization, `diagnose --log` with Caddy's JSON
// log names that exact rule (the text Caddy logged for the probe's request)
// with high confidence, from the edge alone and with the origin; without
// the log the finding cannot name it.
func TestLabDiagnoseEdgeLog(t *testing.T) {
	lab := labtest.Acquire(t)
	const name = "caddy-api-write-rule"
	sc, err := labkit.LoadScenario(lab.Dir(), name)
	if err != nil {
		t.Fatal(err)
	}
	if lab.Logs.Caddy == "" {
		t.Fatal("credentials.json names no Caddy log (run lab/up)")
	}
	if err := lab.Switch(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = lab.Switch(context.Background(), "healthy") })
	const rule = "edge rule api-writes-with-authorization"
	for _, withOrigin := range []bool{false, true} {
		args := append(labArgs(t, lab, sc, withOrigin), "--no-waf-replay")
		bare := firstBlock(runArgs(t, args))
		if bare == nil || strings.Contains(bare.Summary, rule) {
			t.Fatalf("origin %v: without the log: %+v", withOrigin, bare)
		}
		top := firstBlock(runArgs(t, append(args, "--log", lab.Logs.Caddy)))
		if top == nil || top.Rule != "edge-log" || top.Layer != record.LayerEdge || top.Confidence != record.ConfHigh {
			t.Fatalf("origin %v: top finding %+v, want edge-log, edge, high", withOrigin, top)
		}
		if len(top.Rules) == 0 || !strings.HasPrefix(top.Rules[0].Name, rule) || top.Rules[0].Kind != "error directive" {
			t.Errorf("origin %v: rules %+v, want Caddy's %q", withOrigin, top.Rules, rule)
		}
		if !strings.Contains(top.Summary, "Caddy") || !strings.Contains(strings.Join(top.Evidence, "\n"), "caddy-json") {
			t.Errorf("origin %v: summary %q, evidence %v", withOrigin, top.Summary, top.Evidence)
		}
	}
}
