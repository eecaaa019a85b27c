package record

// Expectation is what a policy rule wants for a request.
type Expectation string

// The expectations.
const (
	ExpectAllow Expectation = "allow" // the request must succeed
	ExpectDeny  Expectation = "deny"  // the request must stay refused (hardening)
)

// Verdict says what a check found, beyond pass or fail.
type Verdict string

// The verdicts of wp403 check and wp403 retest.
const (
	VerdictHolds        Verdict = "holds"         // allow rule: the request got through
	VerdictHardening    Verdict = "hardening"     // deny rule: still refused (hardening still in place)
	VerdictBroken       Verdict = "broken"        // allow rule: refused or unanswered (drift)
	VerdictOpened       Verdict = "opened"        // deny rule: now allowed (the hardening is gone)
	VerdictNotSent      Verdict = "not-sent"      // the request could not be sent
	VerdictFixed        Verdict = "fixed"         // retest: the request now succeeds
	VerdictStillFailing Verdict = "still-failing" // retest: refused again, at the same layer
	VerdictMoved        Verdict = "moved"         // retest: still refused, now at another layer
)

// Check is one rule of a REST access policy and how the site answered it
// (wp403 check), or one request of an earlier report sent again (wp403
// retest). A failing check names the finding that diagnoses which layer
// broke it; a passing deny check means the hardening is in place.
type Check struct {
	Name         string      `json:"name"`
	Request      Request     `json:"request"`
	Identity     string      `json:"identity,omitempty"` // "anonymous", a role, or an integration's name
	Expect       Expectation `json:"expect"`
	Pass         bool        `json:"pass"`
	Verdict      Verdict     `json:"verdict,omitempty"`
	Status       StatusPair  `json:"status"`
	Layer        Layer       `json:"layer,omitempty"`          // the layer that refused, when one did
	Previous     Layer       `json:"previous_layer,omitempty"` // retest: the layer that refused before
	Detail       string      `json:"detail,omitempty"`         // one line on what was seen
	Finding      string      `json:"finding,omitempty"`        // ID of the finding that explains a failure
	Observations []string    `json:"observations,omitempty"`
}
