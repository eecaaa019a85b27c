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
	s, err := c.scopeOf()
	if err != nil {
		return []record.Remedy{noNarrowFix(record.LayerWAF, c.modsecProduct(),
			"no narrow exclusion is produced: "+err.Error(),
			"scope an exclusion by hand to the path and method the request really uses")}
	}
	var out []record.Remedy
	if len(p.parser) > 0 {
		out = append(out, bodyFix(c, s, p))
	}
	return append(out, modsecRemedy(c, s, p))
}

// bodyFix is the fix to prefer when the body parser refused the request:
// send a body that parses as its Content-Type says.
func bodyFix(c Context, s scope, p modsecPlan) record.Remedy {
	return record.Remedy{
		Layer: record.LayerClient, Product: "client", Narrow: true,
		Title: "Send a body that matches its Content-Type (preferred over excluding rule " + joinIDs(p.parser) + ")",
		Scope: fmt.Sprintf("no WAF change: rule %s refuses a body of %s that the %s parser cannot read (invalid JSON or XML, a multipart body "+
			"without its boundary); fix the client's Content-Type header or the body it sends.", joinIDs(p.parser), s.desc(c.Method), orDefault(c.ContentType, "declared")),
	}
}

// modsecRemedy is a before-CRS exclusion keyed on the scope and method.
func modsecRemedy(c Context, s scope, p modsecPlan) record.Remedy {
	desc := s.desc(c.Method)
	title := "Exclude rule " + joinIDs(p.ids) + " for " + desc + " only"
	scopeText := desc
	switch {
	case s.kind == scopeREST:
		scopeText += " (also reached as " + orDefault(s.home, "") + "/?rest_route=" + strings.TrimPrefix(desc, c.Method+" "+s.prefix) + ")"
	case s.kind == scopeAjax && s.action == "":
		scopeText += " (the request named no action, so every admin-ajax.php action is covered)"
	}
	scopeText += ": " + strings.Join(p.allows, "; ") + ". Every other rule, target, path and method is inspected as before."
	caveat := modsecCaveat(c, s, p)
	if why := attackIn(c.Rules); why != "" {
		title = attackWarning + ". Only if you sent it yourself: " + strings.ToLower(title[:1]) + title[1:]
		scopeText = attackWarning + ": " + why + ". " + scopeText
		caveat = attackWarning + ": do not apply this exclusion to let such a request through; " + caveat
	}
	return record.Remedy{
		Layer: record.LayerWAF, Product: c.modsecProduct(), Title: title, Scope: scopeText,
		Snippet: modsecSnippet(c, s, p), Where: c.modsecWhere(), Caveat: caveat, Narrow: true,
	}
}

func modsecCaveat(c Context, s scope, p modsecPlan) string {
	var notes []string
	if len(p.parser) > 0 {
		notes = append(notes, fmt.Sprintf("EXCLUDING RULE %s MEANS A BODY THAT FAILS TO PARSE ON %s IS NOT INSPECTED AT ALL: "+
			"every other rule then sees no arguments, so an attacker can hide any payload in a malformed body; fix the Content-Type first",
			joinIDs(p.parser), s.desc(c.Method)))
	}
	notes = append(notes, "apply it only if the refused request is one your users legitimately send: if it came from someone else, the rule did its job",
		"rule ids 40000–49999 are taken from ModSecurity's range for local rules (1–99,999); change them if your own rules use them",
		"the actions sit in the last rule of each chain so they run only when path and method both match")
	if s.kind == scopeAjax && s.inBody && hasPhase(p, 1) {
		notes = append(notes, "the action is in the form body, which is read after the phase-1 rules ran: those rules are excluded for every action of admin-ajax.php with this method")
	}
	if c.WAF == "" {
		notes = append(notes, "both ARGS:json.x (libmodsecurity 3, Coraza) and ARGS:x (ModSecurity v2) names are excluded because the engine is unknown")
	}
	notes = append(notes, "reload the web server after editing; the CRS WordPress exclusions (CRS 3: tx.crs_exclusions_wordpress=1; "+
		"CRS 4: the wordpress-rule-exclusions plugin) also fix this but stop XSS/SQLi inspection of all post content")
	return strings.Join(notes, "; ") + "."
}

func hasPhase(p modsecPlan, phase int) bool {
	for _, ph := range p.phases {
		if ph == phase {
			return true
		}
	}
	return false
}

// link is one SecRule of a chain: the variable and the operator.
type link struct{ variable, operator string }

// modsecSnippet writes the exclusion rules for the scope.
func modsecSnippet(c Context, s scope, p modsecPlan) string {
	method := link{"REQUEST_METHOD", "@streq " + c.Method} // sanitize checked the method (A–Z)
	var b strings.Builder
	fmt.Fprintf(&b, "# wp403: narrow exclusion for %s only (rules %s)\n", s.desc(c.Method), joinIDs(p.ids))
	switch s.kind {
	case scopeREST:
		id := localID("modsec", c.Method, s.restRE(), strings.Join(p.actions, ","))
		writeChain(&b, id, 1, []link{{"REQUEST_FILENAME", "@rx " + s.restRE()}, method}, p.actions)
		b.WriteString("# the same route reached as /?rest_route=…\n")
		writeChain(&b, id+1, 1, []link{{"REQUEST_FILENAME", "@rx " + s.indexRE()}, {"&ARGS_GET:rest_route", "@eq 1"},
			{"ARGS_GET:rest_route", "@rx " + s.queryRE()}, method}, p.actions)
	case scopePath:
		id := localID("modsec", c.Method, s.pathRE(), strings.Join(p.actions, ","))
		writeChain(&b, id, 1, []link{{"REQUEST_FILENAME", "@rx " + s.pathRE()}, method}, p.actions)
	case scopeAjax:
		writeAjax(&b, c, s, p, method)
	}
	return b.String()
}

// writeAjax keys admin-ajax.php exclusions on the action too: in phase 1
// when it is in the query string, in phase 2 when it is in the form body
// (phase-1 rules are then excluded for the path and method alone).
func writeAjax(b *strings.Builder, c Context, s scope, p modsecPlan, method link) {
	id := localID("modsec", c.Method, s.pathRE(), s.action, strings.Join(p.actions, ","))
	links := []link{{"REQUEST_FILENAME", "@rx " + s.pathRE()}, method}
	if s.action == "" {
		writeChain(b, id, 1, links, p.actions)
		return
	}
	act := link{"ARGS_GET:action", "@rx ^" + reLiteral(s.action) + "$"}
	if !s.inBody {
		writeChain(b, id, 1, append(links, act), p.actions)
		return
	}
	var early, late []string
	for i, a := range p.actions {
		if p.phases[i] == 1 {
			early = append(early, a)
		} else {
			late = append(late, a)
		}
	}
	if len(early) > 0 {
		b.WriteString("# rules of phase 1 run before the body (and its action) is read\n")
		writeChain(b, id, 1, links, early)
	}
	if len(late) > 0 {
		act.variable = "ARGS_POST:action"
		writeChain(b, id+1, 2, append(links, act), late)
	}
}

// writeChain writes one chained rule; the actions sit in its last link.
func writeChain(b *strings.Builder, id, phase int, links []link, actions []string) {
	for i, l := range links {
		pad := strings.Repeat("    ", i)
		if i > 0 && i < len(links)-1 {
			fmt.Fprintf(b, "%sSecRule %s \"%s\" \"t:none,chain\"\n", pad, l.variable, modsecOperator(l.operator))
			continue
		}
		fmt.Fprintf(b, "%sSecRule %s \"%s\" \\\n", pad, l.variable, modsecOperator(l.operator))
		switch {
		case i == 0 && len(links) > 1:
			fmt.Fprintf(b, "%s    \"id:%d,phase:%d,pass,t:none,nolog,chain\"\n", pad, id, phase)
			continue
		case i == 0:
			fmt.Fprintf(b, "%s    \"id:%d,phase:%d,pass,t:none,nolog", pad, id, phase)
		default:
			fmt.Fprintf(b, "%s    \"t:none", pad)
		}
		for _, a := range actions {
			fmt.Fprintf(b, ",\\\n%s    %s", pad, a)
		}
		b.WriteString("\"\n")
	}
}

// modsecOperator quotes an "@rx" operator's regexp for the directive's
// double quotes (package quote); other operators are written by this file.
func modsecOperator(op string) string {
	if re, ok := strings.CutPrefix(op, "@rx "); ok {
		return "@rx " + quote.ModSecRegex(re)
	}
	return op
}

func joinIDs(ids []int) string {
	var out []string
	for _, id := range ids {
		out = append(out, strconv.Itoa(id))
	}
	return strings.Join(out, ", ")
}
