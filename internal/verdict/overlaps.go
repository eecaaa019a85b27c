package verdict

// A rule is shadowed when its condition holds on a subject but an earlier
// rule of the table wins. Shadowing is how a specific rule refines a
// general one, and a mistake when the later rule is the right answer (a
// theme's 404 taken for a block page where the rewrite explains it). Every
// shadowing the tests meet must be declared here, with the reason the
// earlier rule is the better answer (TestOverlaps).

// yield declares which earlier rules a rule yields to, and why.
type yield struct {
	to  []string // earlier rule ids; "*" for a catch-all that yields to every earlier rule
	why string
}

// specificCredentialRules say which part of the credentials failed; the generic
// credential rules yield to them.
var specificCredentialRules = []string{"agent-app-password-rejected", "agent-app-passwords-off", "agent-authorization-lost",
	"app-passwords-unavailable", "app-password-wrong", "authorization-missing", "fresh-app-password-works",
	"fresh-app-password-ignored", "edge-drops-credentials", "auth-checked-too-early", "auth-refused-before-rest"}

// yields is the declaration table, keyed by the shadowed rule.
var yields = map[string]yield{
	"unreachable":        {[]string{"tls-failure", "bad-response", "network-edge-side"}, "a failed handshake, an unusable answer or an origin that answers say more than \"no answer\""},
	"bad-response":       {[]string{"network-edge-side"}, "the origin answering the same request puts the fault on the edge's side"},
	"wordpress-other":    {[]string{"*"}, "the catch-all for WordPress's answers: any rule that explains the answer is better"},
	"server-unexplained": {[]string{"*"}, "the catch-all before WordPress: any rule that isolates the cause is better"},
	"server-rule": {[]string{"edge-differential", "edge-signature", "edge-stock-page", "redirect", "refusal-signature", "rewrite", "waf-body", "waf-replay"},
		"a flipping variant is generic evidence; a differential, a signature, a redirect or the specific variant (rest_route on a 404, a harmless body) names the layer or mechanism"},
	"edge-differential":       {[]string{"edge-signature"}, "a vendor's refusal signature names the product and mechanism, the differential only the layer"},
	"rate-limit":              {[]string{"edge-differential"}, "the origin accepting the request puts the limit at the edge"},
	"edge-stock-page":         {[]string{"edge-signature"}, "a vendor refusal signature names the mechanism, a stock page only the product"},
	"refusal-signature":       {[]string{"edge-signature"}, "the same signature, read as the edge's"},
	"edge-fingerprint":        {[]string{"edge-stock-page"}, "the edge's own page is direct evidence, the missing Server header indirect"},
	"locked-origin-edge-side": {[]string{"edge-stock-page"}, "the edge's own page names it without the origin comparison"},
	"custom-page":             {[]string{"locked-origin-edge-side"}, "with the origin locked to the edge, nothing tells a plugin's page from an edge rule's: the edge side alone is reported"},
	"http-auth":               {[]string{"refusal-signature"}, "a signature of the server's auth page names the product too"},
	"redirect":                {[]string{"login-redirect", "rest-login-redirect"}, "a redirected login form is the auth step's own finding; a redirect to a login page says who demands a session"},
	"plugin-signature":        {[]string{"token-refused"}, "a plugin's code on a credential the same request without it gets past says the token was refused, and still names the plugin"},
	"rest-login-redirect":     {[]string{"login-redirect"}, "the login form's own redirect is the auth step's finding"},
	"php-code-refusal":        {[]string{"rest-login-redirect"}, "an empty redirect PHP sent to the login page is the login gate's, which the redirect rule names"},
	"needs-auth": {append([]string{"agent-callback", "public-route-needs-auth", "plugin-signature", "cookie-without-nonce", "credentials-unrecognised", "app-password-ignored", "nonce-header-lost"}, specificCredentialRules...),
		"a 401 on a route that needs auth is the general case; rules that say why the credentials did not count, or which plugin refused, are better"},
	"credentials-unrecognised": {append([]string{"app-password-ignored", "cookie-without-nonce", "nonce-header-lost"}, specificCredentialRules...),
		"the rules for one auth kind say which part failed"},
	"app-password-ignored":  {specificCredentialRules, "Site Health, a fresh application password, the agent or the origin comparison say why the credentials were ignored"},
	"authorization-missing": {[]string{"app-password-wrong"}, "both read Site Health; a good header test with a refusal means wrong credentials"},
	"fresh-app-password-ignored": {[]string{"edge-drops-credentials", "fresh-app-password-works", "auth-checked-too-early", "auth-refused-before-rest"},
		"the origin comparison says where the header is lost; a working fresh password says the old one is wrong; a refusal sent before the REST server ran never looked at a password, fresh or not"},
	"auth-refused-before-rest": {[]string{"auth-checked-too-early"}, "the same user's cookie session passing the same request proves the user may use it"},
	"nonce-header-lost":        {[]string{"edge-drops-credentials"}, "the origin comparison says the edge drops it"},
	"nonce-other-session":      {[]string{"edge-drops-credentials", "nonce-cookie-lost", "nonce-cached-page", "nonce-page-stale"}, "the origin comparison says the edge drops the cookie; a refused fresh nonce says the cookie never reaches the REST route; a page's nonce refused beside a working fresh one says where the nonce came from"},
	"nonce-page-stale":         {[]string{"nonce-cached-page"}, "a cache header on the page says why its nonce is old"},
	"nonce-refused":            {[]string{"edge-drops-credentials", "nonce-cookie-invalid", "nonce-cookie-lost", "nonce-other-session", "nonce-stale", "nonce-cached-page", "nonce-page-stale"}, "the nonce rules with more evidence say which part of cookie auth failed"},
	"permission": {[]string{"edge-drops-credentials", "nonce-cookie-invalid", "nonce-cookie-lost", "nonce-other-session", "nonce-refused", "nonce-stale", "nonce-cached-page", "nonce-page-stale", "plugin-error-code", "token-refused"},
		"rest_cookie_invalid_nonce is a 403 that is not a capability check; a plugin's own code is the plugin's refusal; a credential refused where the request without it passes is the token, not the role"},
	"public-route-needs-auth": {[]string{"agent-callback", "plugin-signature"}, "the agent's callback or a plugin's signature names the plugin that restricts the API"},
	"public-route-refused":    {[]string{"plugin-error-code", "plugin-signature", "wp-die"}, "the code, the signature or wp_die name who refused"},
	"plugin-error-code":       {[]string{"plugin-signature", "wp-die", "token-refused", "refused-in-body", "rest-method-refused"}, "a signature names the plugin; wp_die is the more specific code; a refused token, a refusal in a 2xx body and a 405 say what the plugin refused"},
	"wp-die":                  {[]string{"plugin-signature"}, "a signature names the plugin"},
	"no-route":                {[]string{"no-route-for-method"}, "GET reaching the route says the method changed on the way"},
}
