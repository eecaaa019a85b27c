package exporter

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/wp403/wp403/internal/report"
)

// FleetSummary counts the outcome of a fleet run.
type FleetSummary struct {
	Sites, Passed, Failed, Errors int
}

// Fleet probes every site of c once with its default module, at most
// parallel sites at a time and the Runner's politeness per host, and
// writes one JSON line per site to w as each finishes (see FleetLine).
func (r *Runner) Fleet(ctx context.Context, c *Config, parallel int, w io.Writer) (FleetSummary, error) {
	sum := FleetSummary{Sites: len(c.Sites)}
	var mu sync.Mutex
	var werr error
	work := make(chan *Site)
	var wg sync.WaitGroup
	for range max(parallel, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range work {
				res := r.Probe(ctx, s, "")
				line, ok := fleetLine(res)
				mu.Lock()
				switch {
				case res.Err != nil:
					sum.Errors++
				case ok:
					sum.Passed++
				default:
					sum.Failed++
				}
				if werr == nil {
					_, werr = w.Write(line)
				}
				mu.Unlock()
			}
		}()
	}
	for _, s := range c.Sites {
		if ctx.Err() != nil {
			break
		}
		work <- s
	}
	close(work)
	wg.Wait()
	return sum, werr
}

// FleetLine is one line of wp403 check --targets: the site's name, what
// ran, whether the site meets its policy, why the probe could not run,
// and the full report (schema wp403.report/v1), secrets scrubbed.
type FleetLine struct {
	Site   string          `json:"site"`
	Module string          `json:"module"`
	Pass   bool            `json:"pass"`
	Error  string          `json:"error,omitempty"`
	Report json.RawMessage `json:"report,omitempty"`
}

func fleetLine(res Result) ([]byte, bool) {
	l := FleetLine{Site: res.Site.Name, Module: res.Module}
	if res.Err != nil {
		l.Error = res.Scrub.String(res.Err.Error())
	}
	if res.Report != nil {
		l.Pass = res.Err == nil && failing(res.Module, res.Report) == 0
		var buf, compact bytes.Buffer
		ren, _ := report.New("json", report.Options{Scrub: res.Scrub})
		if err := ren.Render(&buf, res.Report); err == nil && json.Compact(&compact, buf.Bytes()) == nil {
			l.Report = compact.Bytes()
		}
	}
	out, err := json.Marshal(l)
	if err != nil {
		out = []byte(fmt.Sprintf(`{"site":%q,"error":"encode report"}`, res.Site.Name))
	}
	return append(out, '\n'), l.Pass
}
