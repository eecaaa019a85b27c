package cli

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/finish"
	"github.com/wp403/wp403/internal/har"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/source"
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
	logs, err := matchingLogs(rc, c.Log, c.LogTZ, c.LogFormat)
	if err != nil {
		return err
	}
	rep := finish.Report(rc.ctx, source.HAR(res, readErr), finish.Stages{Logs: logs, Replayer: newReplayer()})
	if c.Replay {
		live, err := c.replay(rc, res)
		if err != nil {
			return err
		}
		rep = mergeReplay(rep, live)
	}
	return renderReport(rc, rep, c.outputFlags, envScrubber(rc.io.Env))
}

// replay re-sends the HAR's failed requests through a live diagnosis.
// Nothing secret from the browser is reused: the URLs and bodies are
// redacted, and authentication comes only from the flags.
func (c *harCmd) replay(rc *runContext, res *har.Result) (*record.Report, error) {
	site := c.URL
	if site == "" {
		site = source.Site(res)
	}
	if site == "" {
		return nil, usagef("--replay: the HAR holds no REST request to take the site from; give --url")
	}
	cfg, err := baseConfig(rc, site, c.networkFlags, c.credentialFlags)
	if err != nil {
		return nil, err
	}
	authed := cfg.Cookie != "" || cfg.AppPassword != "" || cfg.Password != ""
	harHost := hostOf(source.Site(res))
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
