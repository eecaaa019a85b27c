package remedy

import (
	"fmt"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy/quote"
)

// agentFix is the fix when the wp403 agent named the callback that
// refused: that plugin's setting first, then, for a REST-wide filter, a
// mu-plugin that lets this one route past that one error code.
func agentFix(f *record.Finding, c Context) []record.Remedy {
	cb := c.Callback
	owner := c.Plugin
	if owner == "" {
		owner = cb.Component.Slug
	}
	where := fmt.Sprintf("%s's REST API settings; the refusal is %s on %s in %s", orDefault(owner, "the plugin"), orDefault(cb.Callable, "a callback"), cb.Hook, orDefault(cb.File, "its code"))
	if cb.Line > 0 {
		where += fmt.Sprintf(" line %d", cb.Line)
	}
	out := []record.Remedy{{
		Layer: record.LayerPlugin, Product: orDefault(owner, "plugin"), Narrow: true,
		Title:  "Allow " + c.routeDesc() + " in " + orDefault(owner, "the plugin that refused"),
		Scope:  "this route or the requesting role only; the restriction stays for everyone else.",
		Where:  where,
		Caveat: "if it has no such setting, authenticate the request (application password) or ask its author for a per-route exception.",
	}}
	if cb.Code == "" || (cb.Hook != "rest_authentication_errors" && cb.Hook != "rest_pre_dispatch" && cb.Hook != "rest_dispatch_request") {
		return out
	}
	prio := cb.Priority + 1
	if cb.Hook == "rest_authentication_errors" && prio > 89 {
		prio = 89 // before core's application-password and cookie checks
	}
	snippet := "<?php\n// wp-content/mu-plugins/wp403-allow-route.php: let one route past one refusal of " + quote.PHPComment(orDefault(cb.Callable, "the plugin")) + "\n" +
		"add_filter(" + quote.PHP(cb.Hook) + ", function ($result) {\n" +
		"    $route = isset($GLOBALS['wp']->query_vars['rest_route']) ? untrailingslashit($GLOBALS['wp']->query_vars['rest_route']) : '';\n" +
		"    if (is_wp_error($result) && $result->get_error_code() === " + quote.PHP(cb.Code) + " && $route === " + quote.PHP(c.Route) + ") {\n" +
		"        return null;\n    }\n    return $result;\n}, " + fmt.Sprint(prio) + ");\n"
	return append(out, record.Remedy{
		Layer: record.LayerPlugin, Product: "WordPress filter", Narrow: true,
		Title:   "Let " + c.routeDesc() + " past " + cb.Hook + " only for " + cb.Code,
		Scope:   "one route, one error code; every other route stays restricted and core's own checks still run.",
		Snippet: snippet,
		Where:   "a new file in wp-content/mu-plugins/",
		Caveat:  "only when the route must work for this client; the plugin's own setting is better, and the route's permission_callback still decides.",
	})
}
