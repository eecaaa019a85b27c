package cli

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/har"
	"github.com/wp403/wp403/internal/logscan"
	"github.com/wp403/wp403/internal/record"
)

type harCmd struct {
	File       string   `arg:"" name:"FILE" help:"A HAR export (.har or .har.gz) from Chrome, Firefox or Safari."`
	RESTPrefix string   `name:"rest-prefix" placeholder:"PATH" help:"The site's REST prefix, when it is not /wp-json/ and the HAR does not reveal it."`
	Replay     bool     `name:"replay" help:"Re-send the failed requests through a live diagnosis (without the browser's cookies, nonces or credentials unless you pass --cookie or --user)."`
	URL        string   `name:"url" placeholder:"URL" help:"With --replay: the site to send to (default: the site the HAR was recorded on)."`
	Write      bool     `name:"write" help:"With --replay and credentials: allow re-sending failed saves, uploads and deletes, which change the site."`
	Log        []string `name:"log" placeholder:"FILE" help:"Server, WAF or CDN log of the same time to match with the HAR's requests (by time, route and client; repeatable)."`
	LogFormat  string   `name:"log-format" placeholder:"FORMAT" help:"nginx log_format of a custom access log given with --log."`
	LogTZ      string   `name:"log-tz" placeholder:"ZONE" help:"Time zone of the server that wrote --log files whose times carry none (default UTC)."`
	networkFlags
	credentialFlags
	outputFlags
}

func (c *harCmd) Run(rc *runContext) error {
	if p := c.RESTPrefix; p != "" && (!strings.HasPrefix(p, "/") || !strings.HasSuffix(p, "/")) {
		return usagef("--rest-prefix must start and end with '/', like /wp-json/")
	}
	if !c.Replay && (c.User != "" || c.AppPasswordFile != "" || c.PasswordFile != "" || c.Cookie != "" || len(c.Header) > 0 || c.Write) {
		return usagef("--user, --app-password-file, --password-file, --cookie, -H and --write are used only with --replay (to send the failed requests again)")
	}
	res, readErr := c.read(rc)
	if res == nil {
		return readErr
	}
	if readErr != nil {
		rc.warn("%v; reporting the %s read before it", readErr, count(res.Entries, "entry"))
	}
	if len(res.Observations) == 0 && !c.Replay {
		return c.noREST(rc, res)
	}
	if res.Skipped > 0 {
		fmt.Fprintf(rc.io.Err, "wp403: %d HAR entries could not be used and were skipped (%s)\n", res.Skipped, res.SkipNotes[0])
	}
	entries, err := c.readLogs(rc, res)
	if err != nil {
		return err
	}
	rep := harReport(res, readErr)
	rep.Logs = entries
	if c.Replay {
		live, err := c.replay(rc, res)
		if err != nil {
			return err
		}
		rep = mergeReplay(rep, live)
	}
	return renderReport(rc, rep, c.outputFlags, envScrubber(rc.io.Env))
}

// readLogs reads --log files and attaches their entries to the HAR's
// requests (by time, route and client: a browser sends no request id).
func (c *harCmd) readLogs(rc *runContext, res *har.Result) ([]record.LogEntry, error) {
	if len(c.Log) == 0 {
		return nil, nil
	}
	var opt logscan.Options
	var err error
	if opt.Zone, err = parseZone(c.LogTZ); err != nil {
		return nil, usagef("--log-tz: %v", err)
	}
	if c.LogFormat != "" {
		if opt.LogFormat, err = logscan.CompileLogFormat(c.LogFormat); err != nil {
			return nil, usagef("--log-format: %v", err)
		}
	}
	entries, _, dropped, err := logscan.ReadMatching(rc.ctx, resolvePaths(rc.io.Env, c.Log), opt, res.Observations, logscan.DefaultWindow)
	if err != nil {
		rc.warn("logs: %v", err)
	}
	if dropped > 0 {
		rc.note("logs: %d matching entries beyond the limit of %d per request were not kept", dropped, logscan.MaxPerObservation)
	}
	return entries, nil
}

// harReport turns what the HAR holds into a report: observations,
// findings of the verdict engine, and notes on what the editor was doing.
func harReport(res *har.Result, readErr error) *record.Report {
	site := siteOf(res)
	rep := &record.Report{Schema: record.SchemaVersion, Tool: diagnose.Version, Command: "har", Started: time.Now().UTC(),
		Target: record.Target{URL: site, Source: "har", RESTRoot: strings.TrimSuffix(site, "/") + res.Prefix}}
	if u, err := url.Parse(site); err == nil {
		rep.Target.Host = u.Hostname()
	}
	rep.Observations = res.Observations
	diagnose.Analyze(rep, false)
	userStepFirst(rep.Findings, res.FirstFailedWrite)
	rep.Notes = harNotes(res)
	if readErr != nil {
		rep.Notes = append([]string{"The HAR file is damaged: " + readErr.Error() + "; what came before it is reported."}, rep.Notes...)
	}
	return rep
}

// siteOf is the scheme and host of the first REST request.
func siteOf(res *har.Result) string {
	for _, o := range res.Observations {
		if u, err := url.Parse(o.Request.URL); err == nil && u.Host != "" {
			return u.Scheme + "://" + u.Host + "/"
		}
	}
	return ""
}

// maxRecoveredNotes bounds the notes listing recovered requests one by one.
const maxRecoveredNotes = 20

// harNotes says what the editor was doing, what failed first, and how
// each route fared.
func harNotes(res *har.Result) []string {
	notes := []string{fmt.Sprintf("HAR from %s: %s, %s.", orUnknown(res.Browser), count(res.Entries, "entry"), count(len(res.Observations)+res.Omitted, "REST request"))}
	if o := find(res, res.FirstFailedWrite); o != nil {
		notes = append(notes, "First failed write (what the editor reported as failing): "+describe(o)+".")
	}
	if o := find(res, res.FirstFailure); o != nil && res.FirstFailure != res.FirstFailedWrite {
		notes = append(notes, "First failed request: "+describe(o)+".")
	}
	if n := res.OmittedNote(); n != "" {
		notes = append(notes, n)
	}
	if res.Skipped > 0 {
		notes = append(notes, fmt.Sprintf("%d entries could not be used and were skipped (%s).", res.Skipped, strings.Join(res.SkipNotes, "; ")))
	}
	if res.FirstFailure == "" && res.FirstFailedWrite == "" {
		notes = append(notes, "No REST request failed in this recording.")
	}
	for i, id := range res.Recovered {
		if i == maxRecoveredNotes {
			notes = append(notes, fmt.Sprintf("… and %d more requests recovered by the editor itself.", len(res.Recovered)-i))
			break
		}
		if o := find(res, id); o != nil {
			notes = append(notes, "Recovered by the editor itself (stale nonce refreshed, request retried): "+describe(o)+".")
		}
	}
	for _, r := range res.Routes() {
		notes = append(notes, "Route "+r.String())
	}
	return notes
}

func describe(o *record.Observation) string {
	s := fmt.Sprintf("%s %s %s (%s)", o.ID, o.Request.Method, har.RouteOf(o), o.Purpose)
	if ov := headerValue(o.Request.Header, "X-HTTP-Method-Override"); ov != "" {
		s += " sent with X-HTTP-Method-Override: " + ov
	}
	if o.Response == nil {
		return s + " → no response: " + o.Error
	}
	s += fmt.Sprintf(" → %d", o.Status())
	if o.Class != nil {
		if m := o.Class.Top(); m != nil {
			s += ", " + strings.TrimSuffix(m.Meaning, ".")
		} else if o.Class.WPError != nil {
			s += ", WordPress " + o.Class.WPError.Code
		} else if o.Class.Page != "" {
			s += ", " + o.Class.Page + " page"
		}
	}
	return s
}

func find(res *har.Result, id string) *record.Observation {
	for i := range res.Observations {
		if id != "" && res.Observations[i].ID == id {
			return &res.Observations[i]
		}
	}
	return nil
}

func headerValue(h map[string][]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown browser"
	}
	return s
}

// replay re-sends the HAR's failed requests through a live diagnosis.
// Nothing secret from the browser is reused: the URLs and bodies are
// redacted, and authentication comes only from the flags.
func (c *harCmd) replay(rc *runContext, res *har.Result) (*record.Report, error) {
	site := c.URL
	if site == "" {
		site = siteOf(res)
	}
	if site == "" {
		return nil, usagef("--replay: the HAR holds no REST request to take the site from; give --url")
	}
	cfg, err := baseConfig(rc, site, c.networkFlags, c.credentialFlags)
	if err != nil {
		return nil, err
	}
	authed := cfg.Cookie != "" || cfg.AppPassword != "" || cfg.Password != ""
	harHost := hostOf(siteOf(res))
	for _, f := range res.Failed(nil) {
		if h := hostOf(f.URL); h != harHost {
			rc.note("--replay: skipping %s: it went to %s, not to the recorded site %s", f.ID, h, harHost)
			continue
		}
		spec, err := replaySpec(f)
		if err != nil {
			rc.note("--replay: skipping %s: %v", f.ID, err)
			continue
		}
		if authed && spec.Method != "GET" && spec.Method != "HEAD" && !c.Write {
			return nil, usagef("--replay with credentials would re-send %s %s (%s), which changes the site; add --write to allow it, or replay without credentials",
				spec.Method, f.URL, f.Purpose)
		}
		cfg.Requests = append(cfg.Requests, spec)
	}
	if len(cfg.Requests) == 0 {
		return nil, usagef("--replay: no failed request to re-send")
	}
	cfg.Write = c.Write
	cfg.Classifier = classifier()
	cfg.Replayer = newReplayer()
	m := rc.progress()
	m.attach(&cfg)
	rep, err := diagnose.Run(rc.ctx, cfg)
	m.finish()
	if err != nil {
		return nil, mapDiagnoseErr(err)
	}
	return rep, nil
}

// replaySpec turns a failed request into a diagnose request: the method
// the editor meant, its route, and its body when the export held it.
func replaySpec(f har.Replayable) (diagnose.RequestSpec, error) {
	spec, err := diagnose.ParseRequest(f.Method + " " + f.URL)
	if err != nil {
		return spec, err
	}
	if spec.URL != "" {
		if u, err := url.Parse(spec.URL); err == nil && strings.HasSuffix(u.Path, "/admin-ajax.php") {
			return spec, fmt.Errorf("not a REST request")
		}
	}
	spec.Host = "" // the recorded site's route, replayed on the site being diagnosed
	spec.Body, spec.ContentType = f.Body, f.ContentType
	if f.BodyMissing {
		return spec, fmt.Errorf("the export does not hold its body")
	}
	return spec, nil
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// mergeReplay keeps the live diagnosis and adds what the HAR showed.
func mergeReplay(harRep, live *record.Report) *record.Report {
	live.Command = "har --replay"
	live.Target.Source = "har+live"
	live.Observations = append(harRep.Observations, live.Observations...)
	live.Notes = append(live.Notes, harRep.Notes...)
	return live
}
