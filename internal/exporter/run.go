package exporter

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/policy"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// Runner runs the probe of one configured site. It is safe for
// concurrent use.
type Runner struct {
	// Base holds the network settings, classifier and replayer; the URL,
	// origin, resolve entries and credentials come from each site.
	Base diagnose.Config
	// Secret returns the reader of secrets for a site whose relative
	// secret files live in dir.
	Secret func(dir string) func(policy.Secret) (string, error)
	// PerHost bounds the probes running at once against one host; 0 means 1.
	PerHost int
	// Diagnose runs one diagnosis; nil means diagnose.Run.
	Diagnose func(context.Context, diagnose.Config) (*record.Report, error)

	once  sync.Once
	hosts *gate
}

// logoutTimeout bounds logging a probe's sessions out.
const logoutTimeout = 10 * time.Second

// Result is one probe of one site.
type Result struct {
	Site     *Site
	Module   string
	Started  time.Time
	Duration time.Duration
	Report   *record.Report
	// Scrub holds the probe's secrets: render the report through it.
	Scrub *redact.Scrubber
	Err   error
	// Logins counts the wp-login.php sessions the probe opened, all logged
	// out at its end unless Logout says why not.
	Logins int
	Logout error
}

// Probe runs module ("" for the site's default) against site, waiting
// for its host's politeness slot first.
func (r *Runner) Probe(ctx context.Context, site *Site, module string) (res Result) {
	r.once.Do(func() { r.hosts = newGate(max(r.PerHost, 1)) })
	if module == "" {
		module = site.Module
	}
	res = Result{Site: site, Module: module, Scrub: &redact.Scrubber{}}
	if err := r.hosts.acquire(ctx, site.Host); err != nil {
		res.Started, res.Err = time.Now(), fmt.Errorf("waiting for %s: %w", site.Host, err)
		return res
	}
	defer r.hosts.release(site.Host)
	res.Started = time.Now()
	base := r.Base
	base.Scrubber, base.Progress = res.Scrub, nil
	logins := &sessions{}
	base.Wrap = logins.wrap(base.Wrap)
	defer func() {
		// Also after a timeout: a session left open outlives the probe.
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), logoutTimeout)
		defer cancel()
		res.Logins, res.Logout = logins.closeAll(lctx, res.Scrub)
	}()
	runner := &policy.Runner{Base: base, Secret: r.Secret(site.Dir), Diagnose: r.Diagnose}
	switch module {
	case ModulePolicy:
		res.Report, res.Err = runner.Check(ctx, site.Policy)
	case ModuleDiagnose:
		res.Report, res.Err = r.defaultPlan(ctx, runner, site.Policy)
	default:
		res.Err = fmt.Errorf("unknown module %q", module)
	}
	res.Duration = time.Since(res.Started)
	if p := problem(res.Report); p != nil && res.Err == nil {
		// The site could not be diagnosed at all (no answer, not WordPress):
		// the probe failed; its report says why.
		res.Err = errors.New(p.Summary)
	}
	if err := ctx.Err(); err != nil && res.Err == nil {
		// Requests cut short say nothing about the site: no checks.
		res.Report, res.Err = nil, fmt.Errorf("probe stopped after %s: %w", res.Duration.Round(time.Millisecond), err)
	}
	return res
}

func problem(rep *record.Report) *record.Problem {
	if rep == nil {
		return nil
	}
	return rep.Problem
}

// defaultPlan runs diagnose's default plan with the site's credentials:
// its first application-password identity and the login identity of the
// same user (or the first one), so both auth kinds are covered.
func (r *Runner) defaultPlan(ctx context.Context, runner *policy.Runner, p *policy.Policy) (*record.Report, error) {
	var app, login *policy.Identity
	for i := range p.Identities {
		id := &p.Identities[i]
		if id.Mode == policy.ModeAppPassword && app == nil {
			app = id
		}
	}
	for i := range p.Identities {
		id := &p.Identities[i]
		if id.Mode == policy.ModeLogin && (login == nil || app != nil && id.User == app.User && login.User != app.User) {
			login = id
		}
	}
	first := p.Identities[0] // anonymous
	if app != nil {
		first = *app
	} else if login != nil {
		first, login = *login, nil
	}
	cfg, err := runner.IdentityConfig(p, first)
	if err == nil && login != nil && (app == nil || login.User == app.User) {
		var lc diagnose.Config
		lc, err = runner.IdentityConfig(p, *login)
		cfg.Password = lc.Password
	}
	if err != nil {
		return nil, err
	}
	run := r.Diagnose
	if run == nil {
		run = diagnose.Run
	}
	return run(ctx, cfg)
}

// gate bounds concurrent holders per key.
type gate struct {
	per int
	mu  sync.Mutex
	m   map[string]chan struct{}
}

func newGate(per int) *gate { return &gate{per: per, m: map[string]chan struct{}{}} }

func (g *gate) slots(key string) chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	c, ok := g.m[key]
	if !ok {
		c = make(chan struct{}, g.per)
		g.m[key] = c
	}
	return c
}

func (g *gate) acquire(ctx context.Context, key string) error {
	select {
	case g.slots(key) <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g *gate) release(key string) { <-g.slots(key) }
