package verdict

import "github.com/wp403/wp403/internal/record"

const ruleHardening = "hardening-in-place"

// hardeningDoc documents the post-pass.
const hardeningDoc = "An anonymous request wp403 chose itself is refused on purpose (access rule, REST restriction, block page, HTTP auth): info, not a refusal — unless the user or the policy asked for it."

// hardened is the post-pass after the table: a refusal of something the
// site deliberately closes to anonymous visitors (a path rule, a plugin
// that restricts the REST API, HTTP auth) is hardening in place, not
// breakage, unless the user asked for that request (--request) or a
// policy says it must be allowed. The table found the layer; the finding
// is reported as info, citing the rule that found it.
func hardened(f *Facts, base string, a attribution) (attribution, bool) {
	if !closedToAnonymous(f) || !deliberate(a.mech) || a.conf == record.ConfLow {
		return a, false
	}
	seen := a.summary
	a.severity = record.SevInfo
	a.summary = "Hardening in place: anonymous " + f.Request.Method + " " + f.Request.Route + " is refused (" + itoa(f.Primary.Status) +
		", " + string(a.layer) + " / " + string(a.mech) + "), which sites do on purpose; wp403 does not count it as a refusal."
	a.evidence = append([]string{"rule " + base + ": " + seen}, a.evidence...)
	a.next = "Nothing to fix unless something needs this anonymously; then diagnose it with --request \"" + f.Request.Method + " " + f.Request.Route + "\"."
	a.needsOrigin = ""
	return a, true
}

// closedToAnonymous: an anonymous request of wp403's own plan that the
// site refused with a refusal status, while other anonymous requests get
// through (a site that refuses everything is not hardened, it is down).
func closedToAnonymous(f *Facts) bool {
	switch {
	case f.Asked || f.Role != record.RolePlan || f.Request.Auth != record.AuthNone:
		return false
	case !f.Primary.HTTP || f.Primary.ReadFailure || !f.Site.AnonymousPasses:
		return false
	}
	switch f.Primary.Status {
	case 401, 403, 404, 410:
		return true
	}
	return false
}

// deliberate mechanisms close something on purpose; the others (WAF
// content rules, rate limits, challenges, broken rewrites) are breakage.
func deliberate(m record.Mechanism) bool {
	switch m {
	case record.MechAccessRule, record.MechRESTDisabled, record.MechBlockPage, record.MechHTTPAuth:
		return true
	}
	return false
}
