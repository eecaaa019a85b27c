package policy

import (
	"fmt"

	"github.com/wp403/wp403/internal/record"
)

// Outcome is how one observation measures up to a rule.
type Outcome struct {
	Pass    bool
	Verdict record.Verdict
	Detail  string
}

// Judge says whether the as-sent observation of a request satisfies the
// expectation. o is nil when the request was not sent.
func Judge(expect record.Expectation, reach Reach, o *record.Observation) Outcome {
	if o == nil {
		v := record.VerdictBroken
		if expect == record.ExpectDeny {
			v = record.VerdictOpened
		}
		return Outcome{Verdict: v, Detail: "not sent: the identity's credentials could not be set up"}
	}
	if expect == record.ExpectDeny {
		return judgeDeny(o)
	}
	if Allowed(reach, o) {
		return Outcome{Pass: true, Verdict: record.VerdictHolds, Detail: "allowed (" + statusText(o) + ")"}
	}
	return Outcome{Verdict: record.VerdictBroken, Detail: "refused (" + statusText(o) + ")"}
}

// Allowed reports whether the observation got through: a 2xx answer, or
// with ReachWordPress any answer of WordPress's REST server but 401/403.
func Allowed(reach Reach, o *record.Observation) bool {
	st := o.Status()
	if st >= 200 && st < 300 {
		return true
	}
	if reach != ReachWordPress || st == 0 || st == 401 || st == 403 || st >= 500 {
		return false
	}
	return fromWordPress(o)
}

func judgeDeny(o *record.Observation) Outcome {
	if Refused(o) {
		return Outcome{Pass: true, Verdict: record.VerdictHardening, Detail: "hardening still in place (" + statusText(o) + ")"}
	}
	if o.Response == nil {
		return Outcome{Verdict: record.VerdictBroken, Detail: "no answer (" + statusText(o) + "); whether it is still denied is unknown"}
	}
	if st := o.Status(); st >= 200 && st < 300 {
		return Outcome{Verdict: record.VerdictOpened, Detail: "now allowed (" + statusText(o) + "): the hardening is gone"}
	}
	return Outcome{Verdict: record.VerdictBroken, Detail: "neither allowed nor refused (" + statusText(o) + ")"}
}

// Refused reports an answer that refuses or hides the request: 401, 403,
// 404, 405, 410, 429, 451, or a response a layer identified as a refusal.
func Refused(o *record.Observation) bool {
	switch o.Status() {
	case 401, 403, 404, 405, 410, 429, 451:
		return true
	}
	return o.Response != nil && o.Status() >= 400 && o.Class != nil && o.Class.Refusal
}

func fromWordPress(o *record.Observation) bool {
	return o.Response != nil && o.Class.WordPressWrote()
}

// statusText is "403 rest_forbidden" or the transport failure.
func statusText(o *record.Observation) string {
	if o.Response == nil {
		if o.Failure != "" {
			return string(o.Failure)
		}
		return "no response"
	}
	s := fmt.Sprint(o.Status())
	if o.Class != nil && o.Class.WPError != nil && o.Class.WPError.Code != "" {
		s += " " + o.Class.WPError.Code
	}
	return s
}
