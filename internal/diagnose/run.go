package diagnose

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/finish"
	"github.com/wp403/wp403/internal/probe"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// Version is the tool version written into reports.
var Version = finish.Version

// Run performs one diagnosis and returns its report. The error is for
// failures to run at all; refusals are findings in the report.
func Run(ctx context.Context, cfg Config) (*record.Report, error) {
	s, err := newSession(cfg)
	if err != nil {
		return nil, err
	}
	defer s.client.Close()
	start := s.now()
	waves := &record.Report{}
	probeCtx, cancel := s.deadline(ctx)
	defer cancel()
	s.runWaves(probeCtx, waves)
	interrupted := probeCtx.Err() != nil
	if ctx.Err() == nil && probeCtx.Err() != nil {
		s.notes = append(s.notes, "stopped at --max-time: requests not answered by then were abandoned and the rest were not sent; this report is incomplete")
	}
	rep := finish.Report(ctx, s.evidence(start, waves.Notes), finish.Stages{Logs: s.logReader(), Replayer: cfg.Replayer})
	rep.Interrupted = interrupted
	if cfg.SiteHealth {
		s.explainSiteHealth(rep)
	}
	boundBodies(rep.Observations)
	rep.DurationMS = float64(s.now().Sub(start).Microseconds()) / 1000
	return rep, nil
}

// deadline bounds the probing (not the cleanup, the logs or the report)
// by Config.Deadline (--max-time).
func (s *session) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.cfg.Deadline.IsZero() {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(ctx, s.cfg.Deadline)
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
	s := &session{cfg: cfg, target: target, scrub: cfg.scrubber(), jar: map[string]string{}, bodies: map[string][]byte{}, runID: cfg.network().RunID,
		created: &createdItems{}}
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
	sc.Add(string(cfg.AgentKey))
	sc.AddBasic(cfg.User, cfg.AppPassword) // and the base64 token a server may echo
	sc.AddBasic(cfg.User, cfg.Password)
	sc.AddCookies(cfg.Cookie)
	if u, err := url.Parse(cfg.URL); err == nil { // ?_wpnonce=, ?token= in the target URL
		sc.Add(redact.BodySecrets(u.RawQuery)...)
	}
	for _, r := range cfg.Requests { // "password" in --data, ?token= in a request
		sc.Add(redact.BodySecrets(string(r.Body))...)
		sc.Add(redact.BodySecrets(r.Query)...)
	}
	for _, h := range cfg.Headers {
		name, value, err := ParseHeader(h)
		switch {
		case err != nil || !redact.IsSensitiveHeader(name):
		case name == "Authorization" || name == "Proxy-Authorization":
			sc.AddAuthorization(value) // the token, and for Basic the decoded user:password
		case name == "Cookie":
			sc.AddCookies(value)
		default:
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
	pc, err := ClientConfig(s.cfg, s.target.Hostname())
	if err != nil {
		return probe.Config{}, err
	}
	pc.Origin, pc.Concurrency, pc.Scrubber = s.cfg.Origin, s.cfg.Concurrency, s.scrub
	return pc, nil
}

// ClientConfig is the one way a probe client is configured from a
// diagnosis configuration: --resolve, --proxy, -k, --timeout, the
// recorder or replayer, and the system roots plus --cacert. Callers add
// what is theirs (origin, concurrency, body limits).
func ClientConfig(cfg Config, host string) (probe.Config, error) {
	resolve, err := probe.ParseResolve(cfg.Resolve)
	if err != nil {
		return probe.Config{}, usage("%v", err)
	}
	pc := probe.Config{Resolve: resolve, Proxy: cfg.Proxy, Insecure: cfg.Insecure, Timeout: cfg.Timeout,
		TargetHost: host, Scrubber: cfg.Scrubber, Wrap: cfg.Wrap}
	if pc.RootCAs, err = cfg.network().RootCAs(); err != nil {
		return probe.Config{}, usage("%v", err)
	}
	return pc, nil
}

// network is the run's network configuration, shared with the browser.
func (cfg Config) network() probe.Network {
	n := probe.Network{CACertPEM: cfg.CACertPEM, Insecure: cfg.Insecure, Resolve: cfg.Resolve, RunID: cfg.RunID}
	if n.RunID == "" {
		n.RunID = probe.NewRunID()
	}
	return n
}

// runWaves sends the first step (page, index, login and nonce), then the
// plan, then the origin repeats and variants of what the plan found
// refused, each step depending on the one before, and cleans up whatever
// --write created.
func (s *session) runWaves(ctx context.Context, rep *record.Report) {
	w := s.startFirst(ctx)
	defer w.wait()
	index, confirmed := s.settleRoot(ctx, rep, w)
	if index == nil {
		return
	}
	created := s.created
	defer s.cleanup(created)
	var early, late []record.Observation
	var earlyPlan, latePlan []spec
	earlyPlan = s.earlyPlan(created)
	earlyJobs := s.planJobs("plan", earlyPlan)
	// The nonce fetch and the cookie-authenticated plan that needs it run
	// beside the rest of the plan, which does not.
	concurrently(
		func() { early = s.run(ctx, earlyJobs) },
		func() { latePlan, late = s.latePlan(ctx, created) },
		func() {
			if confirmed {
				<-w.discovered
				s.noteAdvertised(rep, w.discovery)
			}
		},
	)
	if ctx.Err() != nil {
		return
	}
	if len(s.cfg.Requests) > 0 && len(early)+len(late) == 0 {
		s.notes = append(s.notes, "your requests were not sent: the credentials given could not be set up (see the login/nonce finding)")
	}
	plan := append(append(indexSpecs()[:1], earlyPlan...), latePlan...)
	s.sendVariants(ctx, plan, append(append(index, early...), late...), created, index)
}

// earlyPlan is everything that needs no nonce: public probes, application
// passwords, and credentials the user gave verbatim.
func (s *session) earlyPlan(created *createdItems) []spec {
	if kinds, extra, ok := s.asGiven(); ok {
		var specs []spec
		if len(s.cfg.Requests) == 0 {
			specs = s.defaultPlan(nil, true)
		}
		return append(specs, s.userPlan(kinds, extra, created)...)
	}
	kinds := s.earlyKinds()
	var specs []spec
	if len(s.cfg.Requests) == 0 {
		specs = s.defaultPlan(kinds, true)
	}
	specs = append(specs, s.userPlan(kinds, s.extra.Clone(), created)...)
	if s.cfg.Write && len(s.cfg.Requests) == 0 && len(kinds) > 0 && kinds[0] != record.AuthNone {
		specs = append(specs, s.writePlan(created, kinds[0])...)
	}
	return specs
}

// latePlan fetches a nonce with the login cookie, then sends what cookie +
// nonce authentication should be tested with.
func (s *session) latePlan(ctx context.Context, created *createdItems) ([]spec, []record.Observation) {
	if !s.freshNonce {
		s.fetchAuth(ctx) // a cookie given with --cookie, or a login after the advertised root
	}
	if s.currentNonce() == "" || !s.hasLoginCookie() {
		return nil, nil
	}
	kinds := []record.AuthKind{record.AuthCookieNonce}
	var specs []spec
	if len(s.cfg.Requests) == 0 {
		specs = s.defaultPlan(kinds, false)
	}
	if _, _, given := s.asGiven(); !given {
		specs = append(specs, s.userPlan(kinds, s.extra.Clone(), created)...)
		if s.cfg.Write && s.cfg.AppPassword == "" && len(s.cfg.Requests) == 0 {
			specs = append(specs, s.writePlan(created, record.AuthCookieNonce)...)
		}
	}
	s.checkFreshAppPassword(ctx, created)
	if s.cfg.SiteHealth {
		specs = append(specs, s.siteHealthSpec())
	}
	jobs := s.planJobs("plan (cookie + nonce)", specs)
	if s.cfg.Password != "" {
		jobs = append(jobs, s.prepare("plan (cookie + nonce)", []spec{authHeaderTestSpec()}, []record.Vantage{record.VantageEdge})...)
	}
	return specs, append(s.run(ctx, jobs), s.checkPageNonce(ctx)...)
}

// maybeLogin logs in when a password was given.
func (s *session) maybeLogin(ctx context.Context) {
	if s.cfg.Password != "" && s.cfg.User != "" {
		s.login(ctx)
	}
}

// fetchAuth fetches a nonce when a login cookie exists (from the login or
// from --cookie).
func (s *session) fetchAuth(ctx context.Context) {
	if s.hasLoginCookie() {
		if o := s.fetchNonce(ctx); o.Status() == http.StatusOK && s.currentNonce() != "" {
			s.freshNonce = true
		}
	}
}

// authHeaderTestSpec asks Site Health whether Basic credentials reach PHP,
// sending dummy ones beside a valid cookie (the cookie wins the user).
func authHeaderTestSpec() spec {
	return spec{key: record.ProbeAuthHeader, purpose: "does the Authorization header reach PHP (Site Health test)",
		method: "GET", route: "/wp-site-health/v1/tests/authorization-header", auth: record.AuthCookieNonce, expect: record.Expect2xx,
		header: http.Header{"Authorization": {"Basic dXNlcjpwd2Q="}}}
}

// evidence is what the probing produced, for the finish.
func (s *session) evidence(start time.Time, notes []string) finish.Evidence {
	t := record.Target{URL: redact.URL(s.target.String()), Host: s.target.Hostname(), RESTRoot: redact.URL(s.restRoot),
		Origin: s.cfg.Origin, Resolve: s.cfg.Resolve, User: s.cfg.User, Source: s.cfg.Source}
	if t.Source == "" {
		t.Source = "live"
	}
	s.sortObservations()
	site, _ := siteFromIndex(s.obs)
	return finish.Evidence{Command: "diagnose", Started: start, Target: t, Observations: s.obs, Site: site,
		Notes: append(notes, s.notes...), ForeignRESTRoot: s.foreignRoot,
		Resend: finish.Resend(s.bodyOf)}
}

// logReader reads --log files after the probing, for the finish.
func (s *session) logReader() finish.LogReader {
	if len(s.cfg.LogFiles) == 0 || s.cfg.LogReader == nil {
		return nil
	}
	return func(ctx context.Context, obs []record.Observation) ([]record.LogEntry, error) {
		return s.cfg.LogReader(ctx, s.cfg.LogFiles, obs)
	}
}

func (s *session) bodyOf(id string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bodies[id]
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
