package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/wp403/wp403/internal/finish"
	"github.com/wp403/wp403/internal/ioctx"
	"github.com/wp403/wp403/internal/logscan"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
	"github.com/wp403/wp403/internal/waf"
)

// wafCmd groups the in-process WAF commands.
type wafCmd struct {
	Replay wafReplayCmd `cmd:"" help:"Replay a request through Coraza + OWASP CRS 4: matched rules, targets, anomaly score, verdict and the narrow exclusion."`
}

type wafReplayCmd struct {
	Request     string   `name:"request" placeholder:"'METHOD ROUTE-or-URL'" help:"The request, e.g. 'POST /wp/v2/posts/1' or 'POST https://site/wp-json/wp/v2/posts/1'."`
	Data        string   `name:"data" placeholder:"@FILE|STRING" help:"Body for --request."`
	ContentType string   `name:"content-type" placeholder:"TYPE" help:"Content-Type for --data (default: application/json for a JSON body)."`
	Header      []string `short:"H" name:"header" placeholder:"'Name: value'" help:"Request header (repeatable)."`
	HAR         string   `name:"har" placeholder:"FILE" help:"Take the request from a browser HAR export."`
	Entry       int      `name:"entry" default:"-1" help:"HAR entry (0-based); default: the first one refused with 401/403/406."`
	Raw         string   `name:"raw" placeholder:"FILE" help:"Take the request from a raw HTTP request file, replayed as sent (also the '> ' lines of curl -v output)."`
	Log         []string `name:"log" placeholder:"FILE" help:"Server/WAF log to take the logged request and its rule ids from (with --request-id)."`
	RequestID   string   `name:"request-id" placeholder:"ID" help:"X-WP403-Request-Id or the WAF's unique id of the logged request."`

	Paranoia  int      `name:"paranoia" default:"1" help:"CRS blocking paranoia level (1-4)."`
	Threshold int      `name:"threshold" default:"5" help:"Inbound anomaly score threshold."`
	Rules     []string `name:"rules" placeholder:"[before:|after:]PATH" help:"Your rule or exclusion files/directories (repeatable); *before*/*config* files load before the CRS, others after."`
	NoCRS     bool     `name:"no-crs" help:"Load only --rules (your own full rule set), not the embedded CRS."`
	Body      string   `name:"body-processor" enum:"json,urlencoded,off" default:"json" help:"Body processor like the server: json (recommended conf), urlencoded, off."`
	Server    string   `name:"server" enum:"nginx,apache,litespeed," default:"" help:"The origin web server, for the remedy."`
	Engine    string   `name:"engine" enum:"modsecurity-v2,modsecurity-v3,coraza," default:"" help:"The server's WAF engine (ModSecurity v2 names JSON args ARGS:content)."`
	CRS       string   `name:"crs" placeholder:"VERSION" help:"The server's CRS version, e.g. 3.3.4 or 4."`
	Prefix    string   `name:"rest-prefix" default:"/wp-json" help:"The site's REST prefix; its last segment is looked for in the request, whose own install path (/blog/wp-json, /index.php/wp-json) scopes the exclusion."`
	Format    string   `short:"f" name:"format" placeholder:"FORMAT" complete:"text,json" help:"Output format: text or json (default: from the -o extension, else text)."`
	Output    string   `short:"o" name:"output" placeholder:"FILE" help:"Write to FILE (atomically) instead of standard output."`
}

// wafReplayOut is the JSON form of one replay.
type wafReplayOut struct {
	Method   string            `json:"method"`
	URL      string            `json:"url"`
	Route    string            `json:"route,omitempty"`
	Result   *record.WAFResult `json:"result"`
	Logged   *record.LogEntry  `json:"logged,omitempty"`
	Remedies []record.Remedy   `json:"remedies,omitempty"`
}

func (c *wafReplayCmd) Run(rc *runContext) error {
	if _, err := pickFormat(c.Format, c.Output, dataFormats); err != nil {
		return err
	}
	req, logged, err := c.input(rc)
	if err != nil {
		return err
	}
	opts, err := c.options(rc)
	if err != nil {
		return err
	}
	eng, err := waf.Shared(opts)
	if err != nil {
		return fmt.Errorf("waf: %w", err)
	}
	res, err := eng.Replay(ctxOf(rc), req)
	if err != nil {
		return err
	}
	out := wafReplayOut{Method: req.Method, URL: redact.URL(req.URL), Result: res, Logged: logged}
	out.Route, _, _ = record.ParseRoute(req.URL, strings.TrimSuffix(c.Prefix, "/")+"/")
	out.Remedies = c.remedies(req, out.Route, res, logged)
	if err := c.write(rc, out); err != nil {
		return err
	}
	if res.Blocked || (logged != nil && logged.Blocked) {
		return errRefusal
	}
	return nil
}

// write renders the replay in the chosen format.
func (c *wafReplayCmd) write(rc *runContext, res wafReplayOut) error {
	format, err := pickFormat(c.Format, c.Output, dataFormats)
	if err != nil {
		return err
	}
	out, err := openOutput(rc, c.Output)
	if err != nil {
		return err
	}
	if format == "json" {
		if err = writeJSON(out.w, res); err != nil {
			err = fmt.Errorf("write json: %w", err)
		}
	} else {
		err = writeWAFText(out.text(), res)
	}
	return out.finish(err)
}

func ctxOf(rc *runContext) context.Context {
	if rc.ctx != nil {
		return rc.ctx
	}
	return context.Background()
}

// options turns the flags into engine options.
func (c *wafReplayCmd) options(rc *runContext) (waf.Options, error) {
	o := waf.Options{Paranoia: c.Paranoia, Threshold: c.Threshold, BodyProcessor: c.Body, NoCRS: c.NoCRS,
		Server: waf.Server{Engine: c.Engine, CRS: c.CRS}}
	for _, r := range c.Rules {
		src := waf.RuleSource{Path: r}
		if p, ok := strings.CutPrefix(r, "before:"); ok {
			src = waf.RuleSource{Path: p, Place: waf.PlaceBefore}
		} else if p, ok := strings.CutPrefix(r, "after:"); ok {
			src = waf.RuleSource{Path: p, Place: waf.PlaceAfter}
		}
		src.Path = resolvePath(rc.io.Env, src.Path)
		if _, err := os.Stat(src.Path); err != nil {
			return o, usagef("--rules: %v", err)
		}
		o.Rules = append(o.Rules, src)
	}
	if c.NoCRS && len(o.Rules) == 0 {
		return o, usagef("--no-crs needs --rules")
	}
	if c.Paranoia < 1 || c.Paranoia > 4 {
		return o, usagef("--paranoia must be 1 to 4")
	}
	if c.Threshold < 1 {
		return o, usagef("--threshold must be at least 1")
	}
	return o, nil
}

// input builds the request from exactly one of the input flags.
func (c *wafReplayCmd) input(rc *runContext) (waf.Request, *record.LogEntry, error) {
	n := 0
	for _, set := range []bool{c.Request != "", c.HAR != "", c.Raw != "", c.RequestID != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return waf.Request{}, nil, usagef("give exactly one of --request, --har, --raw or --log with --request-id")
	}
	switch {
	case c.HAR != "":
		return c.fromHAR(rc)
	case c.Raw != "":
		return c.fromFile(rc, c.Raw, waf.ParseRaw)
	case c.RequestID != "":
		return c.fromLog(rc)
	}
	req, err := c.fromFlags(rc)
	return req, nil, err
}

// maxReplayInput bounds a --raw file: the request (its body at most
// 16 MiB, as the engine takes) and what surrounds it.
const maxReplayInput = 64 << 20

// fromHAR streams the export (of any size): only the chosen entry is held.
func (c *wafReplayCmd) fromHAR(rc *runContext) (waf.Request, *record.LogEntry, error) {
	f, err := os.Open(resolvePath(rc.io.Env, c.HAR))
	if err != nil {
		return waf.Request{}, nil, usagef("%v", err)
	}
	defer f.Close()
	req, err := waf.FromHAR(ioctx.Reader(ctxOf(rc), f), c.Entry)
	switch {
	case errors.Is(err, context.Canceled):
		return waf.Request{}, nil, errInterrupted
	case err != nil:
		return waf.Request{}, nil, usagef("%s: %v", c.HAR, err)
	}
	return req, nil, nil
}

func (c *wafReplayCmd) fromFile(rc *runContext, name string, parse func(io.Reader) (waf.Request, error)) (waf.Request, *record.LogEntry, error) {
	b, err := readLimited(ctxOf(rc), resolvePath(rc.io.Env, name), maxReplayInput)
	if err != nil {
		return waf.Request{}, nil, usagef("%v", err)
	}
	req, err := parse(bytes.NewReader(b))
	if err != nil {
		return waf.Request{}, nil, usagef("%s: %v", name, err)
	}
	return req, nil, nil
}

// fromFlags builds the request from --request, --data, --content-type and -H.
func (c *wafReplayCmd) fromFlags(rc *runContext) (waf.Request, error) {
	method, target, ok := strings.Cut(strings.TrimSpace(c.Request), " ")
	target = strings.TrimSpace(target)
	if !ok || target == "" {
		return waf.Request{}, usagef("--request %s: want 'METHOD ROUTE-or-URL'", redact.Hint(c.Request))
	}
	req := waf.Request{Method: strings.ToUpper(method), URL: c.url(target), Header: http.Header{}}
	for _, h := range c.Header {
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return req, usagef("-H %s: want 'Name: value'", redact.Hint(h))
		}
		req.Header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	if body, err := c.body(rc); err != nil {
		return req, err
	} else if len(body) > 0 {
		req.Body = body
		ct := c.ContentType
		if ct == "" && json.Valid(body) {
			ct = "application/json"
		}
		if ct != "" && req.Header.Get("Content-Type") == "" {
			req.Header.Set("Content-Type", ct)
		}
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "wp403/"+version)
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json, */*;q=0.1")
	}
	return req, nil
}

// url turns a REST route into a pretty URL path; paths and URLs pass.
func (c *wafReplayCmd) url(target string) string {
	switch {
	case strings.Contains(target, "://"), strings.HasPrefix(target, c.Prefix), strings.HasPrefix(target, "/?"), strings.HasPrefix(target, "//"),
		strings.HasPrefix(target, "/index.php"), strings.HasPrefix(target, "/wp-"):
		return target
	}
	return strings.TrimSuffix(c.Prefix, "/") + "/" + strings.TrimLeft(target, "/")
}

func (c *wafReplayCmd) body(rc *runContext) ([]byte, error) {
	if c.Data == "" {
		return nil, nil
	}
	if name, ok := strings.CutPrefix(c.Data, "@"); ok {
		b, err := readSmallFile(rc.io.Env, name)
		if err != nil {
			return nil, usagef("--data: %v", err)
		}
		return b, nil
	}
	return []byte(c.Data), nil
}

// fromLog finds the logged request by id and merges what the log lines
// say about it. Logs do not keep the body: the replay covers the request
// line and headers, and the logged rule ids are shown beside it.
func (c *wafReplayCmd) fromLog(rc *runContext) (waf.Request, *record.LogEntry, error) {
	if len(c.Log) == 0 {
		return waf.Request{}, nil, usagef("--request-id needs --log FILE")
	}
	// Only the entries of this request are kept while the logs stream past.
	var entries []record.LogEntry
	var err error
	for _, p := range resolvePaths(rc.io.Env, c.Log) {
		_, ferr := logscan.ScanFile(ctxOf(rc), p, logscan.Options{All: true}, func(e record.LogEntry) {
			if (e.RequestID == c.RequestID || e.UniqueID == c.RequestID) && len(entries) < logscan.MaxPerObservation {
				entries = append(entries, e)
			}
		})
		if ferr != nil && err == nil {
			err = ferr
		}
	}
	if err != nil && len(entries) == 0 {
		return waf.Request{}, nil, fmt.Errorf("read logs: %w", err)
	}
	req, e, err := waf.FromLog(entries, c.RequestID)
	if err != nil {
		return waf.Request{}, nil, usagef("--request-id: %v in %s", err, strings.Join(c.Log, ", "))
	}
	return req, e, nil
}

// remedies writes the exclusion for the rules that refused: the logged
// ones when a log named them (the server's own verdict), else the replay's.
func (c *wafReplayCmd) remedies(req waf.Request, route string, res *record.WAFResult, logged *record.LogEntry) []record.Remedy {
	rules := res.Rules
	blocked := res.Blocked
	if logged != nil && len(logged.Rules) > 0 {
		rules, blocked = logged.Rules, logged.Blocked || blocked
	}
	if !blocked {
		return nil
	}
	ctx := finish.RemedyContext{Server: c.Server, WAF: c.Engine, RESTPrefix: c.Prefix, Target: req.URL,
		ContentType: req.Header.Get("Content-Type"), UserAgent: req.Header.Get("User-Agent")}
	ctx.Action, ctx.ActionInBody, _ = req.Param("action")
	if v := strings.TrimPrefix(strings.ToLower(c.CRS), "v"); v != "" && v[0] >= '1' && v[0] <= '9' {
		ctx.CRS = int(v[0] - '0')
	}
	return finish.WAFRemedies(req.Method, route, rules, ctx)
}

func writeWAFText(w io.Writer, o wafReplayOut) error {
	r := o.Result
	verdict := "passes"
	if r.Blocked {
		verdict = fmt.Sprintf("BLOCKED (%d)", r.Status)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s\n", o.Method, o.URL, verdict)
	fmt.Fprintf(&b, "engine: %s, %s, paranoia %d, threshold %d, body processor %s\n",
		r.Engine, r.RuleSet, r.Paranoia, r.Threshold, orNone(r.Processor))
	fmt.Fprintf(&b, "anomaly score: %d\n", r.Score)
	writeHits(&b, "matched rules", r.Rules)
	if l := o.Logged; l != nil {
		fmt.Fprintf(&b, "logged by %s: status %d, blocked %t, score %d (the log has no body: the replay above covers the request line and headers)\n",
			orNone(l.Engine), l.Status, l.Blocked, l.Score)
		writeHits(&b, "logged rules", l.Rules)
	}
	if r.Approximate != "" {
		fmt.Fprintf(&b, "note: %s\n", r.Approximate)
	}
	if why := finish.AttackIn(o.Result.Rules); why != "" && len(o.Remedies) > 0 {
		fmt.Fprintf(&b, "\nwarning: this looks like a real attack; the WAF is right (%s). Do not exclude it unless you sent it yourself.\n", why)
	}
	for i, m := range o.Remedies {
		fmt.Fprintf(&b, "\nremedy %d: %s [%s, narrow: %t]\n  scope: %s\n", i+1, m.Title, m.Product, m.Narrow, m.Scope)
		if m.Where != "" {
			fmt.Fprintf(&b, "  where: %s\n", m.Where)
		}
		if m.Snippet != "" {
			fmt.Fprintf(&b, "\n%s\n", indent(m.Snippet, "    "))
		}
		if m.Caveat != "" {
			fmt.Fprintf(&b, "  caveat: %s\n", m.Caveat)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeHits(b *strings.Builder, title string, hs []record.RuleHit) {
	if len(hs) == 0 {
		fmt.Fprintf(b, "%s: none\n", title)
		return
	}
	fmt.Fprintf(b, "%s:\n", title)
	for _, h := range hs {
		fmt.Fprintf(b, "  %-7d %-32s %s\n", h.ID, orNone(h.Target), h.Message)
	}
}

func indent(s, pre string) string {
	return pre + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+pre)
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
