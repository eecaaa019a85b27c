package policy

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/record"
)

// Runner runs a policy against a site through the diagnose engine: one
// diagnosis per identity with that identity's requests, so every request
// the policy covers is sent, and every refusal is diagnosed, exactly as
// wp403 diagnose would.
type Runner struct {
	// Base holds the network settings, classifier, replayer and scrubber.
	// Its URL, Origin and Resolve default to the policy's site.
	Base diagnose.Config
	// Secret returns the value of an identity's secret.
	Secret func(Secret) (string, error)
	// Write allows rules marked write (they create something that is
	// deleted afterwards); without it they are left out and noted.
	Write bool
	// Diagnose runs one diagnosis; nil means diagnose.Run.
	Diagnose func(context.Context, diagnose.Config) (*record.Report, error)
}

// planned is one rule × method sent by one identity.
type planned struct {
	rule   *Rule
	method string
	spec   diagnose.RequestSpec
}

// Check runs the policy and returns one report whose Checks hold the
// outcome of every rule × method × identity.
func (r *Runner) Check(ctx context.Context, p *Policy) (*record.Report, error) {
	start := time.Now()
	m := newMerger()
	skipped := 0
	for _, id := range p.Identities {
		probes, skip := r.probes(p, id.Name)
		skipped += skip
		if len(probes) == 0 {
			continue
		}
		cfg, err := r.config(p, id)
		if err != nil {
			return nil, err
		}
		for _, pr := range probes {
			cfg.Requests = append(cfg.Requests, pr.spec)
		}
		run := r.Diagnose
		if run == nil {
			run = diagnose.Run
		}
		rep, err := run(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("identity %s: %w", id.Name, err)
		}
		m.add(rep, judgeRun(rep, probes, id), id.Name)
	}
	if skipped > 0 {
		m.notes = append(m.notes, fmt.Sprintf("%d write %s not run: add --write to create and then delete what they write",
			skipped, plural(skipped, "check was", "checks were")))
	}
	rep := m.report()
	rep.Started, rep.DurationMS = start.UTC(), float64(time.Since(start).Microseconds())/1000
	return rep, nil
}

// probes lists the requests one identity sends, and how many write
// requests were left out.
func (r *Runner) probes(p *Policy, name string) ([]planned, int) {
	var out []planned
	skipped := 0
	for i := range p.Rules {
		rule := &p.Rules[i]
		if !contains(rule.Identities, name) {
			continue
		}
		for _, m := range rule.Methods {
			if rule.Write && !r.Write {
				skipped++
				continue
			}
			out = append(out, planned{rule: rule, method: m, spec: Spec(*rule, m)})
		}
	}
	return out, skipped
}

// Spec is the diagnose request for one method of a rule.
func Spec(rule Rule, method string) diagnose.RequestSpec {
	spec, err := diagnose.ParseRequest(method + " " + rule.Route)
	if err != nil {
		route, query, _ := strings.Cut(rule.Route, "?")
		spec = diagnose.RequestSpec{Method: method, Route: route, Query: query}
	}
	if rule.Body != "" {
		spec.Body, spec.ContentType = []byte(rule.Body), rule.ContentType
	}
	spec.Header = rule.Header.Clone()
	return spec
}

// config adds an identity's credentials to the base configuration.
func (r *Runner) config(p *Policy, id Identity) (diagnose.Config, error) {
	cfg := r.Base
	cfg.User, cfg.AppPassword, cfg.Password, cfg.Cookie = "", "", "", ""
	cfg.Headers = nil
	if cfg.URL == "" {
		cfg.URL = p.Site.URL
	}
	if cfg.Origin == "" {
		cfg.Origin = p.Site.Origin
	}
	if len(cfg.Resolve) == 0 {
		cfg.Resolve = p.Site.Resolve
	}
	get := func(s Secret) (string, error) {
		v, err := r.Secret(s)
		if err == nil && v == "" {
			err = fmt.Errorf("%s is empty or not set", s)
		}
		if err != nil {
			return "", fmt.Errorf("identity %s: %w", id.Name, err)
		}
		return v, nil
	}
	var err error
	switch id.Mode {
	case ModeAppPassword:
		cfg.User = id.User
		cfg.AppPassword, err = get(id.Secret)
	case ModeLogin:
		cfg.User = id.User
		cfg.Password, err = get(id.Secret)
	case ModeIntegration:
		for _, h := range id.Headers {
			var v string
			if v, err = get(h.Value); err != nil {
				break
			}
			cfg.Headers = append(cfg.Headers, h.Name+": "+v)
		}
	}
	return cfg, err
}

// judgeRun measures each probe's as-sent edge observation against its rule.
func judgeRun(rep *record.Report, probes []planned, id Identity) []record.Check {
	out := make([]record.Check, 0, len(probes))
	for i, pr := range probes {
		prefix := record.ProbeUserPrefix + strconv.Itoa(i+1) + "@"
		edge, origin := asSent(rep, prefix, record.VantageEdge), asSent(rep, prefix, record.VantageOrigin)
		c := record.Check{Name: pr.rule.Name, Identity: id.Name, Expect: pr.rule.Expect,
			Request: record.Request{Method: pr.method, Route: pr.spec.Route, Auth: id.AuthKind()},
			Status:  record.StatusPair{Edge: statusOf(edge), Origin: statusOf(origin)}}
		for _, o := range []*record.Observation{edge, origin} {
			if o != nil {
				c.Observations = append(c.Observations, o.ID)
				c.Request.Auth, o.Purpose = o.Request.Auth, pr.rule.Name
				if pr.rule.Reach == ReachWordPress {
					o.Expect = record.ExpectWordPress // so that retest judges it the same way
				}
			}
		}
		own, others := probeObservations(rep, probes, i)
		explain(rep, &c, Judge(pr.rule.Expect, pr.rule.Reach, edge), edge, own, others)
		out = append(out, c)
	}
	return out
}

// probeObservations returns the ids of every observation of probe i
// (variants included), and those of the other probes that send the same
// method and route.
func probeObservations(rep *record.Report, probes []planned, i int) (own, others []string) {
	for _, o := range rep.Observations {
		n, ok := probeIndex(o.Probe)
		switch {
		case !ok:
		case n == i:
			own = append(own, o.ID)
		case probes[n].method == probes[i].method && probes[n].spec.Route == probes[i].spec.Route:
			others = append(others, o.ID)
		}
	}
	return own, others
}

// probeIndex reads N-1 from the key of the user's --request N.
func probeIndex(probe string) (int, bool) {
	n, ok := record.UserIndex(probe)
	return n - 1, ok
}

// asSent returns the first observation of a probe at a vantage, without variant.
func asSent(rep *record.Report, prefix string, v record.Vantage) *record.Observation {
	for i := range rep.Observations {
		o := &rep.Observations[i]
		if strings.HasPrefix(o.Probe, prefix) && o.Variant == record.VarAsSent && o.Vantage == v {
			return o
		}
	}
	return nil
}

func statusOf(o *record.Observation) int {
	switch {
	case o == nil:
		return 0
	case o.Response == nil:
		return -1
	}
	return o.Status()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
