package remedy

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/wp403/wp403/internal/product"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy/quote"
)

// edgeRuleFix is the refusing edge product's narrow exception for the
// exact rule its own log named (edge-log findings): that rule only, for
// this route and method, and for an authenticated request only when it
// carries its credentials. The rule's id and set come from a log, so they
// are validated before they reach a snippet. nil when the finding names
// no usable rule.
func edgeRuleFix(f *record.Finding, c Context) []record.Remedy {
	if f.Rule != "edge-log" || len(c.Rules) == 0 {
		return nil
	}
	r := c.Rules[0]
	id := r.Name
	if id == "" && r.ID > 0 {
		id = strconv.Itoa(r.ID)
	}
	id = c.keep(id, "the edge rule's id", quote.EdgeRule)
	set := c.keep(r.Set, "the edge rule's set", quote.EdgeRule)
	if id == "" {
		return nil
	}
	p := refuser(f, c)
	if p != nil && p.ID == "cloudflare" {
		return []record.Remedy{cloudflareRuleFix(c, id, set, r.Kind)}
	}
	return []record.Remedy{genericRuleFix(c, p, f.Vendor, id, set, r.Kind)}
}

// cloudflareRuleFix: a managed rule is skipped by a WAF exception (a rule
// with action skip naming the ruleset and the rule, as the Rulesets API
// writes it); a custom or rate limiting rule gets the route left out of its
// own expression.
func cloudflareRuleFix(c Context, id, set, kind string) record.Remedy {
	scope := c.cfScope()
	if kind != "WAF managed rules" {
		return record.Remedy{Layer: record.LayerEdge, Product: "Cloudflare", Narrow: true,
			Title:   fmt.Sprintf("Leave %s out of Cloudflare %s %s", c.routeDesc(), orDefault(kind, "rule"), id),
			Scope:   "only this rule stops applying, to this route and method (with WordPress credentials when the request had them); it still applies to everything else.",
			Snippet: "... and not " + scope + "\n",
			Where:   "Security → WAF → Custom rules (or Rate limiting rules): the rule with id " + id + " (Security → Events shows it for the request's Ray ID); append this to its expression",
			Caveat:  cfCaveat,
		}
	}
	rules, _ := json.Marshal(map[string][]string{orDefault(set, "RULESET_ID"): {id}})
	snippet := fmt.Sprintf("%s\n\n# the same exception as a Rulesets API rule:\n{\n  \"description\": %s,\n  \"expression\": %s,\n  \"action\": \"skip\",\n  \"action_parameters\": {\"rules\": %s}\n}\n",
		scope, jsonString("wp403: skip managed rule "+id+" for "+c.routeDesc()), jsonString(scope), rules)
	where := "Security → WAF → Managed rules → Add exception: paste the expression, then \"Skip specific rules\" and pick rule " + id +
		"; or the Rulesets API, in the zone's http_request_firewall_managed entry-point ruleset, before the rule that deploys the managed ruleset"
	if set == "" {
		where += " (RULESET_ID: the managed ruleset's id, shown with the event in Security → Events)"
	}
	return record.Remedy{Layer: record.LayerEdge, Product: "Cloudflare WAF", Narrow: true,
		Title:   fmt.Sprintf("Skip only Cloudflare managed rule %s for %s", id, c.routeDesc()),
		Scope:   "rule " + id + " alone is skipped, for this route and method (with WordPress credentials when the request had them); every other managed rule still inspects these requests.",
		Snippet: snippet, Where: where, Caveat: cfCaveat,
	}
}

// genericRuleFix names the rule, its set and the scope in the product's
// own terms where the registry knows its control.
func genericRuleFix(c Context, p *product.Product, vendor, id, set, kind string) record.Remedy {
	name, where := orDefault(vendor, "the edge"), "the product's security console: the rule named above, with an exception (or a condition) for this path and method"
	if p != nil {
		name = p.Name
		if p.Control != nil && p.Control.Where != "" {
			where = p.Control.Where
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "rule: %s\n", id)
	if set != "" {
		fmt.Fprintf(&b, "set: %s\n", set)
	}
	if kind != "" {
		fmt.Fprintf(&b, "kind: %s\n", kind)
	}
	fmt.Fprintf(&b, "path (regex): %s\nmethod: %s\n", c.pathRE(), c.Method)
	if c.Auth == record.AuthAppPassword {
		b.WriteString("only when: the request carries an Authorization header\n")
	}
	return record.Remedy{Layer: record.LayerEdge, Product: name, Narrow: true,
		Title:   fmt.Sprintf("Exempt %s from %s rule %s only", c.routeDesc(), name, id),
		Scope:   "the one rule the edge's log names, for this route and method (and, for an authenticated API call, only when it carries credentials); every other rule still applies.",
		Snippet: b.String(), Where: where,
		Caveat: "do not allowlist the whole of " + c.RESTPrefix + "/ or switch the edge's protection off.",
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
