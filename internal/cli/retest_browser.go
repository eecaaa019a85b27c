package cli

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/browser"
	"github.com/wp403/wp403/internal/finish"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
	"github.com/wp403/wp403/internal/source"
)

// browserFlags drive the real-browser retest of the editor.
type browserFlags struct {
	Browser   string        `name:"browser" placeholder:"URL" help:"Retest the real business path in headless Chromium instead of re-sending a report's requests: log in, write a post in the block editor, save a draft, upload an image, delete both."`
	RecordHAR string        `name:"record-har" placeholder:"FILE" help:"With --browser: write what the browser sent and got as a HAR 1.2 file (secrets redacted)."`
	StepTime  time.Duration `name:"step-timeout" default:"60s" help:"With --browser: time limit for one editor step."`
	Log       []string      `name:"log" placeholder:"FILE" help:"With --browser: a server, WAF, CDN or edge log of the same time, matched with the browser's requests (by the id the edge returned, e.g. cf-ray, else by time, route and client; repeatable)."`
	LogFormat string        `name:"log-format" placeholder:"FORMAT" help:"With --browser: nginx log_format of a custom access log given with --log."`
	LogTZ     string        `name:"log-tz" placeholder:"ZONE" help:"With --browser: time zone of the server that wrote --log files whose times carry none (default UTC)."`
}

// runBrowser walks the editor path at the edge (and at the origin with
// --origin), then reads what the browser recorded through the same
// pipeline as wp403 har.
func (c *retestCmd) runBrowser(rc *runContext) error {
	cfg, scrub, err := c.browserConfig(rc)
	if err != nil {
		return err
	}
	logs, err := matchingLogs(rc, c.Log, c.LogTZ, c.LogFormat)
	if err != nil {
		return err
	}
	rc.note("retest --browser: walking the editor path on %s (%d vantage point(s))", cfg.Site, len(cfg.Vantages))
	results, err := browser.Walk(rc.ctx, cfg)
	if err != nil {
		return fmt.Errorf("browser: %w", err)
	}
	ev, err := source.Browser(results, cfg, classifier())
	if err != nil {
		return err
	}
	rep := finish.Report(rc.ctx, ev, finish.Stages{Logs: logs, Replayer: newReplayer()})
	if rc.ctx.Err() != nil {
		rep.Interrupted = true
		rep.Notes = append(rep.Notes, "Interrupted: the walk stopped early; cleanup still ran (see deleted and left).")
	}
	if c.RecordHAR != "" {
		if err := writeHAR(rc, c.RecordHAR, results); err != nil {
			return err
		}
	}
	if err := writeReport(rc, rep, c.outputFlags, scrub); err != nil {
		return err
	}
	return browserExit(rc, rep)
}

func (c *retestCmd) browserConfig(rc *runContext) (browser.Config, *redact.Scrubber, error) {
	var cfg browser.Config
	site, err := url.Parse(c.Browser)
	if err != nil || (site.Scheme != "http" && site.Scheme != "https") || site.Hostname() == "" {
		return cfg, nil, usagef("--browser %q: want the site's address, like https://blog.example.com/", redact.URL(c.Browser))
	}
	if site.User != nil {
		return cfg, nil, usagef("--browser: credentials in the URL are not used; give --user and --password-file")
	}
	if c.User == "" || c.PasswordFile == "" && rc.io.Env.Get("WP403_PASSWORD") == "" {
		return cfg, nil, usagef("--browser logs in as a person does: give --user NAME and --password-file FILE (or WP403_PASSWORD)")
	}
	if c.AppPasswordFile != "" || c.Cookie != "" || len(c.Header) > 0 {
		return cfg, nil, usagef("--browser logs in with --user and --password-file only; --app-password-file, --cookie and -H do not apply")
	}
	pass, err := secret(rc.io.Env, c.PasswordFile, "WP403_PASSWORD")
	if err != nil || pass == "" {
		return cfg, nil, usagef("--password-file: %v", orEmpty(err))
	}
	scrub := &redact.Scrubber{}
	scrub.Add(pass)
	nw, err := netConfig(rc, c.networkFlags)
	if err != nil {
		return cfg, nil, err
	}
	cfg = browser.Config{Site: site, User: c.User, Password: pass, RunID: "wp403-" + nw.RunID, Step: c.StepTime,
		Insecure: c.Insecure, Scrub: scrub, Version: finish.Version, MaxTime: c.MaxTime, Note: rc.note}
	if cfg.RootCAs, err = nw.RootCAs(); err != nil {
		return cfg, nil, usagef("%v", err)
	}
	edge, err := nw.AddrFor(site)
	if err != nil {
		return cfg, nil, usagef("--%v", err)
	}
	cfg.Vantages = []browser.Vantage{{Name: string(record.VantageEdge), Addr: edge}}
	if c.Origin != "" {
		host, _, err := net.SplitHostPort(c.Origin)
		if err != nil {
			host = c.Origin
		}
		if net.ParseIP(strings.Trim(host, "[]")) == nil {
			return cfg, nil, usagef("--origin %q: want an IP address (the browser maps the site's host to it)", c.Origin)
		}
		cfg.Vantages = append(cfg.Vantages, browser.Vantage{Name: string(record.VantageOrigin), Addr: strings.Trim(host, "[]")})
	}
	return cfg, scrub, nil
}

func orEmpty(err error) string {
	if err == nil {
		return "the file is empty"
	}
	return err.Error()
}

// browserExit: 0 when every walk passed, 3 when a refusal explains a
// failure, 1 when a step failed without one (the page broke, not a layer).
func browserExit(rc *runContext, rep *record.Report) error {
	if rep.Interrupted {
		return errInterrupted
	}
	failed := ""
	for _, b := range rep.Browser {
		if !b.Pass {
			for _, s := range b.Steps {
				if !s.Pass {
					failed = fmt.Sprintf("%s at the %s: %s", s.Name, b.Vantage, s.Detail)
					break
				}
			}
			break
		}
	}
	switch {
	case failed == "":
		return nil
	case rep.Refusals() > 0:
		return errRefusal
	default:
		return fmt.Errorf("the editor path failed (%s) and no refusal explains it", failed)
	}
}

// writeHAR writes the edge walk's recording (the one a user's own
// browser would have made), atomically.
func writeHAR(rc *runContext, name string, results []browser.Result) error {
	if len(results) == 0 {
		return nil
	}
	out, err := openOutput(rc, name)
	if err != nil {
		return err
	}
	_, err = out.w.Write(results[0].HAR)
	if err != nil {
		err = fmt.Errorf("--record-har: %w", err)
	}
	return out.finish(err)
}
