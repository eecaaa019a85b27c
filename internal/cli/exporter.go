package cli

import (
	"errors"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/wp403/wp403/internal/exporter"
	"github.com/wp403/wp403/internal/policy"
)

// fleetFlags are the network settings every site of a fleet shares;
// where each site is (url, origin, resolve) comes from the configuration.
type fleetFlags struct {
	Insecure    bool          `short:"k" name:"insecure" help:"Do not verify TLS certificates."`
	CACert      string        `name:"cacert" placeholder:"FILE" help:"Trust the CA certificates in this PEM file (private CAs)."`
	Timeout     time.Duration `name:"timeout" default:"15s" help:"Time limit for one request, body included."`
	Concurrency int           `name:"concurrency" default:"4" help:"Requests in flight per host within one site's probe, at most."`
	UserAgent   string        `name:"user-agent" placeholder:"UA" help:"User-Agent to send (default: a browser agent with a wp403 token)."`
	PerHost     int           `name:"per-host" default:"1" help:"Sites probed at once against one host (the address their requests go to), at most."`
	NoReplay    bool          `name:"no-waf-replay" help:"Do not replay refused requests through the embedded OWASP CRS."`
}

type exporterCmd struct {
	Config    string        `name:"config" required:"" placeholder:"FILE" help:"Sites to watch (YAML, see docs/exporter.md); reloaded on SIGHUP (and POST /-/reload with --web.enable-lifecycle)."`
	Listen    string        `name:"listen" default:"127.0.0.1:9403" placeholder:"ADDR" help:"Address to serve /probe, /metrics and the status page on (default 127.0.0.1:9403)."`
	MaxProbes int           `name:"max-probes" default:"8" help:"Probes running at once, at most (others wait within their scrape timeout)."`
	History   int           `name:"history" default:"100" help:"Recent probes (with their reports) kept for the status page."`
	ProbeTime time.Duration `name:"probe-timeout" default:"2m" help:"Time limit for a probe (Prometheus's scrape timeout can only shorten it)."`
	WebConfig string        `name:"web.config.file" placeholder:"FILE" help:"Prometheus web configuration (TLS, basic auth), as every official exporter reads it."`
	Lifecycle bool          `name:"web.enable-lifecycle" help:"Serve POST /-/reload (off by default; SIGHUP always reloads)."`
	Hosts     []string      `name:"web.allowed-host" placeholder:"NAME" help:"A Host name to answer besides localhost and IP addresses (repeatable); on a loopback --listen, other names are refused (DNS rebinding)."`
	fleetFlags
}

func (c *exporterCmd) Run(rc *runContext) error {
	if c.MaxProbes < 1 || c.MaxProbes > 1024 || c.History < 1 || c.History > 10000 {
		return usagef("--max-probes must be 1..1024 and --history 1..10000")
	}
	runner, err := fleetRunner(rc, c.fleetFlags)
	if err != nil {
		return err
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	exp, err := exporter.New(exporter.Options{ConfigPath: resolvePath(rc.io.Env, c.Config), Runner: runner,
		Vocab: exporter.DefaultVocab(), MaxProbes: c.MaxProbes, History: c.History, Timeout: c.ProbeTime, Reload: hup, Log: rc.io.Err,
		WebConfig: resolveOptional(rc.io.Env, c.WebConfig), Lifecycle: c.Lifecycle, AllowedHosts: c.Hosts})
	if err != nil {
		return configErr(err)
	}
	ln, err := net.Listen("tcp", c.Listen)
	if err != nil {
		return usagef("--listen: %v", err)
	}
	return exp.Serve(rc.ctx, ln)
}

func resolveOptional(env Env, p string) string {
	if p == "" {
		return ""
	}
	return resolvePath(env, p)
}

// fleetRunner builds the exporter's runner from the shared flags.
func fleetRunner(rc *runContext, f fleetFlags) (*exporter.Runner, error) {
	if f.PerHost < 1 || f.PerHost > 64 {
		return nil, usagef("--per-host must be between 1 and 64")
	}
	base, err := networkConfig(rc, "", networkFlags{Insecure: f.Insecure, CACert: f.CACert, Timeout: f.Timeout,
		Concurrency: f.Concurrency, UserAgent: f.UserAgent})
	if err != nil {
		return nil, err
	}
	if !f.NoReplay {
		base.Replayer = newReplayer()
	}
	env := rc.io.Env
	return &exporter.Runner{Base: base, PerHost: f.PerHost,
		Secret: func(dir string) func(policy.Secret) (string, error) { return secretReader(env, dir) }}, nil
}

// configErr makes a configuration problem a usage error (exit 2).
func configErr(err error) error {
	var le *policy.LoadError
	if errors.As(err, &le) {
		return usagef("%v", err)
	}
	return err
}
