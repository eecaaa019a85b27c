package remedy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/remedy/quote"
)

// The CRS defaults the scoped policy rules start from (REQUEST-901).
const (
	crsMethods = "GET HEAD POST OPTIONS"
	crs3Types  = "|application/x-www-form-urlencoded| |multipart/form-data| |multipart/related| |text/xml| |application/xml| |application/soap+xml| |application/json| |application/cloudevents+json| |application/cloudevents-batch+json|"
	crs4Types  = "|application/x-www-form-urlencoded| |multipart/form-data| |text/xml| |application/xml| |application/soap+xml| |application/json|"
	ruleMethod = 911100
	ruleCType  = 920420
)

// modsecPlan is what one exclusion does once its scope matches.
type modsecPlan struct {
	actions []string // ctl: and setvar: actions, in order
	allows  []string // what each action lets through, for the scope text
	phases  []int    // the phase of the rule each action is for (1 or 2)
	ids     []int    // the CRS rules excluded
	parser  []int    // body-parse error rules among them (200002, 200003)
}

// scoring reports whether a hit is a detection rule (not the CRS's
// blocking evaluation, correlation or reporting rules).
func scoring(id int) bool {
	switch id / 1000 {
	case 949, 959, 980:
		return false
	}
	return id > 0
}

// bodyParser reports the base configuration's body-parse error rules:
// 200002 (REQBODY_ERROR) and 200003 (MULTIPART_STRICT_ERROR). 200004
// (MULTIPART_UNMATCHED_BOUNDARY) is not one: libmodsecurity 3.0.9 raises
// it for every multipart body, so there is no client fix to prefer.
func bodyParser(id int) bool { return id == 200002 || id == 200003 }

// add appends an action for a hit, once.
func (p *modsecPlan) add(h record.RuleHit, action, allow string) {
	if slices.Contains(p.actions, action) {
		return
	}
	p.actions = append(p.actions, action)
	p.allows = append(p.allows, allow)
	p.phases = append(p.phases, phaseOf(h))
	if !slices.Contains(p.ids, h.ID) {
		p.ids = append(p.ids, h.ID)
		if bodyParser(h.ID) {
			p.parser = append(p.parser, h.ID)
		}
	}
}

// plan turns the rule hits into exclusion actions.
func plan(c Context) modsecPlan {
	var p modsecPlan
	for _, h := range c.Rules {
		switch {
		case !scoring(h.ID):
		case h.ID == ruleMethod:
			p.add(h, "setvar:"+quote.ModSecAction("tx.allowed_methods="+crsMethods+" "+c.Method),
				fmt.Sprintf("method %s is allowed (rule 911100 stays on for every other method)", c.Method))
		case h.ID == ruleCType && c.ContentType != "":
			ct := c.ContentType // sanitize kept only a valid, lower-case media type
			p.add(h, "setvar:"+quote.ModSecAction(fmt.Sprintf("tx.allowed_request_content_type=%s |%s|", c.crsTypes(), ct)),
				fmt.Sprintf("content type %s is allowed besides the CRS defaults (rule 920420 stays on)", ct))
		case h.ID == ruleCType:
			p.add(h, fmt.Sprintf("ctl:ruleRemoveById=%d", h.ID),
				"rule 920420 is off (the refused content type is not known, so it cannot be allowed alone)")
		default:
			for _, t := range c.targets(h.Target) {
				if t == "" {
					p.add(h, fmt.Sprintf("ctl:ruleRemoveById=%d", h.ID), fmt.Sprintf("rule %d is off", h.ID))
					continue
				}
				p.add(h, fmt.Sprintf("ctl:ruleRemoveTargetById=%d;%s", h.ID, t), fmt.Sprintf("rule %d no longer inspects %s", h.ID, t))
			}
		}
	}
	return p
}

// phaseOf is the phase a hit's rule runs in; when a log did not say,
// the CRS's request-line and header rules (911, 913, 920, 921) are phase 1.
func phaseOf(h record.RuleHit) int {
	if h.Phase > 0 {
		return h.Phase
	}
	switch h.ID / 1000 {
	case 911, 913, 920, 921:
		return 1
	}
	return 2
}

func (c Context) crsTypes() string {
	if c.CRS == 4 {
		return crs4Types
	}
	return crs3Types // a superset of CRS 4's list
}

// targets names a matched target as the server's engine does. ModSecurity
// v2 calls a JSON body field ARGS:content; libmodsecurity 3 and Coraza call
// it ARGS:json.content; when the engine is unknown both are excluded.
// Targets without a key (REQUEST_METHOD, REQUEST_BODY), TX variables and
// names that cannot be written safely give "" (remove the rule for this
// route and method).
func (c Context) targets(t string) []string {
	col, key, ok := strings.Cut(t, ":")
	if !ok || key == "" || col == "TX" || quote.ModSecTarget(t) != nil {
		return []string{""} // the rule is removed for the scope: the name cannot be written safely
	}
	if col != "ARGS" {
		return []string{t}
	}
	base, prefixed := strings.CutPrefix(key, "json.")
	v2, v3 := "ARGS:"+base, "ARGS:json."+base
	switch {
	case strings.Contains(c.WAF, "v2"):
		return []string{v2}
	case strings.Contains(c.WAF, "v3"), c.WAF == "coraza":
		return []string{t} // the name came from an engine that names JSON fields json.x
	case !prefixed && !strings.Contains(strings.ToLower(c.ContentType), "json"):
		return []string{t}
	}
	return []string{v3, v2}
}

// modsecProduct names the engine and rule set the remedy is written for.
func (c Context) modsecProduct() string {
	eng := "ModSecurity (v2 or v3)"
	switch {
	case strings.Contains(c.WAF, "v2"):
		eng = "ModSecurity v2"
	case strings.Contains(c.WAF, "v3"):
		eng = "ModSecurity v3"
	case c.WAF == "coraza":
		eng = "Coraza"
	}
	crs := "OWASP CRS"
	if c.CRS > 0 {
		crs = fmt.Sprintf("CRS %d", c.CRS)
	}
	return eng + " + " + crs
}

// modsecWhere is where a before-CRS exclusion goes.
func (c Context) modsecWhere() string {
	return c.crsWhere() + c.serverWhere()
}

func (c Context) serverWhere() string {
	switch c.Server {
	case "nginx":
		return "; with nginx it is loaded from the file named by modsecurity_rules_file (or modsecurity_rules)"
	case "apache", "litespeed":
		return "; with Apache, Include it inside <IfModule security2_module> before the CRS Include"
	}
	return ""
}

func (c Context) crsWhere() string {
	switch c.CRS {
	case 3:
		return "a file loaded after crs-setup.conf and before the CRS rules: on Debian/Ubuntu " +
			"/etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf"
	case 4:
		return "REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf in the CRS rules directory (copy it from the .example), " +
			"or any file included after crs-setup.conf and before rules/*.conf"
	}
	return "the before-CRS exclusion file (REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf), or any file included " +
		"after crs-setup.conf and before the CRS rules; not RESPONSE-999 (its rules run too late for phase-1 ctl and tx policy)"
}
