package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/logscan"
)

type logsCmd struct {
	Files      []string `arg:"" name:"FILE" help:"Logs to read, plain or .gz (\"-\" reads standard input): nginx/Apache/LiteSpeed/varnishncsa access and error logs, ModSecurity or Coraza audit logs, HAProxy, and the JSON logs of edges and cloud WAFs (Cloudflare, AWS WAF, Cloud Armor, Azure, Akamai, Fastly, Sucuri, Caddy, Traefik)."`
	LogFormat  string   `name:"log-format" placeholder:"FORMAT" help:"nginx log_format (or Apache LogFormat) of a custom access log."`
	As         string   `name:"as" placeholder:"KIND" help:"Skip detection and read every file as KIND: access, nginx-custom, nginx-error, apache-error, modsec2-native, modsec3-native, coraza-native, modsec2-json, modsec3-json, coraza-json, cloudflare-firewall, haproxy-http, cloudflare-http-requests, cloudflare-events-csv, aws-waf, cloud-armor, azure-frontdoor-waf, azure-appgw-waf, akamai-siem, fastly-json, fastly-ngwaf, sucuri-audit, caddy-json, traefik-json."`
	Since      string   `name:"since" placeholder:"TIME" help:"Only entries at or after TIME (RFC 3339, 'YYYY-MM-DD[ HH:MM]', or a duration before now such as 2h)."`
	Until      string   `name:"until" placeholder:"TIME" help:"Only entries at or before TIME (same forms as --since)."`
	RESTPrefix string   `name:"rest-prefix" placeholder:"PATH" default:"/wp-json/" help:"The site's REST prefix, when it is not /wp-json/."`
	LogTZ      string   `name:"log-tz" placeholder:"ZONE" help:"Time zone of the server that wrote the logs (Europe/Paris, +02:00, Local), for error and audit logs whose times carry none (default UTC)."`
	Format     string   `short:"f" name:"format" placeholder:"FORMAT" complete:"text,json" help:"Output format: text or json (default: from the -o extension, else text)."`
	Output     string   `short:"o" name:"output" placeholder:"FILE" help:"Write to FILE (atomically) instead of standard output."`
	Top        int      `name:"top" default:"40" help:"Text format: show the N largest groups (0: all)."`
}

// logsOutput is the JSON form of `wp403 logs`.
type logsOutput struct {
	Schema string `json:"schema"`
	*logscan.Summary
}

func (c *logsCmd) Run(rc *runContext) error {
	opt, err := c.options(time.Now())
	if err != nil {
		return err
	}
	format, err := pickFormat(c.Format, c.Output, dataFormats)
	if err != nil {
		return err
	}
	var sum logscan.Summary
	failed := 0
	for _, f := range resolvePaths(rc.io.Env, c.Files) {
		var st logscan.Stats
		var err error
		if filepath.Base(f) == "-" {
			st, err = logscan.Scan(rc.ctx, rc.io.In, "(stdin)", opt, sum.Add)
		} else {
			st, err = logscan.ScanFile(rc.ctx, f, opt, sum.Add)
		}
		if err != nil {
			st.Error, failed = err.Error(), failed+1
		}
		sum.Stats = append(sum.Stats, st)
	}
	if rc.ctx.Err() != nil {
		return rc.ctx.Err()
	}
	if failed == len(c.Files) {
		return usagef("no log could be read (%s); want server, WAF or CDN log files (see wp403 logs --help)", sum.Stats[0].Error)
	}
	sum.Finish()
	if err := c.render(rc, format, &sum); err != nil {
		return err
	}
	if sum.Refused > 0 {
		return errRefusal
	}
	return nil
}

func (c *logsCmd) render(rc *runContext, format string, sum *logscan.Summary) error {
	out, err := openOutput(rc, c.Output)
	if err != nil {
		return err
	}
	if format == "json" {
		err = writeJSON(out.w, logsOutput{Schema: "wp403.logs/v1", Summary: sum})
	} else {
		err = sum.WriteText(out.text(), c.Top)
	}
	return out.finish(err)
}

// options turns the flags into scan options; now anchors durations.
func (c *logsCmd) options(now time.Time) (logscan.Options, error) {
	opt := logscan.Options{Format: c.As, Prefix: c.RESTPrefix}
	if c.As != "" && !logscan.KnownFormat(c.As) {
		return opt, usagef("--as %q: not a log kind (see --help)", c.As)
	}
	var err error
	if c.LogFormat != "" {
		if opt.LogFormat, err = logscan.CompileLogFormat(c.LogFormat); err != nil {
			return opt, usagef("--log-format: %v", err)
		}
		if opt.Format == "" {
			opt.Format = logscan.FmtCustom
		}
	}
	if opt.Zone, err = parseZone(c.LogTZ); err != nil {
		return opt, usagef("--log-tz: %v", err)
	}
	if opt.Since, err = parseWhen(c.Since, now); err != nil {
		return opt, usagef("--since: %v", err)
	}
	if opt.Until, err = parseWhen(c.Until, now); err != nil {
		return opt, usagef("--until: %v", err)
	}
	if !opt.Since.IsZero() && !opt.Until.IsZero() && opt.Until.Before(opt.Since) {
		return opt, usagef("--until is before --since")
	}
	if !strings.HasPrefix(opt.Prefix, "/") || !strings.HasSuffix(opt.Prefix, "/") {
		return opt, usagef("--rest-prefix must start and end with '/', like /wp-json/")
	}
	return opt, nil
}

// parseWhen reads RFC 3339, a date with optional time (UTC), or a
// duration before now.
func parseWhen(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time (RFC 3339, YYYY-MM-DD[ HH:MM]) or a duration (2h)", s)
}

// parseZone reads an IANA zone name, "Local", "UTC" or a fixed offset
// such as +02:00; "" is nil (UTC).
func parseZone(s string) (*time.Location, error) {
	if s == "" {
		return nil, nil
	}
	if t, err := time.Parse("-07:00", s); err == nil {
		_, off := t.Zone()
		return time.FixedZone(s, off), nil
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", s)
	}
	return loc, nil
}
