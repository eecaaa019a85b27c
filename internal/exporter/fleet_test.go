package exporter

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/record"
)

// TestFleetLines: one JSON line per site, each holding a whole report
// with the secrets scrubbed.
func TestFleetLines(t *testing.T) {
	var runs atomic.Int32
	r := replayRunner(t, "healthy", &runs)
	ids := "    identities:\n      editor: {user: lab-editor, app_password: {env: X}}\n      browser: {user: lab-editor, password: {env: Y}}\n"
	c, err := LoadConfig(writeConfig(t, "sites:\n  - name: a\n"+labSite+ids+"  - name: b\n"+labSite+ids))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sum, err := r.Fleet(context.Background(), c, 2, &out)
	if err != nil || sum != (FleetSummary{Sites: 2, Passed: 2}) {
		t.Fatalf("summary %+v, err %v", sum, err)
	}
	if bytes.Contains(out.Bytes(), []byte("demo demo demo")) {
		t.Fatal("a secret reached the output")
	}
	seen := map[string]bool{}
	for _, line := range bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n")) {
		var l struct {
			FleetLine
			Report record.Report `json:"report"`
		}
		if err := json.Unmarshal(line, &l); err != nil {
			t.Fatalf("line %s: %v", line, err)
		}
		if !l.Pass || l.Module != ModuleDiagnose || l.Report.Schema != record.SchemaVersion || len(l.Report.Observations) == 0 {
			t.Errorf("line for %s: pass %v module %s schema %q, %d observations", l.Site, l.Pass, l.Module, l.Report.Schema, len(l.Report.Observations))
		}
		seen[l.Site] = true
	}
	if !seen["a"] || !seen["b"] {
		t.Fatalf("sites written: %v", seen)
	}
}

// TestPerHostPoliteness: sites behind one address are probed one at a
// time (PerHost 1), whatever the parallelism across sites.
func TestPerHostPoliteness(t *testing.T) {
	var mu sync.Mutex
	inFlight, worst := map[string]int{}, 0
	r := &Runner{PerHost: 1, Secret: replayRunner(t, "healthy", new(atomic.Int32)).Secret,
		Diagnose: func(ctx context.Context, cfg diagnose.Config) (*record.Report, error) {
			host := cfg.Resolve[0]
			mu.Lock()
			inFlight[host]++
			worst = max(worst, inFlight[host])
			mu.Unlock()
			time.Sleep(5 * time.Millisecond)
			mu.Lock()
			inFlight[host]--
			mu.Unlock()
			return &record.Report{}, nil
		}}
	doc := "sites:\n"
	for i, addr := range []string{"127.0.0.2", "127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3"} {
		doc += "  - {name: s" + string(rune('a'+i)) + ", url: 'https://x.example/', resolve: ['x.example:443:" + addr + "']}\n"
	}
	p := filepath.Join(t.TempDir(), "sites.yaml")
	if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := r.Fleet(context.Background(), c, 5, &out); err != nil {
		t.Fatal(err)
	}
	if worst != 1 {
		t.Fatalf("%d probes at once against one host, want 1", worst)
	}
}
