package diagnose

import (
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
