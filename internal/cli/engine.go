package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/finish"
	"github.com/wp403/wp403/internal/logscan"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
	"github.com/wp403/wp403/internal/signature"
	"github.com/wp403/wp403/internal/waf"
)

// classifier returns the embedded signature database, or nil when it
// fails to load (the verdict engine then reasons without signatures and
// the error is reported by 'wp403 signatures').
func classifier() diagnose.Classifier {
	db, err := signature.Default()
	if err != nil {
		return nil
	}
	return db
}

// replayer builds the Coraza + CRS engine on first use.
type replayer struct {
	once sync.Once
	eng  *waf.Engine
	err  error
}

func newReplayer() *replayer { return &replayer{} }

func (r *replayer) Replay(method, rawURL string, h http.Header, body []byte) (*record.WAFResult, error) {
	r.once.Do(func() { r.eng, r.err = waf.New(waf.Options{}) })
	if r.err != nil {
		return nil, r.err
	}
	return r.eng.Replay(context.Background(), waf.Request{Method: method, URL: rawURL, Header: h, Body: body})
}

// cookiesFromJar reads a Netscape cookie jar (curl -c) and returns the
// cookies for the site's host as a Cookie header value.
func cookiesFromJar(sc *bufio.Scanner, site string) (string, error) {
	host := site
	if u, err := url.Parse(site); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	var parts []string
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimPrefix(sc.Text(), "#HttpOnly_")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 7 {
			// The line is not shown: it holds a cookie value.
			return "", usagef("--cookie: line %d is not a Netscape cookie jar line: %d tab-separated fields, want 7 "+
				"(domain, subdomains, path, secure, expiry, name, value)", n, len(f))
		}
		domain := strings.TrimPrefix(f[0], ".")
		if strings.EqualFold(domain, host) || strings.HasSuffix(strings.ToLower(host), "."+strings.ToLower(domain)) {
			parts = append(parts, f[5]+"="+f[6])
		}
	}
	if err := sc.Err(); err != nil {
		return "", usagef("--cookie: %v", err)
	}
	return strings.Join(parts, "; "), nil
}

// captureArgs turns the diagnose command line into one that replays
// anywhere: secrets become placeholders (header and cookie names kept),
// files that only exist here (password files, CA, logs, the capture
// itself) are dropped, and which secrets were given is returned.
func captureArgs(args []string) (out []string, secrets []string) {
	drop := map[string]string{"--app-password-file": "app-password", "--password-file": "password",
		"--cacert": "", "--proxy": "", "--log": "", "--record": "", "--output": "", "-o": "", "--log-format": ""}
	for i := 0; i < len(args); i++ {
		name, value, inline := strings.Cut(args[i], "=")
		if name == "-q" || name == "--quiet" {
			continue // a global flag: how this run printed, not what it sent
		}
		if strings.HasPrefix(args[i], "-H") && len(args[i]) > 2 { // -H'Authorization: …', attached
			name, value, inline = "-H", strings.TrimPrefix(args[i][2:], "="), true
		}
		if kind, ok := drop[name]; ok {
			if kind != "" {
				secrets = append(secrets, kind)
			}
			if !inline {
				i++
			}
			continue
		}
		if name == "--cookie" || name == "-H" || name == "--header" {
			if !inline && i+1 < len(args) {
				i++
				value = args[i]
			}
			out = append(out, name, redactFlagValue(name, value))
			continue
		}
		out = append(out, args[i])
	}
	return out, secrets
}

func redactFlagValue(flag, v string) string {
	if flag == "--cookie" {
		return redact.HeaderValue("Cookie", v)
	}
	hn, hv, ok := strings.Cut(v, ":")
	if !ok {
		return v
	}
	return hn + ": " + redact.HeaderValue(strings.TrimSpace(hn), strings.TrimSpace(hv))
}

// writeCapture saves a capture file next to nothing else: the report is
// rendered separately.
func writeCapture(rc *runContext, name string, c *diagnose.Capture, _ *record.Report) error {
	out, err := openOutput(rc, name)
	if err != nil {
		return fmt.Errorf("--record: %w", err)
	}
	enc := json.NewEncoder(out.w)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err = enc.Encode(c); err != nil {
		err = fmt.Errorf("write capture: %w", err)
	}
	return out.finish(err)
}

// logReader streams --log files through the log scanner and attaches the
// entries that record the observations; nothing else is kept.
func logReader(format string) diagnose.LogReader {
	return func(ctx context.Context, files []string, obs []record.Observation) ([]record.LogEntry, error) {
		opt := logscan.Options{}
		if format != "" {
			lf, err := logscan.CompileLogFormat(format)
			if err != nil {
				return nil, fmt.Errorf("--log-format: %w", err)
			}
			opt.LogFormat = lf
		}
		entries, _, dropped, err := logscan.ReadMatching(ctx, files, opt, obs, logscan.DefaultWindow)
		if err == nil && dropped > 0 {
			err = fmt.Errorf("%d log entries that might have matched were left out to bound memory", dropped)
		}
		return entries, err
	}
}

// matchingLogs reads --log files of the same time as a recording (HAR,
// browser) and attaches their entries to its requests by time, route and
// client: a browser sends no request id.
func matchingLogs(rc *runContext, files []string, tz, format string) (finish.LogReader, error) {
	if len(files) == 0 {
		return nil, nil
	}
	var opt logscan.Options
	var err error
	if opt.Zone, err = parseZone(tz); err != nil {
		return nil, usagef("--log-tz: %v", err)
	}
	if format != "" {
		if opt.LogFormat, err = logscan.CompileLogFormat(format); err != nil {
			return nil, usagef("--log-format: %v", err)
		}
	}
	paths := resolvePaths(rc.io.Env, files)
	return func(ctx context.Context, obs []record.Observation) ([]record.LogEntry, error) {
		entries, _, dropped, err := logscan.ReadMatching(ctx, paths, opt, obs, logscan.DefaultWindow)
		if err != nil {
			rc.warn("logs: %v", err)
		}
		if dropped > 0 {
			rc.note("logs: %d matching entries beyond the limit of %d per request were not kept", dropped, logscan.MaxPerObservation)
		}
		return entries, nil
	}, nil
}
