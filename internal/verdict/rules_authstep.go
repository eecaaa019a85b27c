package verdict

import "github.com/wp403/wp403/internal/record"

// authStepRules explain a failed login or nonce fetch: wp403 could not set
// up the cookie + nonce authentication the user asked to test. Other
// failures of these steps fall through to the general rules.
var authStepRules = []Rule{
	{ID: "login-form-again", Doc: "wp-login.php answered 200: it showed the form again, the login failed.",
		When: func(f *Facts) bool {
			return f.Subject == record.ProbeLogin && f.Primary.HTTP && f.Primary.Status == 200
		},
		Then: func(f *Facts) attribution {
			a := attribution{layer: record.LayerClient, mech: record.MechCredentials, conf: record.ConfHigh}
			a.summary = "Logging in through wp-login.php failed: WordPress showed the login form again (wrong user name or password), so cookie + nonce authentication could not be tested."
			a.cite("", f.Primary.obs())
			a.next = "Check the login name and password given with --user and --password-file."
			return a
		}},
	{ID: "nonce-not-issued", Doc: "admin-ajax.php?action=rest-nonce answered 400: the login cookie is not valid.",
		When: func(f *Facts) bool {
			return f.Subject == record.ProbeRESTNonce && f.Primary.HTTP && f.Primary.Status == 400
		},
		Then: func(f *Facts) attribution {
			a := attribution{layer: record.LayerClient, mech: record.MechCredentials, conf: record.ConfHigh}
			a.summary = "The login cookie is not valid: admin-ajax.php?action=rest-nonce refused to issue a nonce (400, \"0\")."
			a.cite("", f.Primary.obs())
			a.next = "Log in again and send the fresh wordpress_logged_in_ cookie."
			return a
		}},
	{ID: "login-redirect", Doc: "The login form redirects (canonical URL): cookie auth was not tested at this URL; a warning.",
		When: func(f *Facts) bool {
			return f.Subject == record.ProbeLogin && f.Primary.HTTP && !f.Primary.ReachedWP && f.Primary.Redirect
		},
		Then: func(f *Facts) attribution {
			a := redirect(f)
			a.severity = record.SevWarn
			a.summary = "The login form redirects (" + itoa(f.Primary.Status) + " to " + f.Primary.Location + "), so cookie + nonce authentication was not tested at this URL; use the site's canonical URL."
			return a
		}},
}

func isAuthStepRule(id string) bool {
	for _, r := range authStepRules {
		if r.ID == id {
			return true
		}
	}
	return false
}
