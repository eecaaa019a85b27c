package remedy

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy/quote"
)

// wafRule is the remedy for a WAF rule that matched the request content.
func wafRule(f *record.Finding, c Context) []record.Remedy {
	if f.Layer == record.LayerEdge {
		return edgeWAF(c)
	}
	p := plan(c)
	if len(p.actions) == 0 {
		return []record.Remedy{noNarrowFix(record.LayerWAF, c.modsecProduct(),
			"the rule ids that matched are not known, and an exclusion without them would switch off more than the rule that refused",
			"find them with `wp403 waf replay` on the failing request, or in the server's ModSecurity audit/error log "+
				"([id \"…\"] on the lines with the request's unique id), then run again")}
	}
	return []record.Remedy{modsecRemedy(c, p)}
}

// modsecRemedy is a before-CRS exclusion keyed on route and method.
func modsecRemedy(c Context, p modsecPlan) record.Remedy {
	return record.Remedy{
		Layer:   record.LayerWAF,
		Product: c.modsecProduct(),
		Title:   "Exclude rule " + joinIDs(p.ids) + " for " + c.routeDesc() + " only",
		Scope: fmt.Sprintf("%s (also reached as ?rest_route=%s): %s. Every other rule, target, route and method is inspected as before.",
			c.routeDesc(), strings.TrimPrefix(c.routeDesc(), c.Method+" "+c.RESTPrefix), strings.Join(p.allows, "; ")),
		Snippet: modsecSnippet(c, p),
		Where:   c.modsecWhere(),
		Caveat:  modsecCaveat(c),
		Narrow:  true,
	}
}

func modsecCaveat(c Context) string {
	notes := []string{"apply it only if the refused request is one your users legitimately send: if it came from someone else, the rule did its job",
		"rule ids 40000–49999 are taken from ModSecurity's range for local rules (1–99,999); change them if your own rules use them",
		"the actions sit in the last rule of each chain so they run only when route and method both match"}
	if c.WAF == "" {
		notes = append(notes, "both ARGS:json.x (libmodsecurity 3, Coraza) and ARGS:x (ModSecurity v2) names are excluded because the engine is unknown")
	}
	notes = append(notes, "reload the web server after editing; the CRS WordPress exclusions (CRS 3: tx.crs_exclusions_wordpress=1; "+
		"CRS 4: the wordpress-rule-exclusions plugin) also fix this but stop XSS/SQLi inspection of all post content")
	return strings.Join(notes, "; ") + "."
}

// modsecSnippet writes two rules: the pretty URL and the ?rest_route= form.
func modsecSnippet(c Context, p modsecPlan) string {
	id := localID("modsec", c.Method, c.pathRE(), strings.Join(p.actions, ","))
	var b strings.Builder
	fmt.Fprintf(&b, "# wp403: narrow exclusion for %s only (rules %s)\n", c.routeDesc(), joinIDs(p.ids))
	fmt.Fprintf(&b, "SecRule REQUEST_FILENAME \"@rx %s\" \\\n", quote.ModSecRegex(c.pathRE()))
	fmt.Fprintf(&b, "    \"id:%d,phase:1,pass,t:none,nolog,chain\"\n", id)
	writeMethodLink(&b, c, p, "    ")
	b.WriteString("# the same route reached as /?rest_route=…\n")
	fmt.Fprintf(&b, "SecRule REQUEST_FILENAME \"@rx %s\" \\\n", quote.ModSecRegex(c.indexRE()))
	fmt.Fprintf(&b, "    \"id:%d,phase:1,pass,t:none,nolog,chain\"\n", id+1)
	b.WriteString("    SecRule &ARGS_GET:rest_route \"@eq 1\" \"t:none,chain\"\n")
	fmt.Fprintf(&b, "        SecRule ARGS_GET:rest_route \"@rx %s\" \"t:none,chain\"\n", quote.ModSecRegex(c.queryRE()))
	writeMethodLink(&b, c, p, "            ")
	return b.String()
}

func writeMethodLink(b *strings.Builder, c Context, p modsecPlan, indent string) {
	fmt.Fprintf(b, "%sSecRule REQUEST_METHOD \"@streq %s\" \\\n", indent, c.Method)
	fmt.Fprintf(b, "%s    \"t:none", indent)
	for _, a := range p.actions {
		fmt.Fprintf(b, ",\\\n%s    %s", indent, a)
	}
	b.WriteString("\"\n")
}

func joinIDs(ids []int) string {
	var out []string
	for _, id := range ids {
		out = append(out, strconv.Itoa(id))
	}
	return strings.Join(out, ", ")
}
