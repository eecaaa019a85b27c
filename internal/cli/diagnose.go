package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/probe"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
	"github.com/wp403/wp403/internal/report"
)

// networkFlags are shared by every command that talks to a site.
type networkFlags struct {
	Resolve     []string      `name:"resolve" placeholder:"HOST:PORT:ADDR" help:"Connect to ADDR for HOST:PORT, keeping Host and TLS server name (curl semantics; repeatable)."`
	Origin      string        `name:"origin" placeholder:"ADDR[:PORT]" help:"Also send requests straight to the origin server at ADDR, with the site's Host header and TLS server name (never through a proxy): the REST index, your --request, and each default-plan request the edge refused."`
	Proxy       string        `name:"proxy" placeholder:"URL" help:"Send edge probes through this proxy, e.g. http://proxy:3128 (default: HTTPS_PROXY / HTTP_PROXY, except hosts in NO_PROXY). Origin probes go straight to --origin."`
	Insecure    bool          `short:"k" name:"insecure" help:"Do not verify TLS certificates."`
	CACert      string        `name:"cacert" placeholder:"FILE" help:"Trust the CA certificates in this PEM file (private CAs)."`
	Timeout     time.Duration `name:"timeout" default:"15s" help:"Time limit for one request, body included."`
	MaxTime     time.Duration `name:"max-time" placeholder:"DURATION" help:"Time limit for all the requests of the run (as curl --max-time); when it hits, the report is marked incomplete (exit 130)."`
	Concurrency int           `name:"concurrency" default:"4" help:"Requests in flight per host, at most."`
	UserAgent   string        `name:"user-agent" placeholder:"UA" help:"User-Agent to send (default: a browser agent with a wp403 token)."`
}

// credentialFlags say who to authenticate as.
type credentialFlags struct {
	User            string   `name:"user" placeholder:"NAME" help:"WordPress login name (for application password and cookie login)."`
	AppPasswordFile string   `name:"app-password-file" placeholder:"FILE" help:"File holding the application password (or set WP403_APP_PASSWORD)."`
	PasswordFile    string   `name:"password-file" placeholder:"FILE" help:"File holding the login password, to test cookie + nonce auth (or set WP403_PASSWORD)."`
	Cookie          string   `name:"cookie" placeholder:"'a=b; c=d'|@JAR" help:"Cookies exactly as a browser sent them, or @FILE for a Netscape cookie jar."`
	Header          []string `short:"H" name:"header" placeholder:"'Name: value'" help:"Extra header for your requests (repeatable)."`
}

// requestFlags describe the failing request.
type requestFlags struct {
	Request     []string `name:"request" placeholder:"'METHOD ROUTE'" help:"The failing request, e.g. 'POST /wp/v2/posts' (repeatable). Without it, a default editor and integration plan."`
	Data        string   `name:"data" placeholder:"@FILE|STRING" help:"Body for --request."`
	ContentType string   `name:"content-type" placeholder:"TYPE" help:"Content-Type for --data (default: application/json for a JSON body)."`
}

type diagnoseCmd struct {
	URL string `arg:"" name:"URL" help:"Any page of the site; the REST root is discovered."`
	networkFlags
	credentialFlags
	requestFlags
	Write      bool     `name:"write" help:"Allow probes that create and then delete a draft post and a media item."`
	Payload    bool     `name:"payload" help:"Send block-editor-shaped content in the save probe (WAFs inspect it; opt-in)."`
	SiteHealth bool     `name:"site-health" help:"Also send Site Health's REST API check as WordPress sends it to itself (its user agent, the admin's cookies, X-WP-Nonce) through the edge and at --origin, and explain Site Health's message. Needs an administrator's --user and --password-file, or their --cookie."`
	NoReplay   bool     `name:"no-waf-replay" help:"Do not replay refused requests through the embedded OWASP CRS."`
	Log        []string `name:"log" placeholder:"FILE" help:"Server, WAF or CDN log to correlate with the probes after probing (repeatable)."`
	LogFormat  string   `name:"log-format" placeholder:"FORMAT" help:"nginx log_format of a custom access log given with --log."`
	Record     string   `name:"record" placeholder:"FILE" help:"Write every response (secrets redacted) to a capture FILE that 'wp403 demo' and tests can replay."`
	Name       string   `name:"name" hidden:"" help:"Name stored in the capture (the lab scenario)."`
	Replay     string   `name:"replay" placeholder:"FILE" help:"Answer every request from a capture FILE instead of the network."`
	AgentKey   string   `name:"agent-key-file" placeholder:"FILE" help:"Key of the wp403 agent installed in the site (or set WP403_AGENT_KEY): sign every probe and read which callback refused."`
	replayCap  *diagnose.Capture
	outputFlags
}

// outputFlags choose the renderer.
type outputFlags struct {
	Format  string `short:"f" name:"format" placeholder:"FORMAT" complete:"${report_formats}" help:"Output format: ${report_formats_text} (default: from the -o extension, else text)."`
	Output  string `short:"o" name:"output" placeholder:"FILE" help:"Write the report to FILE (atomically: all of it or nothing)."`
	Verbose bool   `short:"v" help:"Text format: list every observation, the evidence and each finding's verdict rule."`
}

// Help is the detail 'wp403 diagnose --help' prints.
func (diagnoseCmd) Help() string {
	return "Exit codes: 0 no refusal found, 3 refusal diagnosed, 2 usage error (bad flag or input, with a one-line reason), " +
		"1 the site could not be diagnosed (nothing answered, or not WordPress) or another error, 130 interrupted (the report is partial)."
}

func (c *diagnoseCmd) Run(rc *runContext) error {
	cfg, err := c.config(rc)
	if err != nil {
		return err
	}
	cfg.Scrubber = diagnose.NewScrubber(cfg)
	var rec *diagnose.Recorder
	if c.Record != "" {
		rec = &diagnose.Recorder{Scrub: cfg.Scrubber}
		cfg.Wrap = rec.Wrap
	}
	m := rc.progress()
	m.attach(&cfg)
	rep, err := diagnose.Run(rc.ctx, cfg)
	m.finish()
	if err != nil {
		return mapDiagnoseErr(err)
	}
	if _, name, _ := proxyFunc(rc.io.Env, c.Proxy); name != "" && c.replayCap == nil && c.Replay == "" {
		rep.Notes = append(rep.Notes, proxyNote(name, c.Origin))
	}
	if rec != nil {
		args, secrets := captureArgs(rc.args)
		if err := writeCapture(rc, c.Record, rec.Capture(c.Name, args, secrets), rep); err != nil {
			return err
		}
	}
	return renderReport(rc, rep, c.outputFlags, cfg.Scrubber)
}

// config turns flags and environment into a diagnose.Config.
func (c *diagnoseCmd) config(rc *runContext) (diagnose.Config, error) {
	cfg, err := baseConfig(rc, c.URL, c.networkFlags, c.credentialFlags)
	if err != nil {
		return cfg, err
	}
	cfg.Requests, err = c.requests(rc)
	if err != nil {
		return cfg, err
	}
	cfg.Write, cfg.Payload, cfg.SiteHealth = c.Write, c.Payload, c.SiteHealth
	if cfg.AgentKey, err = agentKey(rc.io.Env, c.AgentKey); err != nil {
		return cfg, err
	}
	cfg.Now = rc.io.Env.Now
	cfg.LogFiles = resolvePaths(rc.io.Env, c.Log)
	cfg.LogReader = logReader(c.LogFormat)
	if !c.NoReplay {
		cfg.Replayer = newReplayer()
	}
	if err := c.setupReplay(rc, &cfg); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// netConfig is the run's one network configuration (--cacert, --resolve,
// -k, a fresh run id), for probes and the browser alike.
func netConfig(rc *runContext, n networkFlags) (probe.Network, error) {
	nw := probe.Network{Insecure: n.Insecure, Resolve: n.Resolve, RunID: probe.NewRunID()}
	if n.CACert != "" {
		pem, err := readSmallFile(rc.io.Env, n.CACert)
		if err != nil {
			return nw, usagef("--cacert: %v", err)
		}
		nw.CACertPEM = pem
	}
	return nw, nil
}

// baseConfig fills what every site-facing command shares.
func baseConfig(rc *runContext, url string, n networkFlags, cr credentialFlags) (diagnose.Config, error) {
	nw, err := netConfig(rc, n)
	if err != nil {
		return diagnose.Config{}, err
	}
	cfg := diagnose.Config{URL: url, Resolve: nw.Resolve, Origin: n.Origin, Insecure: nw.Insecure, CACertPEM: nw.CACertPEM, RunID: nw.RunID,
		Timeout: n.Timeout, Concurrency: n.Concurrency, UserAgent: n.UserAgent, User: cr.User, Headers: cr.Header,
		Classifier: classifier()}
	if n.Concurrency < 1 || n.Concurrency > 32 {
		return cfg, usagef("--concurrency must be between 1 and 32")
	}
	if n.MaxTime < 0 {
		return cfg, usagef("--max-time must not be negative")
	}
	if n.MaxTime > 0 {
		cfg.Deadline = time.Now().Add(n.MaxTime)
	}
	if cfg.Proxy, _, err = proxyFunc(rc.io.Env, n.Proxy); err != nil {
		return cfg, err
	}
	if cfg.AppPassword, err = secret(rc.io.Env, cr.AppPasswordFile, "WP403_APP_PASSWORD"); err != nil {
		return cfg, usagef("--app-password-file: %v", err)
	}
	if cfg.Password, err = secret(rc.io.Env, cr.PasswordFile, "WP403_PASSWORD"); err != nil {
		return cfg, usagef("--password-file: %v", err)
	}
	if (cfg.AppPassword != "" || cfg.Password != "") && cr.User == "" {
		return cfg, usagef("a password needs --user NAME")
	}
	if cr.User != "" && cfg.AppPassword == "" && cfg.Password == "" {
		return cfg, usagef("--user %s needs a password: --app-password-file FILE or --password-file FILE "+
			"(or WP403_APP_PASSWORD / WP403_PASSWORD); without one every request would go out anonymous", cr.User)
	}
	cfg.Cookie, err = cookieArg(rc.io.Env, cr.Cookie, url)
	return cfg, err
}

func (c *diagnoseCmd) requests(rc *runContext) ([]diagnose.RequestSpec, error) {
	var body []byte
	if c.Data != "" {
		if strings.HasPrefix(c.Data, "@") {
			b, err := readSmallFile(rc.io.Env, c.Data[1:])
			if err != nil {
				return nil, usagef("--data: %v", err)
			}
			body = b
		} else {
			body = []byte(c.Data)
		}
		if len(c.Request) == 0 {
			return nil, usagef("--data needs --request 'METHOD ROUTE'")
		}
	}
	var out []diagnose.RequestSpec
	for _, r := range c.Request {
		spec, err := diagnose.ParseRequest(r)
		if err != nil {
			return nil, mapDiagnoseErr(err)
		}
		spec.Body, spec.ContentType = body, c.ContentType
		out = append(out, spec)
	}
	return out, nil
}

// secret reads a secret from a file (first line) or the environment.
func secret(env Env, file, envVar string) (string, error) {
	if file == "" {
		return env.Get(envVar), nil
	}
	b, err := readSmallFile(env, file)
	if err != nil {
		return "", err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	if line = strings.TrimSpace(line); line == "" {
		return "", fmt.Errorf("%s is empty; want the secret on its first line", file)
	}
	return line, nil
}

// readSmallFile reads at most 1 MiB.
func readSmallFile(env Env, name string) ([]byte, error) {
	return readLimited(context.Background(), resolvePath(env, name), 1<<20)
}

func resolvePaths(env Env, in []string) []string {
	out := make([]string, len(in))
	for i, p := range in {
		out[i] = resolvePath(env, p)
	}
	return out
}

// cookieArg returns a Cookie header value from a string or @jar file.
func cookieArg(env Env, arg, site string) (string, error) {
	if !strings.HasPrefix(arg, "@") {
		return arg, nil
	}
	f, err := os.Open(resolvePath(env, arg[1:]))
	if err != nil {
		return "", usagef("--cookie: %v", err)
	}
	defer f.Close()
	return cookiesFromJar(bufio.NewScanner(io.LimitReader(f, 1<<20)), site)
}

// mapDiagnoseErr turns the engine's usage errors (a bad URL, a bad
// request), wherever they sit in the chain ("identity anonymous: …"),
// into usage errors (exit 2).
func mapDiagnoseErr(err error) error {
	if errors.Is(err, diagnose.ErrUsage) {
		return usageError{err}
	}
	return err
}

// writeReport renders the report in the format the flags choose, to
// standard output or atomically to -o FILE.
func writeReport(rc *runContext, rep *record.Report, o outputFlags, scrub *redact.Scrubber) error {
	return writeReportWith(rc, rep, o, report.Options{Scrub: scrub})
}

// writeReportWith is writeReport with the renderer's options given:
// Scrub, and Before for a retest's before/after page.
func writeReportWith(rc *runContext, rep *record.Report, o outputFlags, opts report.Options) error {
	format, err := pickFormat(o.Format, o.Output, reportFormats)
	if err != nil {
		return err
	}
	out, err := openOutput(rc, o.Output)
	if err != nil {
		return err
	}
	opts.Text = textOptions(rc.io.Env, out.w)
	opts.Text.Verbose = o.Verbose
	r, err := report.New(format, opts)
	if err != nil {
		return out.finish(usagef("%v", err))
	}
	if err := r.Render(out.w, rep); err != nil {
		return out.finish(fmt.Errorf("render %s: %w", format, err))
	}
	return out.finish(nil)
}

// renderReport writes the report and maps refusals to exit code 3.
func renderReport(rc *runContext, rep *record.Report, o outputFlags, scrub *redact.Scrubber) error {
	if err := writeReport(rc, rep, o, scrub); err != nil {
		return err
	}
	return outcome(rep)
}

// setupReplay answers requests from a capture (--replay FILE, or an
// embedded capture handed over by 'wp403 demo').
func (c *diagnoseCmd) setupReplay(rc *runContext, cfg *diagnose.Config) error {
	if c.Replay == "" && c.replayCap == nil {
		return nil
	}
	capt := c.replayCap
	if capt == nil {
		f, err := os.Open(resolvePath(rc.io.Env, c.Replay))
		if err != nil {
			return usagef("--replay: %v", err)
		}
		defer f.Close()
		if capt, err = diagnose.LoadCapture(f); err != nil {
			return usagef("--replay %s: %v", c.Replay, err)
		}
	}
	wrap, err := diagnose.ReplayWrap(capt)
	if err != nil {
		return err
	}
	cfg.Wrap, cfg.Source = wrap, "replay:"+capt.Name
	cfg.Timeout = 5 * time.Second
	return nil
}
