package record

// Expectation is what a policy rule wants for a request.
type Expectation string

// The expectations.
const (
	ExpectAllow Expectation = "allow" // the request must succeed
	ExpectDeny  Expectation = "deny"  // the request must stay refused (hardening)
)

// Check is one rule of a REST access policy and how the site answered it
// (wp403 check). A failing check names the finding that diagnoses which
// layer broke it; a passing deny check means the hardening is in place.
type Check struct {
	Name         string      `json:"name"`
	Request      Request     `json:"request"`
	Identity     string      `json:"identity,omitempty"` // "anonymous", a role, or an integration's name
	Expect       Expectation `json:"expect"`
	Pass         bool        `json:"pass"`
	Status       StatusPair  `json:"status"`
	Finding      string      `json:"finding,omitempty"` // ID of the finding that explains a failure
	Observations []string    `json:"observations,omitempty"`
}
