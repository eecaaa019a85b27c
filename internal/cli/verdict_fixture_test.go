package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/demo"
	"github.com/wp403/wp403/internal/record"
)

var updateRuns = flag.Bool("update-runs", false, "rewrite internal/verdict/testdata/runs from the embedded captures")

// run is the verdict's input as internal/verdict's tests read it.
type run struct {
	Capture      string               `json:"capture"`
	TargetURL    string               `json:"target_url"`
	HasOrigin    bool                 `json:"has_origin"`
	Site         record.Site          `json:"site"`
	Observations []record.Observation `json:"observations"`
}

// TestVerdictRuns writes internal/verdict/testdata/runs: the observations
// the embedded captures (real lab responses) produce, bodies capped at
// 8 KiB, for the verdict's unit tests to reason on without a lab
// (go test ./internal/cli -run TestVerdictRuns -args -update-runs). Without
// the flag it only checks that every capture has its run.
func TestVerdictRuns(t *testing.T) {
	dir := filepath.Join("..", "verdict", "testdata", "runs")
	for _, name := range demo.Names() {
		var out, errb bytes.Buffer
		code := Run(context.Background(), Env{Vars: map[string]string{}}, strings.NewReader(""), &out, &errb,
			[]string{"demo", name, "--format", "json"})
		if code != ExitOK && code != ExitRefusal {
			t.Fatalf("%s: exit %d: %s", name, code, errb.String())
		}
		var rep record.Report
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		r := run{Capture: name, TargetURL: rep.Target.URL, HasOrigin: rep.Target.Origin != "", Site: rep.Site, Observations: rep.Observations}
		for i := range r.Observations {
			o := &r.Observations[i]
			o.Time, o.Timing, o.Request.Body, o.RequestID = time.Time{}, record.Timing{}, "", ""
			if o.Response != nil && len(o.Response.Body) > 8<<10 {
				o.Response.Body = o.Response.Body[:8<<10]
			}
		}
		got, err := json.MarshalIndent(r, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name+".json.gz")
		if *updateRuns {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			var gz bytes.Buffer
			zw := gzip.NewWriter(&gz)
			_, _ = zw.Write(append(got, '\n'))
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, gz.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%v (go test ./internal/cli -run TestVerdictRuns -args -update-runs)", err)
		}
	}
}
