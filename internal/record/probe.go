package record

import (
	"strconv"
	"strings"
)

// Probe keys name what a probe is for (Observation.Probe). The prober
// (diagnose, har, policy) sets them and the verdict reads them: this file
// is their one owner.
const (
	ProbeDiscover      = "discover"                                     // the site's page, to find the REST root
	ProbeIndex         = "index"                                        // the REST index, anonymously
	ProbeLogin         = "login"                                        // wp-login.php with --password-file
	ProbeRESTNonce     = "rest-nonce"                                   // admin-ajax.php?action=rest-nonce
	ProbeBaseline404   = "baseline-404"                                 // a missing page, for the server's stock 404
	ProbeCleanup       = "cleanup"                                      // deletes what --write created
	ProbePublicPosts   = "public:posts"                                 // a public route, anonymously
	ProbeAuxPrefix     = "aux:"                                         // facts wp403 gathers (Site Health test, canary)
	ProbeUserPrefix    = "request:"                                     // the user's --request N: "request:N@auth"
	ProbeAuthHeader    = "aux:authorization-header-test"                // Site Health's authorization-header test
	ProbeFreshAppPass  = "aux:fresh-app-password"                       // a freshly created application password
	ProbeIntrospectApp = PlanIntrospect + "@" + string(AuthAppPassword) // application-password introspection
	ProbeUsersMeCookie = PlanUsersMe + "@" + string(AuthCookieNonce)    // /users/me with cookie + nonce
	ProbeNoncePage     = ProbeAuxPrefix + "nonce-page"                  // the page a REST nonce comes from, with the login cookies
	ProbePageNonce     = "page-nonce@" + string(AuthCookieNonce)        // /users/me with the nonce that page carried
	ProbeSiteHealth    = "site-health@" + string(AuthCookieNonce)       // Site Health's REST availability loopback (--site-health)
)

// The default plan's requests, sent once per auth kind (PlanKey).
const (
	PlanUsersMe      = "users-me"      // who WordPress thinks you are
	PlanEditorLoad   = "editor-load"   // what the editor loads first
	PlanOptionsPosts = "options-posts" // the methods the credentials may use on posts
	PlanEditorSave   = "editor-save"   // an editor save to a missing post
	PlanDelete       = "delete"        // an integration's DELETE of a missing post
	PlanIntrospect   = "introspect"    // application-password introspection
	PlanWriteDraft   = "write-draft"   // --write: a draft with block-editor content
	PlanWriteMedia   = "write-media"   // --write: a tiny image upload
)

// PlanKey is the key of a default-plan request with one auth kind:
// "users-me@cookie+nonce". The verdict compares keys built this way with
// the constants above, never by spelling.
func PlanKey(name string, auth AuthKind) string { return name + "@" + string(auth) }

// UserKey is the key of the user's --request n (from 1) with one auth
// kind: "request:n@auth".
func UserKey(n int, auth AuthKind) string {
	return ProbeUserPrefix + strconv.Itoa(n) + "@" + string(auth)
}

// UserIndex reads n back from a UserKey.
func UserIndex(key string) (int, bool) {
	rest, ok := strings.CutPrefix(key, ProbeUserPrefix)
	num, _, ok2 := strings.Cut(rest, "@")
	n, err := strconv.Atoi(num)
	return n, ok && ok2 && err == nil && n >= 1
}

// AuxKey is the key of an auxiliary probe (facts wp403 gathers).
func AuxKey(name string) string { return ProbeAuxPrefix + name }

// ProbeRole says what a probe is for.
type ProbeRole string

// The probe roles.
const (
	RoleUser      ProbeRole = "user"      // a request the user asked for (--request, a policy rule)
	RolePlan      ProbeRole = "plan"      // a request of the default plan
	RoleAuthStep  ProbeRole = "auth-step" // the login or nonce fetch that sets up cookie auth
	RoleAuxiliary ProbeRole = "auxiliary" // gathers facts: discovery, index, baselines, cleanup
)

// RoleOfObservation is the observation's role: the one its source set,
// else the one its probe key implies.
func RoleOfObservation(o *Observation) ProbeRole {
	if o.Role != "" {
		return o.Role
	}
	return RoleOf(o.Probe)
}

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
