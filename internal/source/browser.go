package source

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/browser"
	"github.com/wp403/wp403/internal/finish"
	"github.com/wp403/wp403/internal/har"
	"github.com/wp403/wp403/internal/record"
)

// Browser is what retest --browser's walks recorded, for the finish:
// each vantage's recording read as a HAR (classified by classify), its
// observations labelled with the vantage, the failed writes as the user's
// step, every editor write as wanted (never hardening), and what each
// browser did.
func Browser(results []browser.Result, cfg browser.Config, classify har.Classifier) (finish.Evidence, error) {
	site := cfg.Site.String()
	ev := finish.Evidence{Command: "retest --browser", Started: time.Now().UTC(),
		Target: record.Target{URL: site, Host: cfg.Site.Hostname(), Source: "browser", User: cfg.User,
			RESTRoot: strings.TrimSuffix(site, "/") + "/wp-json/"}}
	for _, v := range cfg.Vantages {
		if v.Name == string(record.VantageOrigin) {
			ev.Target.Origin = v.Addr
		}
	}
	resend := map[string]func(*record.Observation) (finish.Request, bool){}
	for _, r := range results {
		res, err := har.Read(bytes.NewReader(r.HAR), "browser "+r.Vantage, har.Options{Classifier: classify})
		if err != nil {
			return ev, fmt.Errorf("read the browser's recording: %w", err)
		}
		v := record.Vantage(r.Vantage)
		rs := Resend(res, cfg.Scrub) // keyed by the HAR's own ids
		ids := map[string]string{}
		for _, o := range asVantage(res.Observations, v, ids) {
			ev.Observations = append(ev.Observations, o)
			resend[o.ID] = func(o *record.Observation) (finish.Request, bool) {
				c := *o
				c.ID = ids[o.ID]
				return rs(&c)
			}
		}
		if id := res.FirstFailedWrite; id != "" {
			ev.Focus.First = append(ev.Focus.First, relabel(id, v))
		}
	}
	ev.Focus.Wanted = editorWrites(ev.Observations)
	ev.Browser = browserRuns(results)
	ev.Resend = func(o *record.Observation) (finish.Request, bool) {
		if f := resend[o.ID]; f != nil {
			return f(o)
		}
		return finish.Request{}, false
	}
	return ev, nil
}

// editorWrites are the writes of a browser session: the user's own path.
func editorWrites(obs []record.Observation) []record.Request {
	var out []record.Request
	for _, o := range obs {
		if o.Request.Method != "GET" && o.Request.Method != "HEAD" && o.Request.Method != "OPTIONS" && o.Request.Route != "" {
			out = append(out, record.Request{Method: o.Request.Method, Route: o.Request.Route, Auth: o.Request.Auth})
		}
	}
	return out
}

var numericSegment = regexp.MustCompile(`/[0-9]+(/|$)`)

// asVantage labels a vantage's observations so that the same request at
// the edge and at the origin is one subject: each of the reader's probe
// keys (a request with the retry that recovered it shares one; the nonce
// refresh is the verdict's rest-nonce) becomes one per method, route (ids
// generalised) and auth, numbered; ids are prefixed with the vantage, and
// ids maps each new id to the reader's.
func asVantage(obs []record.Observation, v record.Vantage, ids map[string]string) []record.Observation {
	seen, keys := map[string]int{}, map[string]string{}
	for i := range obs {
		o := &obs[i]
		if o.Probe != record.ProbeRESTNonce {
			if keys[o.Probe] == "" {
				route := numericSegment.ReplaceAllString(o.Request.Route, "/{id}$1")
				key := fmt.Sprintf("browser %s %s %s", o.Request.Method, route, o.Request.Auth)
				seen[key]++
				keys[o.Probe] = fmt.Sprintf("%s #%d", key, seen[key])
			}
			o.Probe = keys[o.Probe]
		}
		newID := relabel(o.ID, v)
		ids[newID] = o.ID
		o.ID, o.Vantage = newID, v
	}
	return obs
}

func relabel(id string, v record.Vantage) string {
	return string(v[0]) + "-" + strings.TrimPrefix(id, "har-")
}

// browserRuns is what each browser did, for the report.
func browserRuns(results []browser.Result) []record.BrowserRun {
	out := make([]record.BrowserRun, 0, len(results))
	for _, r := range results {
		run := record.BrowserRun{Vantage: record.Vantage(r.Vantage), Pass: r.Pass, Notice: r.Notice,
			Deleted: r.Deleted, Left: r.Left, Dropped: r.Dropped}
		for _, s := range r.Steps {
			run.Steps = append(run.Steps, record.BrowserStep{Name: s.Name, Pass: s.Pass, Detail: s.Detail, MS: s.MS})
		}
		if len(r.Screenshot) > 0 {
			run.Screenshot = "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(r.Screenshot)
		}
		out = append(out, run)
	}
	return out
}
