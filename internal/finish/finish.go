package finish

import (
	"context"
	"net/http"
	"time"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy"
	"github.com/wp403/wp403/internal/verdict"
)

// Version is the tool version written into reports.
var Version = "wp403 0.1.0-dev"

// Evidence is what a source produced.
type Evidence struct {
	Command string // "diagnose", "har", "retest --browser", …
	Started time.Time
	Target  record.Target
	// Observations, in the order the source saw them.
	Observations []record.Observation
	// Site is what WordPress said about itself (the REST index), when the
	// source asked it.
	Site  record.Site
	Focus Focus
	Notes []string
	// ForeignRESTRoot is a REST root the site advertised on another host
	// (not followed).
	ForeignRESTRoot string
	// Browser is what each browser did (retest --browser).
	Browser []record.BrowserRun
	// Resend returns a refused request as it can be sent again for the
	// WAF replay (body included), or false when the source cannot.
	Resend func(o *record.Observation) (Request, bool)
}

// Focus is what the user cares about (record.Focus): the requests they
// need allowed, never taken for hardening, and the observations of the
// step they saw fail, whose findings come first.
type Focus = record.Focus

// Request is a refused request as the WAF replay sends it again.
type Request struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
}

// Replayer evaluates a request with an in-process WAF (Coraza + CRS).
type Replayer interface {
	Replay(method, url string, h http.Header, body []byte) (*record.WAFResult, error)
}

// LogReader reads the logs of the run, attaches the entries that record
// each observation to it (in place) and returns them.
type LogReader func(ctx context.Context, obs []record.Observation) ([]record.LogEntry, error)

// Stages are the finish's injected stages; nil skips one.
type Stages struct {
	Logs     LogReader
	Replayer Replayer
}

// Report runs the finish on the evidence and builds the report.
func Report(ctx context.Context, ev Evidence, st Stages) *record.Report {
	rep := &record.Report{Schema: record.SchemaVersion, Tool: Version, Command: ev.Command, Started: ev.Started,
		Target: ev.Target, Site: ev.Site, Observations: ev.Observations, Notes: append([]string(nil), ev.Notes...), Browser: ev.Browser}
	if rep.Started.IsZero() {
		rep.Started = time.Now().UTC()
	}
	if st.Logs != nil {
		entries, err := st.Logs(ctx, rep.Observations)
		if err != nil {
			rep.Notes = append(rep.Notes, "logs: "+err.Error())
		}
		rep.Logs = entries
	}
	replayWAF(rep.Observations, ev.Resend, st.Replayer)
	res := verdict.Analyze(verdict.Input{Observations: rep.Observations, HasOrigin: HasOrigin(rep.Observations),
		AppPasswords: rep.Site.AppPasswords, Site: rep.Site, TargetURL: rep.Target.URL,
		Wanted: ev.Focus.Wanted, First: ev.Focus.First, RESTRoot: rep.Target.RESTRoot, ForeignRESTRoot: ev.ForeignRESTRoot})
	rep.Findings, rep.Problem = res.Findings, res.Problem
	if len(ev.Focus.Wanted)+len(ev.Focus.First) > 0 {
		rep.Focus = &record.Focus{Wanted: ev.Focus.Wanted, First: ev.Focus.First}
	}
	remedy.Attach(rep)
	return rep
}

// HasOrigin reports whether the observations include requests sent
// straight to the origin: the edge-vs-origin comparison is derived from
// the evidence, not from how a source was configured.
func HasOrigin(obs []record.Observation) bool {
	for i := range obs {
		if obs[i].Vantage == record.VantageOrigin {
			return true
		}
	}
	return false
}
