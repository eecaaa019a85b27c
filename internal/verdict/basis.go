package verdict

import "github.com/wp403/wp403/internal/record"

// Confidence is earned (issue 20, item 7): "high" needs a differential or
// direct evidence behind it, and the finding records which.
//
//   - differential: the same request was compared at the edge and the
//     origin, or the finding cites a control variant that came out
//     otherwise (another route style, no credentials, GET, a fresh nonce…,
//     or the same method and route sent with the user's cookie session);
//   - direct: the refused answer itself names who refused (a vendor's or
//     plugin's refusal signature, WordPress's own REST error code, the
//     agent's trace, a correlated log entry, the WAF replay's rule hits,
//     a WWW-Authenticate or 429, the transport failure itself, the auth
//     step's own answer).
//
// A rule that says "high" with neither is lowered to "medium" here, and
// TestConfidenceEarned checks every capture and rule row for it.

// basisOf names what stands behind an attribution, or "".
func basisOf(f *Facts, a *attribution) string {
	if f.Compared || differential(f, a) {
		return "differential"
	}
	if direct(f, a) {
		return "direct"
	}
	return ""
}

// differential: the cited observations include the same request at the
// other vantage or in a control variant, with another outcome.
func differential(f *Facts, a *attribution) bool {
	p := f.Primary.obs()
	if p == nil {
		return false
	}
	sess := f.CookieSession.obs()
	for _, o := range a.cites {
		if o != nil && o == sess && ok(o) && !ok(p) {
			return true // the same method and route with the same user's cookie session
		}
		if o == nil || o.ID == p.ID || o.Probe != p.Probe {
			continue
		}
		if (o.Vantage != p.Vantage || o.Variant != p.Variant) && passes(o) != passes(p) {
			return true
		}
		if o.Vantage != p.Vantage && o.Status() != p.Status() {
			return true
		}
	}
	return false
}

// direct: the refused answer, the agent, a log or the replay names who
// refused.
func direct(f *Facts, a *attribution) bool {
	x := f.Refused
	if x == nil {
		x = &f.Primary
	}
	switch {
	case f.Primary.Decisive != nil || f.Primary.Plugin != nil || x.Refusal != nil:
		return true
	case f.Primary.Agent != nil:
		return true
	case f.Log != nil || f.Replay != nil && f.Replay.Blocked || len(a.rules) > 0:
		return true
	case f.Primary.ReachedWP && f.Primary.WPCode != "":
		return true // WordPress's REST server said who it is and why
	case !f.Primary.HTTP || f.Primary.ReadFailure:
		return true // the transport failure itself was observed
	case a.mech == record.MechHTTPAuth && header(f.Primary.obs(), "WWW-Authenticate") != "",
		a.mech == record.MechRateLimit && f.Primary.Status == 429:
		return true // the answer's own header or status says so
	case f.Subject == record.ProbeLogin || f.Subject == record.ProbeRESTNonce:
		return true // wp-login.php's or admin-ajax.php's own answer to the auth step
	}
	for _, o := range a.cites {
		if o != nil && o.Probe != f.Subject && o.Agent != nil {
			return true
		}
	}
	return false
}

// earn lowers an unearned "high" and records the basis of the others.
func earn(f *Facts, a *attribution) string {
	b := basisOf(f, a)
	if a.conf == record.ConfHigh && b == "" {
		a.conf = record.ConfMedium
	}
	return b
}
