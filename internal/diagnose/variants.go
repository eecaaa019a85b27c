package diagnose

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/wp403/wp403/internal/probe"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/verdict"
)

// failed reports whether an as-sent observation missed its expectation
// (the verdict engine's definition).
func failed(o record.Observation) bool { return !verdict.Met(&o) }

// variantsFor builds the control variants of a failed spec: each changes
// one thing, so the one that passes names what the refusal keys on.
func (s *session) variantsFor(sp spec, created *createdItems) []spec {
	var out []spec
	writes := isWrite(sp)
	add := func(name record.Variant, f func(*spec)) {
		v := sp
		v.variant, v.sink = name, nil
		if writes && v.method == "POST" {
			v.sink = created.keep(v.route)
		}
		v.header = sp.header.Clone()
		if v.header == nil {
			v.header = http.Header{}
		}
		f(&v)
		out = append(out, v)
	}
	if sp.route != "" && sp.style != record.StyleQuery && (!writes || s.cfg.Write) {
		add(record.VarRESTRoute, func(v *spec) { v.style = record.StyleQuery })
	}
	if (!isPlainBrowserUA(s.cfg.UserAgent) || sp.userAgent != "") && (!writes || s.cfg.Write) {
		add(record.VarBrowserUA, func(v *spec) { v.userAgent = browserUA; v.expect = record.ExpectWordPress })
	}
	if sp.auth != record.AuthNone {
		add(record.VarNoAuth, func(v *spec) { v.auth, v.expect = record.AuthNone, record.ExpectWordPress; dropCreds(v.header) })
	}
	if len(sp.body) > 0 && sp.bodyKind != "benign" && sp.route != "" && sp.bodyKind != "image" {
		add(record.VarBenignBody, func(v *spec) { *v = jsonSpec(*v, validateOnlyBody, "benign"); v.expect = record.ExpectWordPress })
	}
	if sp.method != "GET" && sp.route != "" {
		add(record.VarGetControl, func(v *spec) {
			v.method, v.body, v.ctype, v.bodyKind, v.expect = "GET", nil, "", "", record.ExpectWordPress
		})
	}
	if m := sp.method; (m == "PUT" || m == "PATCH" || m == "DELETE") && sp.route != "" && (!writes || s.cfg.Write) {
		add(record.VarOverride, func(v *spec) {
			v.method, v.expect = "POST", record.ExpectWordPress
			v.header.Set("X-HTTP-Method-Override", m)
		})
	}
	if (sp.auth == record.AuthCookieOnly && s.currentNonce() != "" || sp.auth == record.AuthCookieNonce && s.freshNonce) && (!writes || s.cfg.Write) {
		add(record.VarWithNonce, func(v *spec) { v.auth = record.AuthCookieNonce; v.header.Del("X-Wp-Nonce") })
	}
	return out
}

// isWrite reports a request that changes the site when it succeeds
// (probes aimed at the missing post id cannot).
func isWrite(sp spec) bool {
	switch sp.method {
	case "GET", "HEAD", "OPTIONS":
		return false
	}
	return !strings.Contains(sp.route, missingPostID)
}

// browserUA is a plain browser user agent without a tool token.
const browserUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

func dropCreds(h http.Header) {
	for _, k := range []string{"Authorization", "Cookie", "X-Wp-Nonce"} {
		h.Del(k)
	}
}

// DefaultUserAgent is what probes send unless --user-agent says otherwise.
const DefaultUserAgent = probe.DefaultUserAgent

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

// sendVariants adds control variants for every refused plan request and,
// for an edge-first one, the same request straight to the origin: both
// depend on the plan's answers, so they go out together in one step.
func (s *session) sendVariants(ctx context.Context, plan []spec, first []record.Observation, created *createdItems, index []record.Observation) {
	byKey := map[string]spec{}
	for _, sp := range plan {
		byKey[sp.key] = sp
	}
	s.noteEdgeOnly(byKey, first)
	var variants, atOrigin []spec
	done := map[string]bool{}
	for _, o := range first {
		sp, known := byKey[o.Probe]
		if !known || done[o.Probe] || o.Variant != "" || !failed(o) {
			continue
		}
		done[o.Probe] = true
		if sp.edgeFirst && s.client.HasOrigin() {
			atOrigin = append(atOrigin, sp)
		}
		if isWrite(sp) && (o.Response == nil || o.Failure != "") {
			s.notes = append(s.notes, "the outcome of "+o.ID+" ("+sp.method+" "+sp.route+") is unknown ("+string(o.Failure)+"): a write is never sent again or varied when it may have taken effect")
			continue
		}
		variants = append(variants, s.variantsFor(sp, created)...)
	}
	if len(variants)+len(atOrigin) == 0 || s.lockedOut(ctx, index) {
		return
	}
	originJobs := s.prepare("plan (origin)", atOrigin, []record.Vantage{record.VantageOrigin})
	variantJobs := s.prepare("variants", variants, s.vantages())
	concurrently(func() { s.run(ctx, originJobs) }, func() { s.run(ctx, variantJobs) })
}

// noteEdgeOnly says how many edge-first requests passed at the edge and
// so were never sent to the origin.
func (s *session) noteEdgeOnly(byKey map[string]spec, first []record.Observation) {
	n := 0
	for _, o := range first {
		if sp, known := byKey[o.Probe]; known && sp.edgeFirst && o.Variant == "" && !failed(o) {
			n++
		}
	}
	if !s.client.HasOrigin() || n == 0 {
		return
	}
	verb := "were"
	if n == 1 {
		verb = "was"
	}
	s.notes = append(s.notes, fmt.Sprintf("%d default-plan %s passed at the edge and %s not repeated at the origin: the origin is asked only what the edge refused",
		n, plural(n, "request"), verb))
}
