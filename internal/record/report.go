package record

import "time"

// SchemaVersion versions the JSON form of Report.
const SchemaVersion = "wp403.report/v1"

// StatusPair is the status seen for the same request at the edge and at
// the origin; 0 means not measured, -1 means no HTTP response.
type StatusPair struct {
	Edge   int `json:"edge"`
	Origin int `json:"origin"`
}

// Remedy is the narrowest fix for a finding, in the syntax of the layer
// that refused.
type Remedy struct {
	Layer   Layer  `json:"layer"`
	Product string `json:"product"` // "ModSecurity v3 + CRS 4", "nginx", "Cloudflare"
	Title   string `json:"title"`
	Scope   string `json:"scope"`             // what it allows, and nothing more
	Snippet string `json:"snippet,omitempty"` // config to paste
	Where   string `json:"where,omitempty"`   // which file or screen
	Caveat  string `json:"caveat,omitempty"`
	// Narrow is false when no narrow fix exists and the text says so.
	Narrow bool `json:"narrow"`
}

// Finding is one conclusion, citing the observations it rests on.
type Finding struct {
	ID        string    `json:"id"`
	Severity  Severity  `json:"severity"`
	Layer     Layer     `json:"layer"`
	Mechanism Mechanism `json:"mechanism"`
	Vendor    string    `json:"vendor,omitempty"`
	// Product is the refusing product's internal/product registry id, when
	// known: remedies and the exporter's vendor label read the registry by it.
	Product string `json:"product,omitempty"`
	// Rule names the verdict rule that produced the finding.
	Rule    string  `json:"rule,omitempty"`
	Request Request `json:"request"`
	// Auths lists every auth kind the same request was refused with for
	// the same reason, when there is more than one (one finding per cause).
	Auths []AuthKind `json:"auths,omitempty"`
	// Related lists other requests refused for the same reason.
	Related    []Request  `json:"related,omitempty"`
	Status     StatusPair `json:"status"`
	Confidence Confidence `json:"confidence"`
	// Basis is what earns the confidence: "differential" (the same request
	// at the other vantage or in a control variant came out otherwise) or
	// "direct" (the answer, the agent, a log or the WAF replay names who
	// refused). "high" is never given without one.
	Basis       string   `json:"basis,omitempty"`
	Summary     string   `json:"summary"`
	Evidence    []string `json:"evidence,omitempty"`
	Next        string   `json:"next,omitempty"`
	NeedsOrigin string   `json:"needs_origin,omitempty"`
	// Header is the request header that did not reach WordPress, for
	// header-stripped findings.
	Header       string    `json:"header,omitempty"`
	Rules        []RuleHit `json:"rules,omitempty"`
	Observations []string  `json:"observations"`
	Remedies     []Remedy  `json:"remedies,omitempty"`
	// StoppedAt is the layer path position where the request stopped,
	// for the text renderer's path line; equal to Layer for refusals.
	StoppedAt Layer `json:"stopped_at,omitempty"`
}

// Target describes what was diagnosed.
type Target struct {
	URL      string   `json:"url"`
	Host     string   `json:"host,omitempty"`
	RESTRoot string   `json:"rest_root,omitempty"`
	Origin   string   `json:"origin,omitempty"`  // address used for origin probes
	Resolve  []string `json:"resolve,omitempty"` // --resolve entries
	User     string   `json:"user,omitempty"`    // user name only, never a secret
	Source   string   `json:"source,omitempty"`  // "live", "har", "logs", "replay:<capture>"
}

// Site is what WordPress said about itself.
type Site struct {
	Name         string   `json:"name,omitempty"`
	URL          string   `json:"url,omitempty"`  // siteurl
	Home         string   `json:"home,omitempty"` // home
	Namespaces   []string `json:"namespaces,omitempty"`
	AppPasswords string   `json:"app_passwords,omitempty"` // "available", "unavailable", "unknown"
	RESTPrefix   string   `json:"rest_prefix,omitempty"`
	PrettyWorks  *bool    `json:"pretty_works,omitempty"`
	QueryWorks   *bool    `json:"query_works,omitempty"`
}

// Report is the single document one run of wp403 produces; every renderer
// reads it and nothing else.
type Report struct {
	Schema     string    `json:"schema"`
	Tool       string    `json:"tool"`
	Command    string    `json:"command"`
	Started    time.Time `json:"started,omitzero"`
	DurationMS float64   `json:"duration_ms"`
	Target     Target    `json:"target"`
	Site       Site      `json:"site"`
	// Problem is set when the run could not diagnose the site at all
	// (not WordPress, nothing answered); Findings then holds no refusal.
	Problem *Problem `json:"problem,omitempty"`
	// Interrupted is true when the run was cancelled (Ctrl-C): the report
	// holds what was learnt until then.
	Interrupted  bool          `json:"interrupted,omitempty"`
	Findings     []Finding     `json:"findings"`
	Checks       []Check       `json:"checks,omitempty"` // policy rules, for wp403 check
	Observations []Observation `json:"observations"`
	Logs         []LogEntry    `json:"logs,omitempty"`
	Browser      []BrowserRun  `json:"browser,omitempty"` // retest --browser
	// Focus is what the user cares about in this run, as the finish read it.
	Focus *Focus   `json:"focus,omitempty"`
	Notes []string `json:"notes,omitempty"`
}

// Refusals counts block findings.
func (r *Report) Refusals() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == SevBlock {
			n++
		}
	}
	return n
}

// Observation returns the observation with the given ID, or nil.
func (r *Report) Observation(id string) *Observation {
	for i := range r.Observations {
		if r.Observations[i].ID == id {
			return &r.Observations[i]
		}
	}
	return nil
}

// ProblemKind names why a run could not diagnose the site.
type ProblemKind string

// The problem kinds.
const (
	ProblemNotWordPress ProblemKind = "not-wordpress" // the target shows no sign of WordPress
	ProblemNoAnswer     ProblemKind = "no-answer"     // no request got an HTTP answer
)

// Problem says why a run could not diagnose the site at all. It is not a
// refusal: a report with a problem has no block findings, and wp403
// exits 1.
type Problem struct {
	Kind    ProblemKind `json:"kind"`
	Rule    string      `json:"rule,omitempty"`
	Summary string      `json:"summary"`
	// Found lists what answered instead, one line per request.
	Found []string `json:"found,omitempty"`
	// Failure is the transport failure every request met (no-answer).
	Failure Failure `json:"failure,omitempty"`
	Next    string  `json:"next,omitempty"`
}

// Focus is what the user cares about: requests they need allowed (never
// taken for hardening) and the observations of the step they saw fail
// (whose findings come first).
type Focus struct {
	Wanted []Request `json:"wanted,omitempty"`
	First  []string  `json:"first,omitempty"`
}
