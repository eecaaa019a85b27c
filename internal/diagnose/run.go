package diagnose

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/probe"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
	"github.com/wp403/wp403/internal/verdict"
)

// Version is the tool version written into reports.
var Version = "wp403 0.1.0-dev"

// Run performs one diagnosis and returns its report. The error is for
// failures to run at all; refusals are findings in the report.
func Run(ctx context.Context, cfg Config) (*record.Report, error) {
	s, err := newSession(cfg)
	if err != nil {
		return nil, err
	}
	defer s.client.Close()
	start := s.now()
	rep := &record.Report{Schema: record.SchemaVersion, Tool: Version, Command: "diagnose", Started: start}
	s.runWaves(ctx, rep)
	s.finish(rep)
	rep.DurationMS = float64(s.now().Sub(start).Microseconds()) / 1000
	return rep, nil
}

func (s *session) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// Scrubber returns a scrubber loaded with the configured secrets, for
// renderers that print what Run returns.
func (s *session) Scrubber() *redact.Scrubber { return s.scrub }

func newSession(cfg Config) (*session, error) {
	target, err := parseTarget(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = probe.DefaultUserAgent
	}
	if err := checkHosts(cfg.Requests, target); err != nil {
		return nil, err
	}
	s := &session{cfg: cfg, target: target, scrub: cfg.scrubber(), jar: map[string]string{}, bodies: map[string][]byte{}, runID: runID()}
	if err := s.parseExtraHeaders(); err != nil {
		return nil, err
	}
	s.parseCookies(cfg.Cookie)
	pc, err := s.probeConfig()
	if err != nil {
		return nil, err
	}
	s.client, err = probe.New(pc)
	return s, err
}

// scrubber registers every secret the configuration holds.
func (cfg Config) scrubber() *redact.Scrubber {
	sc := cfg.Scrubber
	if sc == nil {
		sc = &redact.Scrubber{}
	}
	sc.Add(cfg.AppPassword, cfg.Password)
	for _, h := range cfg.Headers {
		if name, value, err := ParseHeader(h); err == nil && redact.IsSensitiveHeader(name) {
			sc.Add(value)
		}
	}
	return sc
}

// NewScrubber returns the scrubber for a configuration, for renderers.
func NewScrubber(cfg Config) *redact.Scrubber { return cfg.scrubber() }

func (s *session) parseExtraHeaders() error {
	s.extra = http.Header{}
	for _, h := range s.cfg.Headers {
		name, value, err := ParseHeader(h)
		if err != nil {
			return err
		}
		s.extra.Add(name, value)
	}
	return nil
}

func (s *session) probeConfig() (probe.Config, error) {
	resolve, err := probe.ParseResolve(s.cfg.Resolve)
	if err != nil {
		return probe.Config{}, usage("%v", err)
	}
	pc := probe.Config{Resolve: resolve, Origin: s.cfg.Origin, Insecure: s.cfg.Insecure, Timeout: s.cfg.Timeout,
		Concurrency: s.cfg.Concurrency, TargetHost: s.target.Hostname(), Scrubber: s.scrub, Wrap: s.cfg.Wrap}
	if len(s.cfg.CACertPEM) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(s.cfg.CACertPEM) {
			return probe.Config{}, usage("--cacert: no PEM certificate found")
		}
		pc.RootCAs = pool
	}
	return pc, nil
}

func runID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// runWaves sends discover → auth → plan → variants, each depending on
// the one before, and cleans up whatever --write created.
func (s *session) runWaves(ctx context.Context, rep *record.Report) {
	discovery, note := s.discover(ctx)
	rep.Notes = append(rep.Notes, "REST root "+s.restRoot+": "+note)
	if discovery.Failure != record.FailNone && discovery.Response == nil && !s.client.HasOrigin() {
		rep.Notes = append(rep.Notes, "the site did not answer; nothing more was sent")
		return
	}
	index := s.wave(ctx, "index", indexSpecs(), s.vantages())
	s.authenticate(ctx)
	created := &createdItems{}
	plan := s.userPlan(created)
	if len(s.cfg.Requests) == 0 {
		plan = append(s.defaultPlan(), plan...)
	}
	if s.cfg.Write {
		plan = append(plan, s.writePlan(created)...)
	}
	defer s.cleanup(created)
	first := s.wave(ctx, "plan", plan, s.vantages())
	if ctx.Err() != nil || s.lockedOut(ctx, index) {
		return
	}
	s.sendVariants(ctx, append(indexSpecs()[:1], plan...), append(index, first...), created)
}

// authenticate logs in and fetches a nonce when a password or cookie was given.
func (s *session) authenticate(ctx context.Context) {
	if s.cfg.Password != "" && s.cfg.User != "" {
		s.login(ctx)
	}
	if s.hasLoginCookie() {
		if o := s.fetchNonce(ctx); o.Status() == http.StatusOK && s.currentNonce() != "" {
			s.freshNonce = true
		}
	}
	if s.cfg.Password != "" && s.currentNonce() != "" && s.isAdminCapable() {
		s.wave(ctx, "authorization header test", []spec{authHeaderTestSpec()}, []record.Vantage{record.VantageEdge})
	}
}

// isAdminCapable is a cheap guess: Site Health's tests need an
// administrator; we try whenever a cookie session exists and let a 403
// mean "not available".
func (s *session) isAdminCapable() bool { return s.cfg.User != "" }

// authHeaderTestSpec asks Site Health whether Basic credentials reach PHP,
// sending dummy ones beside a valid cookie (the cookie wins the user).
func authHeaderTestSpec() spec {
	return spec{key: "aux:authorization-header-test", purpose: "does the Authorization header reach PHP (Site Health test)",
		method: "GET", route: "/wp-site-health/v1/tests/authorization-header", auth: record.AuthCookieNonce, expect: "2xx",
		header: http.Header{"Authorization": {"Basic dXNlcjpwd2Q="}}}
}

// lockedOut re-sends the anonymous index: if it passed at the start and is
// refused now, the site has started refusing everything, and we stop.
func (s *session) lockedOut(ctx context.Context, index []record.Observation) bool {
	if len(index) == 0 || index[0].Status() != http.StatusOK {
		return false
	}
	canary := indexSpecs()[0]
	canary.key = "aux:canary"
	o := s.wave(ctx, "lockout check", []spec{canary}, []record.Vantage{record.VantageEdge})[0]
	if o.Status() == http.StatusOK {
		return false
	}
	s.notes = append(s.notes, "the site started refusing the anonymous REST index that worked at the start (lockout or rate limit); wp403 stopped sending requests")
	return true
}

// sendVariants adds control variants for every refused plan request.
func (s *session) sendVariants(ctx context.Context, plan []spec, first []record.Observation, created *createdItems) {
	byKey := map[string]spec{}
	for _, sp := range plan {
		byKey[sp.key] = sp
	}
	var variants []spec
	done := map[string]bool{}
	for _, o := range first {
		sp, known := byKey[o.Probe]
		if !known || done[o.Probe] || o.Variant != "" || !failed(o) {
			continue
		}
		done[o.Probe] = true
		variants = append(variants, s.variantsFor(sp, created)...)
	}
	if len(variants) > 0 {
		s.wave(ctx, "variants", variants, s.vantages())
	}
}

// finish correlates logs, replays WAF suspects, reasons and attaches remedies.
func (s *session) finish(rep *record.Report) {
	rep.Target = record.Target{URL: s.target.String(), Host: s.target.Hostname(), RESTRoot: s.restRoot,
		Origin: s.cfg.Origin, Resolve: s.cfg.Resolve, User: s.cfg.User, Source: s.cfg.Source}
	if rep.Target.Source == "" {
		rep.Target.Source = "live"
	}
	s.attachLogs(rep)
	s.replayWAF()
	site, app := siteFromIndex(s.obs)
	rep.Site = site
	rep.Observations = s.obs
	rep.Findings = verdict.Analyze(verdict.Input{Observations: s.obs, HasOrigin: s.client.HasOrigin(),
		AppPasswords: app, Site: site, TargetURL: s.target.String()})
	rep.Notes = append(rep.Notes, s.notes...)
	AttachRemedies(rep)
}

func (s *session) attachLogs(rep *record.Report) {
	if len(s.cfg.LogFiles) == 0 || s.cfg.LogReader == nil {
		return
	}
	entries, err := s.cfg.LogReader(s.cfg.LogFiles, s.obs)
	if err != nil {
		rep.Notes = append(rep.Notes, "logs: "+err.Error())
	}
	rep.Logs = entries
}

// checkHosts refuses requests aimed at another host: wp403 diagnoses one
// site and sends nothing, credentials least of all, anywhere else.
func checkHosts(reqs []RequestSpec, target *url.URL) error {
	for _, r := range reqs {
		host := r.Host
		if r.URL != "" {
			u, err := url.Parse(r.URL)
			if err != nil {
				return usage("--request %s: not a valid URL", r.URL)
			}
			host = u.Hostname()
		}
		if host != "" && !strings.EqualFold(host, target.Hostname()) {
			return usage("--request is for host %s, not the site's host %s: wp403 sends nothing to other hosts", host, target.Hostname())
		}
	}
	return nil
}
