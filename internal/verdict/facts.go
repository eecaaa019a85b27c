package verdict

import (
	"github.com/wp403/wp403/internal/record"
)

// Obs is what the rules need to know about one observation, read once from
// its classification (record.Class: signature alone decides who wrote a
// response) and its HTTP exchange. The observation itself is kept for
// citing, not serialised.
type Obs struct {
	ID      string          `json:"id"`
	Vantage record.Vantage  `json:"vantage"`
	Variant record.Variant  `json:"variant,omitempty"`
	Auth    record.AuthKind `json:"auth"`
	Method  string          `json:"method"`
	// HTTP is true when an HTTP answer was read (possibly cut short).
	HTTP    bool           `json:"http"`
	Status  int            `json:"status,omitempty"`
	Failure record.Failure `json:"failure,omitempty"`
	// ReadFailure: the answer started but could not be read to the end.
	ReadFailure bool `json:"read_failure,omitempty"`
	// Met: the observation met its expectation (2xx, or reached WordPress).
	Met bool `json:"met"`
	// ReachedWP: WordPress (core or a plugin in it) wrote the response.
	ReachedWP bool `json:"reached_wordpress"`
	// REST: WordPress's REST server headers are present.
	REST bool `json:"rest,omitempty"`
	// Writer is the innermost layer that provably wrote the response.
	Writer record.Layer `json:"writer,omitempty"`
	Vendor string       `json:"vendor,omitempty"`
	WPCode string       `json:"wp_code,omitempty"`
	// PluginSlug is the plugin whose assets the page loads (the classifier's Class.Plugin).
	PluginSlug string `json:"plugin_slug,omitempty"`
	Page       string `json:"page,omitempty"`
	// Refusal is a refusal signature (a vendor block page, a stock page).
	Refusal *record.Match `json:"refusal_match,omitempty"`
	// Decisive is a refusal signature that names the mechanism by itself.
	Decisive *record.Match `json:"decisive_match,omitempty"`
	// Plugin is a plugin-layer refusal signature.
	Plugin *record.Match `json:"plugin_match,omitempty"`
	// Intrinsic is the mechanism the answer states by itself (429, HTTP
	// auth, a decisive signature, a browser challenge), with its reason.
	Intrinsic    record.Mechanism `json:"intrinsic,omitempty"`
	IntrinsicWhy string           `json:"intrinsic_why,omitempty"`
	Redirect     bool             `json:"redirect,omitempty"`
	Location     string           `json:"location,omitempty"`
	RedirectBy   string           `json:"redirect_by,omitempty"`
	Server       string           `json:"server,omitempty"`
	// SentCredentials: the request carried credentials.
	SentCredentials bool `json:"sent_credentials,omitempty"`
	// AppPage: an HTML refusal produced by application code.
	AppPage  bool   `json:"app_page,omitempty"`
	Incident string `json:"incident,omitempty"`
	// Agent is the wp403 agent's trace when it agrees with the outside view.
	Agent *record.AgentTrace `json:"agent,omitempty"`

	o *record.Observation
}

// Flip is the control variant that flips a refusal at one vantage, and the
// mechanism that implies.
type Flip struct {
	Variant   record.Variant   `json:"variant"`
	Mechanism record.Mechanism `json:"mechanism"`
	Why       string           `json:"why"`
	Control   string           `json:"control"` // observation id

	o *record.Observation
}

// Facts are the named facts about one subject (a request in its variants
// and vantages), computed once before any rule runs.
type Facts struct {
	Subject string           `json:"subject"`
	Role    record.ProbeRole `json:"role"`
	// Asked: the user asked for this request (--request) or a policy
	// says it must be allowed; it is never taken for hardening.
	Asked   bool           `json:"asked,omitempty"`
	Request record.Request `json:"request"`
	// Status is the request's status at the edge and at the origin.
	Status record.StatusPair `json:"status"`
	// Primary is the observation the finding is about (edge as sent, or
	// what there is).
	Primary Obs `json:"primary"`
	// Origin is the same request as sent straight to the origin.
	Origin *Obs `json:"origin,omitempty"`
	// Compared: the primary is an edge observation and an origin
	// observation of the same request can serve as a control.
	Compared bool `json:"compared"`
	// OriginPasses: the origin control got through to WordPress.
	OriginPasses bool `json:"origin_passes,omitempty"`
	// OriginGotFurther: at the origin WordPress accepted the credentials
	// it did not see through the edge.
	OriginGotFurther bool `json:"origin_got_further,omitempty"`
	// OneVantage: an edge-side refusal seen without an origin comparison.
	OneVantage bool `json:"one_vantage,omitempty"`
	// Refused is the observation the origin-side rules examine: the
	// origin's answer when both vantages refused, else the primary.
	Refused *Obs `json:"refused,omitempty"`
	// Relay is the edge observation when Refused is the origin's.
	Relay *Obs `json:"relay,omitempty"`
	// Flip is the variant that flips the refusal at Refused's vantage.
	Flip *Flip `json:"flip,omitempty"`
	// AnyVariantPasses: some control variant got through at Refused's vantage.
	AnyVariantPasses bool `json:"any_variant_passes,omitempty"`
	// FreshNonce is the same request with a freshly fetched nonce.
	FreshNonce *Obs `json:"fresh_nonce,omitempty"`
	// GetControl is GET on the same route.
	GetControl *Obs `json:"get_control,omitempty"`
	// NoAuth is the same request without its credentials.
	NoAuth *Obs `json:"no_auth,omitempty"`
	// Log is a correlated log entry that names blocking WAF rules.
	Log *LogHit `json:"log,omitempty"`
	// Replay is the in-process WAF replay of the refused request.
	Replay *record.WAFResult `json:"replay,omitempty"`
	// PublicRoute: the subject is a route core answers anonymously.
	PublicRoute bool `json:"public_route,omitempty"`
	// CookieSession is the same method and route sent by the run's login
	// session (cookie + nonce) at the primary's vantage, for a request
	// that carried other credentials: the browser session's answer.
	CookieSession *Obs `json:"cookie_session,omitempty"`

	Site *SiteFacts `json:"-"`
}

// LogHit is a log entry that recorded blocking rules for an observation.
type LogHit struct {
	Entry record.LogEntry `json:"entry"`
	Obs   string          `json:"observation"`

	o *record.Observation
}

// SiteFacts are facts about the whole run.
type SiteFacts struct {
	HasOrigin bool `json:"has_origin"`
	// Reach says whether anything answered and whether it is WordPress.
	Reach Reach `json:"reach"`
	// TargetURL is the URL the user gave; Home and SiteURL are what
	// WordPress says its URLs are.
	TargetURL string `json:"target_url,omitempty"`
	Home      string `json:"home,omitempty"`
	SiteURL   string `json:"site_url,omitempty"`
	// OriginLocked: every origin probe failed to reach WordPress while the
	// same probes reached it through the edge.
	OriginLocked bool `json:"origin_locked,omitempty"`
	// OriginRefusals cites up to three origin observations of the lock.
	OriginRefusals []string `json:"origin_refusals,omitempty"`
	// OriginServer is the Server header on WordPress's own answers relayed
	// by the edge: the origin's fingerprint.
	OriginServer string `json:"origin_server,omitempty"`
	// originServers are all the Server values on that answer (an edge may
	// add its own beside the origin's).
	originServers []string
	// AnonymousPasses: some anonymous request got through.
	AnonymousPasses bool `json:"anonymous_passes,omitempty"`
	// EdgePresence: some response carried an edge presence signature.
	EdgePresence bool `json:"edge_presence,omitempty"`
	// RESTRoot is the REST root probed; ForeignRESTRoot the root the
	// site advertised on another host (not followed: credentials go only
	// to the host the user named).
	RESTRoot string `json:"rest_root,omitempty"`
	// LoginCookieMiss says why the login's wordpress_logged_in_ cookie
	// would not be sent to the REST root (domain, path, secure), or "".
	LoginCookieMiss string `json:"login_cookie_miss,omitempty"`
	loginObs        []string
	ForeignRESTRoot string `json:"foreign_rest_root,omitempty"`
	discover        []string
	// SecurityPlugins are the security plugins the REST index's
	// namespaces show active.
	SecurityPlugins []string `json:"security_plugins,omitempty"`
	// AppPasswordsOff names why application passwords are unavailable.
	AppPasswordsOff string `json:"app_passwords_off,omitempty"`
	appPasswordsObs *record.Observation
	// NonceFetch is the admin-ajax rest-nonce step, when it ran.
	NonceFetch *Obs `json:"nonce_fetch,omitempty"`
	// CookieWorks: the logged-in cookie fetched a nonce.
	CookieWorks bool `json:"cookie_works,omitempty"`
	// NoncePage is the page the REST nonce came from, with the login
	// cookies, at the edge (or in a HAR) and at the origin.
	NoncePage       *NoncePage `json:"nonce_page,omitempty"`
	NoncePageOrigin *NoncePage `json:"nonce_page_origin,omitempty"`
	// CookieUserWorks: /users/me with cookie + nonce succeeded.
	CookieUserWorks *Obs `json:"cookie_user_works,omitempty"`
	// AuthHeaderTest is Site Health's authorization-header test, when it
	// succeeded; AuthHeaderGood is its verdict.
	AuthHeaderTest *Obs `json:"auth_header_test,omitempty"`
	AuthHeaderGood bool `json:"auth_header_good,omitempty"`
	// FreshAppPassword is set when wp403 tried a freshly created
	// application password; FreshAt holds its answer per vantage.
	FreshAppPassword bool                   `json:"fresh_app_password,omitempty"`
	FreshAt          map[record.Vantage]Obs `json:"fresh_at,omitempty"`
	// cookieRequests holds the cookie + nonce requests as sent, by
	// sessionKey, for Facts.CookieSession.
	cookieRequests map[string]*record.Observation
}

// sessionKey names a request by method, route and vantage.
func sessionKey(method, route string, v record.Vantage) string {
	return method + " " + route + " @" + string(v)
}

// CanCompareOrigin reports whether origin observations can serve as a control.
func (s *SiteFacts) CanCompareOrigin() bool { return s.HasOrigin && !s.OriginLocked }

// obsFacts reads the facts of one observation; nil in, nil out.
func obsFacts(o *record.Observation) *Obs {
	if o == nil {
		return nil
	}
	x := &Obs{ID: o.ID, Vantage: o.Vantage, Variant: o.Variant, Auth: o.Request.Auth, Method: o.Request.Method,
		HTTP: o.Response != nil, Status: o.Status(), Failure: o.Failure, ReadFailure: readFailure(o.Failure),
		Met: ok(o), ReachedWP: reachedWP(o), REST: restHeaders(o), WPCode: wpCode(o), Page: page(o),
		Refusal: matchOf(o, record.KindRefusal), Decisive: decisive(o), Plugin: pluginMatch(o),
		Redirect: isRedirect(o), Location: header(o, "Location"), RedirectBy: header(o, "X-Redirect-By"),
		Server: header(o, "Server"), SentCredentials: sentCredentials(o), o: o}
	if x.HTTP {
		x.Agent = agentTrace(o)
	}
	if c := o.Class; c != nil {
		x.Writer, x.Vendor, x.PluginSlug = c.Producer, c.Vendor, c.Plugin
		x.AppPage, x.Incident = c.AppCode, c.Incident
	}
	if x.HTTP {
		x.Intrinsic, x.IntrinsicWhy = intrinsic(o)
	}
	return x
}

// intrinsic is the mechanism an answer states by itself.
func intrinsic(o *record.Observation) (record.Mechanism, string) {
	switch {
	case o.Status() == 429:
		return record.MechRateLimit, "429 Too Many Requests"
	case o.Status() == 401 && header(o, "WWW-Authenticate") != "":
		return record.MechHTTPAuth, "it asks for HTTP authentication (" + header(o, "WWW-Authenticate") + ")"
	}
	if m := decisive(o); m != nil {
		return m.Mechanism, m.Meaning
	}
	if o.Class != nil && o.Class.Challenge {
		return record.MechChallenge, "the answer is a browser check (a script that sets a cookie and reloads), which API clients cannot pass"
	}
	return "", ""
}

// obs returns the observation behind the facts (nil-safe).
func (x *Obs) obs() *record.Observation {
	if x == nil {
		return nil
	}
	return x.o
}
