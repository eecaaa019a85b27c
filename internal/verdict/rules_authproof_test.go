package verdict

import (
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// TestEarlyAuthNeedsAnEarlyAnswer: the early-check rules blame a plugin
// only for an answer sent before the REST server ran. The REST server's
// own 401 (core's rest_not_logged_in) with the cookie session passing is
// still an ignored password or a lost header, and a fresh application
// password that works still says the one in use is wrong.
func TestEarlyAuthNeedsAnEarlyAnswer(t *testing.T) {
	ap, cn := record.AuthAppPassword, record.AuthCookieNonce
	cookiePasses := ob("request:1@cookie+nonce", edge, 200, auth(cn), wp(""))
	cases := []struct {
		name string
		in   Input
		want string
	}{
		{"REST server's 401, cookie passes", in(ob(asked, edge, 401, auth(ap), wp("rest_not_logged_in")), cookiePasses),
			"app-password-ignored"},
		{"early 401, fresh password works", in(ob(asked, edge, 401, auth(ap), early("rest_forbidden")), cookiePasses,
			ob("aux:fresh-app-password", edge, 200, auth(record.AuthCustom), wp(""))),
			"fresh-app-password-works"},
		{"early 401, cookie refused too", in(ob(asked, edge, 401, auth(ap), early("rest_forbidden")),
			ob("request:1@cookie+nonce", edge, 403, auth(cn), early("rest_forbidden"))),
			"auth-refused-before-rest"},
		{"early 401, cookie on another route", in(ob(asked, edge, 401, auth(ap), early("rest_forbidden")),
			ob("request:1@cookie+nonce", edge, 200, auth(cn), route("/wp/v2/pages"), wp(""))),
			"auth-refused-before-rest"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := Analyze(c.in).Findings
			if len(fs) == 0 || fs[0].Rule != c.want {
				t.Fatalf("rules %v, want %s first", ruleIDs(fs), c.want)
			}
		})
	}
}

// TestEarlyAuthBasis: the cookie session's pass on the same request is the
// differential behind auth-checked-too-early's "high", also without an
// origin comparison or a WordPress error code.
func TestEarlyAuthBasis(t *testing.T) {
	ap, cn := record.AuthAppPassword, record.AuthCookieNonce
	run := in(ob(asked, edge, 401, auth(ap), early("")), ob("request:1@cookie+nonce", edge, 200, auth(cn), wp("")))
	fs := Analyze(run).Findings
	if len(fs) == 0 || fs[0].Rule != "auth-checked-too-early" {
		t.Fatalf("rules %v, want auth-checked-too-early first", ruleIDs(fs))
	}
	if fs[0].Basis != "differential" || fs[0].Confidence != record.ConfHigh {
		t.Errorf("basis %q confidence %s, want differential and high", fs[0].Basis, fs[0].Confidence)
	}
}
