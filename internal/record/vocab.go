package record

// Layer names the part of the request path that produced a response or a
// refusal. The set is closed; docs/schema.md documents each value.
type Layer string

// The layers, from the client inwards.
const (
	LayerClient    Layer = "client"    // the request itself is wrong (missing nonce, wrong URL)
	LayerNetwork   Layer = "network"   // nothing answered properly: DNS, TCP, TLS, timeouts, garbage
	LayerEdge      Layer = "edge"      // anything in front of the origin: CDN, reverse proxy, cloud WAF
	LayerWAF       Layer = "waf"       // a WAF module on the origin server (ModSecurity, Coraza, Imunify360)
	LayerServer    Layer = "server"    // the origin web server's own rules (deny, auth_basic, rewrites)
	LayerPHP       Layer = "php"       // the PHP handler (php-fpm, CGI) between server and WordPress
	LayerWordPress Layer = "wordpress" // WordPress core itself
	LayerPlugin    Layer = "plugin"    // a plugin, mu-plugin or theme code inside WordPress
)

// Layers lists every layer in path order, client first.
var Layers = []Layer{LayerClient, LayerNetwork, LayerEdge, LayerWAF, LayerServer, LayerPHP, LayerWordPress, LayerPlugin}

// Mechanism says how a layer refused. The set is closed; docs/schema.md
// documents each value.
type Mechanism string

// The mechanisms.
const (
	MechWAFRule         Mechanism = "waf-rule"                  // a WAF rule matched the request content
	MechAccessRule      Mechanism = "access-rule"               // a path/IP allow-deny rule
	MechUserAgentRule   Mechanism = "user-agent-rule"           // a rule keyed on the User-Agent
	MechMethodRule      Mechanism = "method-rule"               // a rule keyed on the HTTP method
	MechHTTPAuth        Mechanism = "http-auth"                 // server-level HTTP authentication
	MechHeaderStripped  Mechanism = "header-stripped"           // a request header did not reach WordPress
	MechRewrite         Mechanism = "rewrite"                   // pretty REST URLs do not reach WordPress
	MechRedirect        Mechanism = "redirect"                  // the REST URL is redirected
	MechHandler         Mechanism = "handler"                   // the PHP handler refused or misrouted
	MechPermission      Mechanism = "permission"                // WordPress knew the user and said no
	MechAppPasswordsOff Mechanism = "app-passwords-unavailable" // application passwords are switched off
	MechCredentials     Mechanism = "credentials"               // credentials missing, wrong or ignored
	MechNonce           Mechanism = "nonce"                     // cookie auth without a valid nonce
	MechRESTDisabled    Mechanism = "rest-disabled"             // a plugin restricts the REST API
	MechBlockPage       Mechanism = "block-page"                // a branded firewall page answered
	MechChallenge       Mechanism = "challenge"                 // a bot challenge or CAPTCHA answered
	MechRateLimit       Mechanism = "rate-limit"                // too many requests
	MechLockout         Mechanism = "lockout"                   // the client was locked out
	MechOriginLocked    Mechanism = "origin-locked"             // the origin refuses direct connections
	MechUnreachable     Mechanism = "unreachable"               // no usable HTTP answer
	MechTLS             Mechanism = "tls"                       // the TLS handshake failed
	MechBadResponse     Mechanism = "bad-response"              // an answer that is not what REST returns
	MechCanonical       Mechanism = "canonical-mismatch"        // home/siteurl differ from the URL used
	MechUnknown         Mechanism = "unknown"                   // refused, cause not determined
)

// Mechanisms lists the closed vocabulary, for validation and documentation.
var Mechanisms = []Mechanism{
	MechWAFRule, MechAccessRule, MechUserAgentRule, MechMethodRule, MechHTTPAuth,
	MechHeaderStripped, MechRewrite, MechRedirect, MechHandler, MechPermission,
	MechAppPasswordsOff, MechCredentials, MechNonce, MechRESTDisabled, MechBlockPage,
	MechChallenge, MechRateLimit, MechLockout, MechOriginLocked, MechUnreachable,
	MechTLS, MechBadResponse, MechCanonical, MechUnknown,
}

// Severity ranks a finding: block is a refusal of a request the user needs.
type Severity string

// The severities, most serious first.
const (
	SevBlock Severity = "block"
	SevWarn  Severity = "warn"
	SevInfo  Severity = "info"
)

// Confidence says how strongly the cited observations support a finding.
type Confidence string

// The confidence levels.
const (
	ConfHigh   Confidence = "high"   // a layer identified itself, or a differential isolated it
	ConfMedium Confidence = "medium" // consistent evidence, one alternative not excluded
	ConfLow    Confidence = "low"    // best guess; the finding says what would settle it
)

// AuthKind is how a request authenticates.
type AuthKind string

// The auth kinds.
const (
	AuthNone        AuthKind = "public"       // no credentials
	AuthCookieNonce AuthKind = "cookie+nonce" // logged-in cookie plus X-WP-Nonce, as wp-admin does
	AuthCookieOnly  AuthKind = "cookie"       // cookies without a nonce
	AuthAppPassword AuthKind = "app-password" // HTTP Basic with an application password
	AuthCustom      AuthKind = "integration"  // headers given by the user (bearer token, custom)
)

// Vantage is where a probe was sent: through the public edge, or straight
// to the origin address with the site's Host and TLS server name.
type Vantage string

// The vantage points.
const (
	VantageEdge   Vantage = "edge"
	VantageOrigin Vantage = "origin"
	VantageHAR    Vantage = "har" // seen in a browser export, not sent by wp403
	VantageLog    Vantage = "log" // seen in a server log
)

// Failure is the closed vocabulary of transport failures (after OONI's
// df-007): an empty Failure means an HTTP response was read.
type Failure string

// The failures.
const (
	FailNone              Failure = ""
	FailConnRefused       Failure = "connection_refused"
	FailConnReset         Failure = "connection_reset"
	FailTimeout           Failure = "generic_timeout_error"
	FailDNS               Failure = "dns_lookup_error"
	FailTLSHandshake      Failure = "ssl_failed_handshake"
	FailTLSInvalidCert    Failure = "ssl_invalid_certificate"
	FailTLSInvalidHost    Failure = "ssl_invalid_hostname"
	FailTLSUnknownAuth    Failure = "ssl_unknown_authority"
	FailNotHTTP           Failure = "http_invalid_response"
	FailBodyTooLarge      Failure = "http_body_too_large"
	FailBodyTimeout       Failure = "http_body_timeout"
	FailDecompression     Failure = "http_decompression_error"
	FailRedirectLoop      Failure = "http_redirect_loop"
	FailEOF               Failure = "eof_error"
	FailCanceled          Failure = "interrupted"
	FailSkippedPoliteness Failure = "skipped_politeness"
	FailOther             Failure = "unknown_failure"
)
