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

// Retester sends the failing requests of an earlier report again, each
// with its auth kind, through the diagnose engine.
type Retester struct {
	// Base holds the network settings and every credential given; each
	// auth kind gets only its own.
	Base     diagnose.Config
	Diagnose func(context.Context, diagnose.Config) (*record.Report, error)
}

// Retest returns a report whose checks say, per request: fixed, still
// failing at the same layer, or now failing at another layer.
func (r *Retester) Retest(ctx context.Context, items []Failing) (*record.Report, error) {
	start := time.Now()
	m := newMerger()
	m.rep.Command = "retest"
	groups, order := map[string][]Failing{}, []string{}
	for _, it := range items {
		if it.NotSent != "" {
			m.rep.Checks = append(m.rep.Checks, notSent(it, it.NotSent))
			continue
		}
		key := string(it.Request.Auth) + "\x00" + it.UserAgent
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], it)
	}
	for _, key := range order {
		if err := r.group(ctx, m, groups[key]); err != nil {
			return nil, err
		}
	}
	rep := m.report()
	rep.Started, rep.DurationMS = start.UTC(), float64(time.Since(start).Microseconds())/1000
	return rep, nil
}

func (r *Retester) group(ctx context.Context, m *merger, items []Failing) error {
	auth := items[0].Request.Auth
	cfg, why := r.config(auth)
	if why != "" {
		for _, it := range items {
			m.rep.Checks = append(m.rep.Checks, notSent(it, why))
		}
		return nil
	}
	if items[0].UserAgent != "" {
		cfg.UserAgent = items[0].UserAgent
	}
	for _, it := range items {
		cfg.Requests = append(cfg.Requests, it.Spec)
	}
	run := r.Diagnose
	if run == nil {
		run = diagnose.Run
	}
	rep, err := run(ctx, cfg)
	if err != nil {
		return fmt.Errorf("retest %s requests: %w", auth, err)
	}
	checks := make([]record.Check, 0, len(items))
	for i, it := range items {
		prefix := record.ProbeUserPrefix + strconv.Itoa(i+1) + "@"
		checks = append(checks, retestCheck(rep, it, asSent(rep, prefix, record.VantageEdge), asSent(rep, prefix, record.VantageOrigin), ownObservations(rep, prefix)))
	}
	m.add(rep, checks, string(auth))
	return nil
}

// config keeps the credentials of one auth kind, or says which are missing.
func (r *Retester) config(auth record.AuthKind) (diagnose.Config, string) {
	b := r.Base
	cfg := b
	cfg.AppPassword, cfg.Password, cfg.Cookie, cfg.Headers = "", "", "", nil
	switch auth {
	case record.AuthNone:
		cfg.User = ""
	case record.AuthAppPassword:
		if b.User == "" || b.AppPassword == "" {
			return cfg, "needs --user and --app-password-file (or WP403_APP_PASSWORD)"
		}
		cfg.AppPassword = b.AppPassword
	case record.AuthCookieNonce:
		if b.User == "" || b.Password == "" {
			return cfg, "needs --user and --password-file (or WP403_PASSWORD) to log in and fetch a nonce"
		}
		cfg.Password = b.Password
	case record.AuthCookieOnly:
		if b.Cookie == "" {
			return cfg, "needs --cookie"
		}
		cfg.Cookie, cfg.User = b.Cookie, ""
	case record.AuthCustom:
		if !hasAuthorization(b.Headers) {
			return cfg, "needs -H 'Authorization: …'"
		}
		cfg.Headers, cfg.User = b.Headers, ""
	default:
		return cfg, "auth kind " + string(auth) + " cannot be sent again"
	}
	return cfg, ""
}

func hasAuthorization(headers []string) bool {
	for _, h := range headers {
		if name, _, ok := strings.Cut(h, ":"); ok && strings.EqualFold(strings.TrimSpace(name), "Authorization") {
			return true
		}
	}
	return false
}

func notSent(it Failing, why string) record.Check {
	return record.Check{Name: it.Request.String(), Request: it.Request, Expect: record.ExpectAllow,
		Verdict: record.VerdictNotSent, Previous: it.Layer, Detail: "not sent again: " + why}
}

// retestCheck compares the new answer with the earlier refusal.
func retestCheck(rep *record.Report, it Failing, edge, origin *record.Observation, own []string) record.Check {
	c := record.Check{Name: it.Request.String(), Request: it.Request, Expect: record.ExpectAllow, Previous: it.Layer,
		Status: record.StatusPair{Edge: statusOf(edge), Origin: statusOf(origin)}}
	for _, o := range []*record.Observation{edge, origin} {
		if o != nil {
			c.Observations = append(c.Observations, o.ID)
		}
	}
	explain(rep, &c, Judge(record.ExpectAllow, it.Reach, edge), edge, own, nil)
	switch {
	case c.Pass:
		c.Verdict, c.Detail = record.VerdictFixed, "fixed: "+statusText(edge)
	case it.Layer == "" || c.Layer == "" || c.Layer == it.Layer:
		c.Verdict = record.VerdictStillFailing
		c.Detail = "still failing: " + c.Detail
	default:
		c.Verdict = record.VerdictMoved
		c.Detail = "now failing elsewhere (was " + string(it.Layer) + "): " + c.Detail
	}
	return c
}

// ownObservations lists the ids of a probe's observations, variants included.
func ownObservations(rep *record.Report, prefix string) []string {
	var ids []string
	for _, o := range rep.Observations {
		if strings.HasPrefix(o.Probe, prefix) {
			ids = append(ids, o.ID)
		}
	}
	return ids
}

// MissingCredentials lists, once per auth kind, what the base config
// lacks to send the items again ("POST /wp/v2/posts (app-password) needs
// --user and --app-password-file …"), so a retest can refuse to start
// instead of reporting every check as not sent.
func (r *Retester) MissingCredentials(items []Failing) []string {
	var out []string
	seen := map[record.AuthKind]bool{}
	for _, it := range items {
		auth := it.Request.Auth
		if it.NotSent != "" || seen[auth] {
			continue
		}
		seen[auth] = true
		if _, why := r.config(auth); why != "" {
			out = append(out, it.Request.String()+" "+why)
		}
	}
	return out
}
