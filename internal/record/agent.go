package record

// AgentTrace is what the wp403 agent (a mu-plugin inside WordPress) saw
// of one signed request: the callback that refused it, authentication as
// PHP and WordPress saw it, and the matched route's permission check. It
// is the site's own account, validated and bounded by internal/agent; it
// never overrides what was observed from outside.
type AgentTrace struct {
	Agent  string `json:"agent,omitempty"`
	Method string `json:"method,omitempty"`
	Route  string `json:"route,omitempty"`
	// Status is the HTTP status WordPress's PHP set (0 when unknown).
	Status int    `json:"status"`
	WP     string `json:"wp,omitempty"`
	// Refusal is the callback that turned the request into an error.
	Refusal *AgentCallback `json:"refusal,omitempty"`
	Auth    AgentAuth      `json:"auth"`
	// Permission is the matched route's permission_callback and its result.
	Permission *AgentCallback `json:"permission,omitempty"`
	// Removed lists rest_endpoints callbacks that removed a route this
	// request matches.
	Removed []AgentCallback `json:"removed,omitempty"`
	// Events are the callbacks that changed the outcome, in order.
	Events []AgentCallback `json:"events,omitempty"`
	// Progress says how far WordPress got with the request.
	Progress  *AgentProgress `json:"progress,omitempty"`
	Truncated bool           `json:"truncated,omitempty"`
}

// AgentProgress is how far a request got inside WordPress: the stage
// reached (mu-plugins, plugins, theme, init, routing, rest, served), the
// last plugin or mu-plugin file that finished loading and the last hook
// fired.
type AgentProgress struct {
	Stage      string `json:"stage"`
	LastLoaded string `json:"last_loaded,omitempty"`
	LastHook   string `json:"last_hook,omitempty"`
}

// AgentCallback names one callable and where it lives.
type AgentCallback struct {
	// Hook is the filter or stage: rest_authentication_errors,
	// determine_current_user, rest_pre_dispatch,
	// rest_request_before_callbacks, permission_callback,
	// rest_dispatch_request, callback, rest_request_after_callbacks,
	// rest_post_dispatch, rest_endpoints, wp_die_handler, dispatch (core
	// answered), load (a plugin file answered while loading), output (code
	// that wrote the response itself).
	Hook      string         `json:"hook"`
	Priority  int            `json:"priority,omitempty"`
	Callable  string         `json:"callable,omitempty"`
	File      string         `json:"file,omitempty"`
	Line      int            `json:"line,omitempty"`
	Component AgentComponent `json:"component"`
	// Code and Status are the WP_Error code and HTTP status it produced.
	Code   string `json:"code,omitempty"`
	Status int    `json:"status,omitempty"`
	// During is the hook that was running (wp_die, output, load).
	During string `json:"during,omitempty"`
	// Route is the route pattern (permission_callback); Result is
	// "true", "false", "truthy" or "error".
	Route  string `json:"route,omitempty"`
	Result string `json:"result,omitempty"`
	// Removed is the route pattern a rest_endpoints callback removed.
	Removed string `json:"removed,omitempty"`
	// AddedBy is the file that registered the callback (a plugin adding a
	// core helper such as __return_false), when it is not the callable's
	// own file; Component is then the component of that file.
	AddedBy string `json:"added_by,omitempty"`
}

// AgentComponent is what owns a file: plugin, mu-plugin, theme, core,
// other (elsewhere under wp-content) or unknown.
type AgentComponent struct {
	Type    string `json:"type"`
	Slug    string `json:"slug,omitempty"`
	Name    string `json:"name,omitempty"`
	Version string `json:"version,omitempty"`
}

// AgentAppPassword is how application-password authentication went:
// result "ok", "failed" (with the WP_Error code), "not-tried" (PHP had
// Basic credentials but WordPress did not try them) or "no-credentials".
type AgentAppPassword struct {
	Result string `json:"result"`
	Code   string `json:"code,omitempty"`
}

// AgentAuth is authentication as PHP and WordPress saw it. It holds
// names and results, never a credential value.
type AgentAuth struct {
	// PHPSaw lists which of HTTP_AUTHORIZATION, REDIRECT_HTTP_AUTHORIZATION,
	// PHP_AUTH_USER and PHP_AUTH_PW were set in PHP.
	PHPSaw []string `json:"php_saw"`
	// Scheme is the Authorization scheme word (basic, bearer, …).
	Scheme     string `json:"scheme,omitempty"`
	CookieSent bool   `json:"cookie_sent"`
	NonceSent  bool   `json:"nonce_sent"`
	// Cookie is the logged-in cookie check: none, valid, expired,
	// bad_hash, bad_username, bad_session_token, malformed, not-checked.
	Cookie      string           `json:"cookie,omitempty"`
	AppPassword AgentAppPassword `json:"app_password"`
	// Nonce is wp_verify_nonce's result for the wp_rest nonce sent: 0
	// (invalid), 1 (0–12 h old), 2 (12–24 h old); nil when none was sent.
	Nonce       *int   `json:"nonce"`
	SSL         bool   `json:"ssl"`
	Environment string `json:"environment,omitempty"`
	// AppPasswordsAvailable is wp_is_application_passwords_available().
	AppPasswordsAvailable *bool `json:"app_passwords_available,omitempty"`
	AppPasswordsInUse     *bool `json:"app_passwords_in_use,omitempty"`
	// AppPasswordsWhyNot: not-https-and-not-local, filtered, none-created.
	AppPasswordsWhyNot     []string       `json:"app_passwords_why_not,omitempty"`
	AppPasswordsDisabledBy *AgentCallback `json:"app_passwords_disabled_by,omitempty"`
	// DeterminedBy is the determine_current_user callback that chose the user.
	DeterminedBy   string   `json:"determined_by,omitempty"`
	UserDetermined bool     `json:"user_determined"`
	UserID         int      `json:"user_id"`
	Roles          []string `json:"roles,omitempty"`
	// Stripped lists credentials the client sent and signed (authorization,
	// cookie, nonce) that did not reach PHP: removed on the way.
	Stripped []string `json:"stripped,omitempty"`
}
