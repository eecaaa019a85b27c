package verdict

import (
	"github.com/wp403/wp403/internal/record"
)

func badNonce(f *Facts) bool { return wrote(f) && code(f) == "rest_cookie_invalid_nonce" }

func cookieHeader(*Facts) string       { return "Cookie" }
func credentialHeader(f *Facts) string { return strippedHeader(&f.Primary) }

// nonceRules explain 403 rest_cookie_invalid_nonce.
var nonceRules = append(pageNonceRules, []Rule{
	{ID: "nonce-stale", Doc: "The same request with a freshly fetched nonce succeeds: the nonce sent was stale.",
		When: func(f *Facts) bool { return badNonce(f) && f.FreshNonce != nil && f.FreshNonce.Met },
		Then: unlessEdge(func(f *Facts) attribution {
			a := nonceRefused(f)
			a.summary = "The nonce sent with the cookies is stale or belongs to another session: the same request with a freshly fetched nonce succeeds."
			a.cite("fresh nonce from admin-ajax.php?action=rest-nonce works", f.FreshNonce.obs())
			a.next = "Refresh the nonce (admin-ajax.php?action=rest-nonce) before retrying, and keep wp-admin and logged-in pages out of page caches."
			return a
		}, cookieHeader)},
	{ID: "nonce-cookie-invalid", Doc: "The cookie cannot fetch a nonce: the login cookie itself is invalid.",
		When: func(f *Facts) bool { return badNonce(f) && f.Site.NonceFetch != nil && !f.Site.CookieWorks },
		Then: unlessEdge(func(f *Facts) attribution {
			a := nonceRefused(f)
			a.mech = record.MechCredentials
			a.summary = "The login cookie is not valid (expired or logged out), so WordPress checked the nonce against an anonymous user and refused it."
			a.cite("the cookie cannot fetch a nonce", f.Site.NonceFetch.obs())
			a.next = "Log in again and send the new wordpress_logged_in_ cookie together with a nonce made for that session."
			return a
		}, cookieHeader)},
	{ID: "nonce-cookie-lost", Doc: "The cookie fetches a nonce from admin-ajax.php, yet that fresh nonce is refused on the REST route too: WordPress does not see the session's cookie there (dropped on the way).",
		When: func(f *Facts) bool {
			return badNonce(f) && f.Primary.Auth == record.AuthCookieNonce && f.Site.CookieWorks && f.FreshNonce != nil && !f.FreshNonce.Met
		},
		Then: func(f *Facts) attribution {
			a := attribution{layer: record.LayerServer, mech: record.MechHeaderStripped, conf: record.ConfMedium}
			if f.Site.EdgePresence {
				a.layer = record.LayerEdge
			}
			a.summary = "The login cookie works on admin-ajax.php, yet a nonce fetched just now for that session is refused on the REST route as well (403 rest_cookie_invalid_nonce): WordPress checked it against an anonymous user, so the Cookie header does not reach it on /wp-json/ (a proxy, CDN or server rule drops it there)."
			a.cite("WordPress rejected the nonce (403 rest_cookie_invalid_nonce)", f.Primary.obs())
			a.cite("the cookie fetches a nonce from admin-ajax.php", f.Site.NonceFetch.obs())
			a.cite("a freshly fetched nonce is refused too", f.FreshNonce.obs())
			a.needsOrigin = "Run again with --origin ADDR: if the same request succeeds at the origin, the edge drops the Cookie header."
			a.next = "Let the Cookie header through to /wp-json/ on every hop (CDN cache rules that strip cookies, proxy header rules)."
			return a
		}},
	{ID: "nonce-other-session", Doc: "The cookie is valid but the nonce was refused: it belongs to another session. High only when a REST request showed the cookie reaches WordPress (users/me).",
		When: func(f *Facts) bool {
			return badNonce(f) && f.Primary.Auth == record.AuthCookieNonce && f.Site.CookieWorks
		},
		Then: unlessEdge(func(f *Facts) attribution {
			a := nonceRefused(f)
			a.summary = "The nonce does not match this login session (stale, or made for another user); the cookie itself is valid."
			a.cite("the cookie is valid", f.Site.NonceFetch.obs())
			if f.Site.CookieUserWorks != nil {
				a.cite("the cookie reaches the REST API (users/me)", f.Site.CookieUserWorks.obs())
			} else {
				a.conf = record.ConfMedium
				a.summary = "WordPress refused the nonce; the login cookie works on admin-ajax.php, but nothing showed it reaches the REST API: the nonce may belong to another session, or the Cookie header is dropped on /wp-json/."
			}
			a.next = "Use the nonce wp-admin gives this session (wpApiSettings.nonce or admin-ajax.php?action=rest-nonce)."
			return a
		}, cookieHeader)},
	{ID: "nonce-refused", Doc: "WordPress refused the nonce; nothing else tells stale nonce from missing cookie.",
		When: badNonce,
		Then: unlessEdge(func(f *Facts) attribution {
			a := nonceRefused(f)
			a.conf = record.ConfMedium
			a.summary = "WordPress refused the nonce: it is stale, or no valid login cookie reached WordPress with it."
			a.next = "Send the wordpress_logged_in_ cookie together with a nonce fetched in the same session."
			return a
		}, cookieHeader)},
}...)

func nonceRefused(f *Facts) attribution {
	a := attribution{layer: record.LayerClient, mech: record.MechNonce, conf: record.ConfHigh}
	a.cite("WordPress rejected the nonce (403 rest_cookie_invalid_nonce)", f.Primary.obs())
	return a
}

// lost: credentials were sent but WordPress saw an anonymous user (401).
func lost(f *Facts, kind record.AuthKind) bool {
	return wrote(f) && f.Primary.Status == 401 && f.Primary.SentCredentials && (kind == "" || f.Primary.Auth == kind)
}

func lostAppPassword(f *Facts) bool { return lost(f, record.AuthAppPassword) }

// credentialRules explain a WordPress 401 although credentials were sent.
var credentialRules = []Rule{
	{ID: "cookie-without-nonce", Doc: "Cookies without X-WP-Nonce: WordPress treats the request as anonymous.",
		When: func(f *Facts) bool { return lost(f, record.AuthCookieOnly) },
		Then: unlessEdge(func(f *Facts) attribution {
			a := attribution{layer: record.LayerClient, mech: record.MechNonce, conf: record.ConfHigh}
			a.summary = "Cookies were sent without an X-WP-Nonce header, so WordPress treated the request as anonymous (401). Cookie authentication needs the nonce."
			a.cite("cookie without nonce", f.Primary.obs())
			if f.FreshNonce != nil && f.FreshNonce.Met {
				a.cite("the same request with a nonce succeeds", f.FreshNonce.obs())
			}
			a.next = "Send X-WP-Nonce with the value of wpApiSettings.nonce (or admin-ajax.php?action=rest-nonce) along with the cookies."
			return a
		}, credentialHeader)},
	{ID: "app-passwords-unavailable", Doc: "The site says application passwords are unavailable, so Basic credentials are ignored.",
		When: func(f *Facts) bool { return lostAppPassword(f) && f.Site.AppPasswordsOff != "" },
		Then: unlessEdge(appPasswordsUnavailable, credentialHeader)},
	{ID: "app-password-wrong", Doc: "Site Health says the Authorization header reaches PHP: the application password is wrong or revoked.",
		When: func(f *Facts) bool {
			return lostAppPassword(f) && f.Site.AuthHeaderTest != nil && f.Site.AuthHeaderGood
		},
		Then: unlessEdge(func(f *Facts) attribution {
			a := attribution{layer: record.LayerClient, mech: record.MechCredentials, conf: record.ConfHigh}
			a.summary = "The Authorization header reaches PHP (Site Health's test passes), yet WordPress ignores these credentials: the application password or user name is wrong or revoked."
			a.cite("", f.Primary.obs())
			a.cite("Site Health authorization-header test: good", f.Site.AuthHeaderTest.obs())
			a.next = "Create a new application password for this user (Users → Profile) and use the login name, not the display name."
			return a
		}, credentialHeader)},
	{ID: "authorization-missing", Doc: "Site Health says the Authorization header does not reach PHP.",
		When: func(f *Facts) bool { return lostAppPassword(f) && f.Site.AuthHeaderTest != nil },
		Then: unlessEdge(func(f *Facts) attribution {
			a := authorizationLost(f, record.ConfHigh)
			a.summary = "The Authorization header does not reach PHP (Site Health's authorization-header test says it is missing), so WordPress never sees the application password."
			a.cite("Site Health authorization-header test: missing", f.Site.AuthHeaderTest.obs())
			return a
		}, credentialHeader)},
	{ID: "fresh-app-password-works", Doc: "A freshly created application password works on the same path: the one in use is wrong.",
		When: func(f *Facts) bool { return lostAppPassword(f) && freshAt(f) != nil && freshAt(f).Met },
		Then: unlessEdge(func(f *Facts) attribution {
			a := attribution{layer: record.LayerClient, mech: record.MechCredentials, conf: record.ConfHigh}
			a.summary = "The application password in use is wrong or revoked: a freshly created one for the same user works on the same path (and was deleted again)."
			a.cite("", f.Primary.obs())
			a.cite("fresh application password accepted", freshAt(f).obs())
			a.next = "Create a new application password for this user (Users → Profile) and use the login name, not the display name."
			return a
		}, credentialHeader)},
	{ID: "fresh-app-password-ignored", Doc: "Even a freshly created application password is ignored: Authorization does not reach PHP.",
		When: func(f *Facts) bool { return lostAppPassword(f) && f.Site.FreshAppPassword },
		Then: unlessEdge(func(f *Facts) attribution {
			a := authorizationLost(f, record.ConfHigh)
			a.summary = "Even a freshly created application password is ignored: the Authorization header does not reach PHP, so WordPress never sees Basic credentials."
			a.cite("fresh application password ignored too", freshAt(f).obs())
			return a
		}, credentialHeader)},
	{ID: "app-password-ignored", Doc: "Application-password credentials ignored; nothing tested whether Authorization reaches PHP.",
		When: lostAppPassword,
		Then: unlessEdge(func(f *Facts) attribution {
			a := authorizationLost(f, record.ConfLow)
			a.summary = "Application-password credentials were sent but WordPress saw an anonymous user (401" + codeText(code(f)) +
				"): the Authorization header most likely does not reach PHP (a wrong or revoked application password looks the same)."
			if f.Site.CookieUserWorks != nil {
				a.conf = record.ConfMedium
				a.cite("the same user logs in with a cookie", f.Site.CookieUserWorks.obs())
			}
			a.next = "Pass Authorization to PHP (nginx: fastcgi_param HTTP_AUTHORIZATION $http_authorization; Apache: CGIPassAuth On), then re-run; if it persists, create a new application password."
			return a
		}, credentialHeader)},
	{ID: "nonce-header-lost", Doc: "Cookie and X-WP-Nonce sent, WordPress saw nobody: X-WP-Nonce does not arrive.",
		When: func(f *Facts) bool { return lost(f, record.AuthCookieNonce) },
		Then: unlessEdge(func(f *Facts) attribution {
			a := attribution{layer: record.LayerServer, mech: record.MechHeaderStripped, conf: record.ConfMedium, header: "X-WP-Nonce"}
			a.summary = "The cookies and X-WP-Nonce were sent but WordPress saw an anonymous user (401): the X-WP-Nonce header does not reach WordPress."
			a.cite("", f.Primary.obs())
			a.next = "Find the proxy or server rule that drops X-WP-Nonce on the way to PHP."
			return a
		}, credentialHeader)},
	{ID: "credentials-unrecognised", Doc: "Custom credentials sent, WordPress saw nobody.",
		When: func(f *Facts) bool { return lost(f, "") },
		Then: unlessEdge(func(f *Facts) attribution {
			a := attribution{layer: record.LayerClient, mech: record.MechCredentials, conf: record.ConfMedium}
			a.summary = "The credentials in the request were not recognised: WordPress saw an anonymous user (401" + codeText(code(f)) + ")."
			a.cite("", f.Primary.obs())
			a.next = "Check that the plugin handling this kind of token is active and that the header reaches PHP."
			return a
		}, credentialHeader)},
}

func freshAt(f *Facts) *Obs {
	if x, ok := f.Site.FreshAt[f.Primary.Vantage]; ok {
		return &x
	}
	return nil
}

// authorizationLost: Authorization does not reach PHP.
func authorizationLost(f *Facts, conf record.Confidence) attribution {
	a := attribution{layer: record.LayerPHP, mech: record.MechHeaderStripped, conf: conf, header: "Authorization"}
	a.cite("", f.Primary.obs())
	a.next = "Pass Authorization to PHP (nginx: fastcgi_param HTTP_AUTHORIZATION $http_authorization; Apache: CGIPassAuth On or the E=HTTP_AUTHORIZATION rewrite rule)."
	return a
}
