package record

import "strings"

// Probe keys name what a probe is for (Observation.Probe). The prober
// (diagnose, har, policy) sets them and the verdict reads them: this file
// is their one owner.
const (
	ProbeDiscover      = "discover"                      // the site's page, to find the REST root
	ProbeIndex         = "index"                         // the REST index, anonymously
	ProbeLogin         = "login"                         // wp-login.php with --password-file
	ProbeRESTNonce     = "rest-nonce"                    // admin-ajax.php?action=rest-nonce
	ProbeBaseline404   = "baseline-404"                  // a missing page, for the server's stock 404
	ProbeCleanup       = "cleanup"                       // deletes what --write created
	ProbePublicPosts   = "public:posts"                  // a public route, anonymously
	ProbeAuxPrefix     = "aux:"                          // facts wp403 gathers (Site Health test, canary)
	ProbeUserPrefix    = "request:"                      // the user's --request N: "request:N@auth"
	ProbeAuthHeader    = "aux:authorization-header-test" // Site Health's authorization-header test
	ProbeFreshAppPass  = "aux:fresh-app-password"        // a freshly created application password
	ProbeIntrospectApp = "introspect@app-password"       // application-password introspection
	ProbeUsersMeCookie = "users-me@cookie+nonce"         // /users/me with cookie + nonce
)

// ProbeRole says what a probe is for.
type ProbeRole string

// The probe roles.
const (
	RoleUser      ProbeRole = "user"      // a request the user asked for (--request, a policy rule)
	RolePlan      ProbeRole = "plan"      // a request of the default plan
	RoleAuthStep  ProbeRole = "auth-step" // the login or nonce fetch that sets up cookie auth
	RoleAuxiliary ProbeRole = "auxiliary" // gathers facts: discovery, index, baselines, cleanup
)

// RoleOf returns the role of a probe key.
func RoleOf(key string) ProbeRole {
	switch {
	case strings.HasPrefix(key, ProbeUserPrefix):
		return RoleUser
	case key == ProbeLogin || key == ProbeRESTNonce:
		return RoleAuthStep
	case key == ProbeDiscover || key == ProbeBaseline404 || key == ProbeCleanup || strings.HasPrefix(key, ProbeAuxPrefix):
		return RoleAuxiliary
	}
	return RolePlan
}

// Variant names a control: the same request with one thing changed
// (Observation.Variant).
type Variant string

// The variants.
const (
	VarAsSent     Variant = ""            // the request as planned
	VarRESTRoute  Variant = "rest_route"  // same request via ?rest_route=
	VarBrowserUA  Variant = "browser-ua"  // same request with a plain browser user agent
	VarNoAuth     Variant = "no-auth"     // same request without credentials
	VarBenignBody Variant = "benign-body" // same method and route with a harmless body
	VarGetControl Variant = "get-control" // GET on the same route
	VarOverride   Variant = "override"    // POST with X-HTTP-Method-Override instead of the method
	VarWithNonce  Variant = "with-nonce"  // cookies plus a freshly fetched nonce
)

// Expect is what success looks like for a probe (Observation.Expect).
type Expect string

// The expectations.
const (
	Expect2xx       Expect = "2xx"       // the request must succeed
	ExpectWordPress Expect = "wordpress" // it must reach WordPress, whatever WordPress answers
	ExpectLogin     Expect = "login"     // a redirect that sets the wordpress_logged_in_ cookie
)
