package verdict

import (
	"net/url"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// Reach is what the run learnt about the target as a whole: did anything
// answer, and does it look like WordPress.
type Reach struct {
	// AnyHTTP: at least one request got an HTTP answer that could be
	// read (garbage, a cut or endless body are not answers).
	AnyHTTP bool `json:"any_http"`
	// Failure is the transport failure of the first request that met one
	// (interruptions and politeness skips aside).
	Failure record.Failure `json:"failure,omitempty"`
	Error   string         `json:"error,omitempty"`
	// WordPress names the first sign of WordPress seen (REST headers, a
	// WP_Error body, a WordPress page, a WordPress redirect), or "".
	WordPress string `json:"wordpress,omitempty"`
	// Refused: some answer was a refusal status (401, 403, 407, 429, 451),
	// a signature that names a refusal mechanism, or a browser challenge:
	// something may hide WordPress. A stock 404 page does not.
	Refused bool `json:"refused,omitempty"`
	// Redirected: some answer redirected; WordPress may be at the target.
	Redirected bool `json:"redirected,omitempty"`
	// Found describes the first answers, for the not-WordPress error.
	Found []string `json:"found,omitempty"`
}

func reachOf(obs []record.Observation) Reach {
	var r Reach
	for i := range obs {
		o := &obs[i]
		if o.Response == nil || readFailure(o.Failure) {
			if r.Failure == "" && o.Failure != record.FailCanceled && o.Failure != record.FailSkippedPoliteness && o.Failure != record.FailNone {
				r.Failure, r.Error = o.Failure, o.Error
			}
			continue
		}
		r.AnyHTTP = true
		if r.WordPress == "" {
			r.WordPress = wordpressSign(o)
		}
		st := o.Status()
		r.Refused = r.Refused || refusalStatus(st) || decisive(o) != nil || o.Class != nil && o.Class.Challenge
		r.Redirected = r.Redirected || isRedirect(o)
		if len(r.Found) < 4 && o.Variant == record.VarAsSent {
			r.Found = append(r.Found, foundLine(o))
		}
	}
	return r
}

// refusalStatus: statuses that refuse rather than say "not here".
func refusalStatus(st int) bool {
	switch st {
	case 401, 403, 407, 429, 451:
		return true
	}
	return false
}

// wordpressSign reads the classification for a sign that WordPress (or
// PHP code inside it) wrote the answer.
func wordpressSign(o *record.Observation) string {
	c := o.Class
	switch {
	case restHeaders(o):
		return "WordPress REST headers"
	case wpErr(o) != nil:
		return "a WP_Error body"
	case c != nil && (c.ThemePage || c.Page == "wordpress-html" || c.Page == "wp-die-html"):
		return "a WordPress page"
	case c != nil && (c.Producer == record.LayerWordPress || c.Producer == record.LayerPlugin):
		return "a WordPress or plugin answer"
	case strings.EqualFold(header(o, "X-Redirect-By"), "WordPress"):
		return "X-Redirect-By: WordPress"
	}
	return ""
}

// foundLine is "GET /wp-json/ → 404 text/html (Server: SimpleHTTP/0.6)".
func foundLine(o *record.Observation) string {
	path := o.Request.URL
	if u, err := url.Parse(o.Request.URL); err == nil {
		path = u.RequestURI()
	}
	s := o.Request.Method + " " + clipText(path, 60) + " → " + itoa(o.Status())
	if ct := header(o, "Content-Type"); ct != "" {
		ct, _, _ = strings.Cut(ct, ";")
		s += " " + clipText(ct, 40)
	}
	if p := page(o); p != "" {
		s += ", " + p + " page"
	}
	if srv := header(o, "Server"); srv != "" {
		s += " (Server: " + clipText(srv, 40) + ")"
	}
	return s
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// ProblemRule decides that the run could not diagnose the site at all.
type ProblemRule struct {
	ID   string
	Doc  string
	When func(*SiteFacts) bool
	Then func(*SiteFacts) record.Problem
}

// ProblemRules returns the problem rules (a copy); the first that holds wins.
func ProblemRules() []ProblemRule { return append([]ProblemRule(nil), problemRules...) }

var problemRules = []ProblemRule{
	{ID: "no-answer", Doc: "No request got an HTTP answer: name the failure (DNS, refused, TLS, timeout) instead of a refusal.",
		When: func(s *SiteFacts) bool { return !s.Reach.AnyHTTP && s.Reach.Failure != "" },
		Then: noAnswerProblem},
	{ID: "not-wordpress", Doc: "Answers came, none shows a sign of WordPress, none is a refusal or a redirect: the target is not WordPress.",
		When: func(s *SiteFacts) bool {
			r := s.Reach
			return r.AnyHTTP && r.WordPress == "" && !r.Refused && !r.Redirected
		},
		Then: func(s *SiteFacts) record.Problem {
			return record.Problem{Kind: record.ProblemNotWordPress, Found: s.Reach.Found,
				Summary: s.TargetURL + " does not look like WordPress: no REST API (no WordPress REST headers or JSON), no api.w.org link, no /wp-content/ or /wp-includes/ paths in its pages.",
				Next:    "Check the URL (a WordPress site in a subfolder needs that folder, e.g. https://example.com/blog/), or the --resolve/--origin address."}
		}},
}

func noAnswerProblem(s *SiteFacts) record.Problem {
	r := s.Reach
	host := s.TargetURL
	if u, err := url.Parse(s.TargetURL); err == nil && u.Host != "" {
		host = u.Host
	}
	p := record.Problem{Kind: record.ProblemNoAnswer, Failure: r.Failure}
	switch {
	case r.Failure == record.FailDNS:
		p.Summary = "No request got an answer: the host name in " + host + " does not resolve (DNS lookup failed)."
		p.Next = "Check the host name, or pass --resolve HOST:PORT:ADDR to send the requests to a known address."
	case r.Failure == record.FailConnRefused:
		p.Summary = "No request got an answer: the connection to " + host + " was refused (nothing accepts connections at that address and port)."
		p.Next = "Check the port and scheme in the URL, and the --resolve/--origin address."
	case tlsFailure(r.Failure):
		p.Summary = "No request got an answer: the TLS handshake with " + host + " failed (" + string(r.Failure) + ")."
		p.Next = "Check the certificate the site presents for this host name; for a private CA pass --cacert FILE."
	case r.Failure == record.FailTimeout || r.Failure == record.FailBodyTimeout:
		// before badResponse: a body that never ends is a timeout
		p.Summary = "No request got an answer from " + host + " within the --timeout limit (" + string(r.Failure) + ")."
		p.Next = "Check that the address is reachable from here; if the site is only slow, raise --timeout (e.g. --timeout 60s)."
	case badResponse(r.Failure):
		p.Summary = "No request got a usable HTTP answer from " + host + ": what came back was cut off or not HTTP (" + string(r.Failure) + ")."
		p.Next = "Check that the URL's scheme and port are those of the web server (not SSH, not TLS on a plain port)."
	default:
		p.Summary = "No request got an HTTP answer from " + host + " (" + string(r.Failure) + ")."
		p.Next = "Check the URL and the network path to the site."
	}
	if r.Error != "" {
		p.Found = []string{clipText(r.Error, 200)}
	}
	return p
}

// problemOf runs the problem rules.
func problemOf(s *SiteFacts) *record.Problem {
	for _, r := range problemRules {
		if r.When(s) {
			p := r.Then(s)
			p.Rule = r.ID
			return &p
		}
	}
	return nil
}
