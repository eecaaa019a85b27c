package verdict

import (
	"slices"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// agentTrace is the wp403 agent's trace of an observation when it agrees
// with what was seen from outside: the status PHP set is the status
// received, and no edge or WAF signature says someone else wrote the
// answer. A trace never overrides the outside view; it only adds names.
func agentTrace(o *record.Observation) *record.AgentTrace {
	t := o.Agent
	if t == nil || o.Response == nil || t.Status != o.Status() {
		return nil
	}
	if o.Class != nil && (o.Class.Producer == record.LayerEdge || o.Class.Producer == record.LayerWAF) {
		return nil
	}
	if m := decisive(o); m != nil && m.Layer != record.LayerPlugin && m.Layer != record.LayerWordPress {
		return nil
	}
	return t
}

// agentRefusal is the callback the agent saw refuse the primary request.
func agentRefusal(f *Facts) *record.AgentCallback {
	if f.Primary.Agent == nil {
		return nil
	}
	return f.Primary.Agent.Refusal
}

// thirdParty: the refusing code is not WordPress core.
func thirdParty(c *record.AgentCallback) bool {
	return c != nil && c.Component.Type != "core" && (c.File != "" || c.Callable != "")
}

// phpSawAuthorization: the agent saw Basic credentials or the header in PHP.
func phpSawAuthorization(t *record.AgentTrace) bool {
	return slices.ContainsFunc(t.Auth.PHPSaw, func(v string) bool { return v != "PHP_AUTH_PW" })
}

// agentRules name the code that refused, as the agent saw it inside WordPress.
var agentRules = []Rule{
	{ID: "agent-callback", Doc: "The wp403 agent names the plugin, mu-plugin or theme callback that turned the request into an error.",
		When: func(f *Facts) bool { return f.Primary.HTTP && thirdParty(agentRefusal(f)) },
		Then: agentCallback},
	{ID: "agent-app-password-rejected", Doc: "The agent saw the Authorization header in PHP and WordPress reject the application password: the credentials are wrong.",
		When: func(f *Facts) bool {
			t := f.Primary.Agent
			return lostAppPassword(f) && t != nil && phpSawAuthorization(t) && t.Auth.AppPassword.Result == "failed"
		},
		Then: unlessEdge(func(f *Facts) attribution {
			t := f.Primary.Agent
			a := attribution{layer: record.LayerClient, mech: record.MechCredentials, conf: record.ConfHigh}
			a.summary = "The Authorization header reached PHP (the wp403 agent saw " + strings.Join(t.Auth.PHPSaw, ", ") +
				") and WordPress rejected the application password (" + orText(t.Auth.AppPassword.Code, "failed") + "): the user name or application password is wrong or revoked."
			a.cite("the agent saw the header in PHP and the application password fail", f.Primary.obs())
			a.next = "Create a new application password for this user (Users → Profile) and use the login name, not the display name."
			return a
		}, credentialHeader)},
	{ID: "agent-app-passwords-off", Doc: "The agent saw Basic credentials in PHP but WordPress did not try them: application passwords are unavailable, and it says why.",
		When: func(f *Facts) bool {
			t := f.Primary.Agent
			return lostAppPassword(f) && t != nil && phpSawAuthorization(t) && t.Auth.AppPasswordsAvailable != nil && !*t.Auth.AppPasswordsAvailable
		},
		Then: func(f *Facts) attribution {
			t := f.Primary.Agent
			a := attribution{layer: record.LayerWordPress, mech: record.MechAppPasswordsOff, conf: record.ConfHigh}
			why := strings.Join(t.Auth.AppPasswordsWhyNot, ", ")
			if by := t.Auth.AppPasswordsDisabledBy; by != nil {
				why += "; " + describeCallback(by) + " returned false"
			}
			a.summary = "Application passwords are unavailable on this site (" + why + "), so WordPress ignored the Basic credentials that reached PHP and saw an anonymous user."
			a.cite("the agent saw the credentials in PHP, not tried", f.Primary.obs())
			a.next = "Serve the site over HTTPS as PHP sees it (is_ssl()), and remove the wp_is_application_passwords_available filter that turns them off."
			return a
		}},
	{ID: "agent-authorization-lost", Doc: "Application-password credentials were sent but the agent saw no Authorization header in PHP: it is lost before PHP.",
		When: func(f *Facts) bool {
			t := f.Primary.Agent
			return lostAppPassword(f) && t != nil && !phpSawAuthorization(t)
		},
		Then: unlessEdge(func(f *Facts) attribution {
			a := authorizationLost(f, record.ConfHigh)
			a.summary = "The Authorization header never reached PHP: the wp403 agent inside WordPress saw none of HTTP_AUTHORIZATION, REDIRECT_HTTP_AUTHORIZATION or PHP_AUTH_USER, so WordPress saw an anonymous user (401" + codeText(code(f)) + ")."
			return a
		}, credentialHeader)},
}

// agentCallback: a plugin, mu-plugin or theme callback refused.
func agentCallback(f *Facts) attribution {
	c := agentRefusal(f)
	mech := record.MechRESTDisabled
	switch c.Hook {
	case "load", "output":
		mech = record.MechBlockPage
	case "permission_callback", "callback":
		mech = record.MechPermission
	}
	vendor := orText(c.Component.Name, c.Component.Slug)
	a := attribution{layer: record.LayerPlugin, mech: mech, vendor: vendor, conf: record.ConfHigh}
	a.summary = describeCallback(c) + " " + verb(c) + " (" + itoa(f.Primary.Status) + ")."
	a.cite("the wp403 agent inside WordPress named the callback", f.Primary.obs())
	a.next = "Allow this route in " + orText(vendor, "that code") + "'s settings, or narrow its " + orText(c.Hook, "check") + " callback " + orText(c.Callable, "") + " to leave this route and user alone."
	return a
}

// describeCallback: "plugin `acme-guard` 2.3 (wp-content/plugins/acme-guard/guard.php), `Acme\Guard->restrict_rest` on `rest_authentication_errors`".
// A core helper registered by a plugin (AddedBy) is named with the file
// that registered it: "plugin `acme` 1.0 (wp-content/plugins/acme/acme.php), core helper `__return_false` on …".
func describeCallback(c *record.AgentCallback) string {
	s := orText(c.Component.Type, "code") + " `" + orText(c.Component.Slug, c.Component.Name) + "`"
	if c.Component.Version != "" {
		s += " " + c.Component.Version
	}
	if file := orText(c.AddedBy, c.File); file != "" {
		s += " (" + file + ")"
	}
	switch {
	case c.Callable != "" && c.AddedBy != "":
		s += ", core helper `" + c.Callable + "`"
	case c.Callable != "":
		s += ", `" + c.Callable + "`"
	}
	switch c.Hook {
	case "load":
		return "the request stopped during the load of " + s
	case "output":
		if strings.HasSuffix(c.During, "plugin load") {
			return "the request stopped during the load of " + s + ", which wrote the response itself"
		}
		return s + " wrote the response itself" + during(c)
	case "wp_die_handler":
		return s + " called wp_die()" + during(c)
	}
	return s + " on `" + c.Hook + "`"
}

func during(c *record.AgentCallback) string {
	if c.During == "" {
		return ""
	}
	return " during `" + c.During + "`"
}

func verb(c *record.AgentCallback) string {
	switch {
	case c.Hook == "load" || (c.Hook == "output" && strings.HasSuffix(c.During, "plugin load")):
		return "and answered"
	case c.Hook == "rest_endpoints":
		return "removed the route " + orText(c.Removed, "")
	case c.Code != "":
		return "returned `" + c.Code + "`"
	}
	return "refused the request"
}

func orText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// withAgentDetail adds what the agent saw to a finding another rule made:
// the core callback that refused, in the agent's words.
func withAgentDetail(f *Facts, a attribution) attribution {
	c := agentRefusal(f)
	if c == nil || thirdParty(c) || c.Callable == "" {
		return a
	}
	a.summary += " Inside WordPress, " + describeCallback(c) + " " + verb(c) + "."
	return a
}
