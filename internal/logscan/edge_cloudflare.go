package logscan

import (
	"encoding/json"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// cfHTTP is one record of Cloudflare's Logpush http_requests dataset
// (https://developers.cloudflare.com/logs/reference/log-fields/zone/http_requests/):
// the request, the edge's answer and, for requests a security product
// acted on, the Security* fields (and the deprecated FirewallMatches*).
// RequestHeaders holds only the headers the zone's Logpush custom fields
// name.
type cfHTTP struct {
	ClientIP         string            `json:"ClientIP"`
	Host             string            `json:"ClientRequestHost"`
	Method           string            `json:"ClientRequestMethod"`
	URI              string            `json:"ClientRequestURI"`
	UserAgent        string            `json:"ClientRequestUserAgent"`
	Start            json.RawMessage   `json:"EdgeStartTimestamp"`
	EdgeStatus       int               `json:"EdgeResponseStatus"`
	OriginStatus     int               `json:"OriginResponseStatus"`
	RayID            string            `json:"RayID"`
	SecurityAction   string            `json:"SecurityAction"`
	SecurityActions  []string          `json:"SecurityActions"`
	SecurityRuleID   string            `json:"SecurityRuleID"`
	SecurityRuleIDs  []string          `json:"SecurityRuleIDs"`
	SecuritySources  []string          `json:"SecuritySources"`
	RuleDescription  string            `json:"SecurityRuleDescription"`
	FirewallActions  []string          `json:"FirewallMatchesActions"`
	FirewallRuleIDs  []string          `json:"FirewallMatchesRuleIDs"`
	FirewallSources  []string          `json:"FirewallMatchesSources"`
	WAFAttackScore   int               `json:"WAFAttackScore"`
	RequestHeaders   map[string]string `json:"RequestHeaders"`
	WorkerSubrequest bool              `json:"WorkerSubrequest"`
}

func decodeCFHTTP(b []byte) (record.LogEntry, bool) {
	var c cfHTTP
	if json.Unmarshal(b, &c) != nil || c.RayID == "" || c.URI == "" {
		return record.LogEntry{}, false
	}
	e := record.LogEntry{Engine: "Cloudflare", Client: c.ClientIP, Host: c.Host, Method: c.Method, URI: c.URI,
		UserAgent: c.UserAgent, Status: c.EdgeStatus, UniqueID: c.RayID, Time: flexTime(c.Start)}
	for k, v := range c.RequestHeaders {
		if strings.EqualFold(k, "x-wp403-request-id") {
			e.RequestID = v
		}
	}
	actions, ids, sources := c.SecurityActions, c.SecurityRuleIDs, c.SecuritySources
	if len(ids) == 0 {
		actions, ids, sources = c.FirewallActions, c.FirewallRuleIDs, c.FirewallSources
	}
	if len(ids) == 0 && c.SecurityRuleID != "" {
		actions, ids = []string{c.SecurityAction}, []string{c.SecurityRuleID}
	}
	for i, id := range ids {
		h := maskedHit(id, "", "", "")
		h.Kind = cfKind(at(sources, i))
		if id == c.SecurityRuleID {
			h.Message = c.RuleDescription
		}
		e.Rules = append(e.Rules, h)
		if a := at(actions, i); cfRefusal(a) {
			e.Blocked, e.Action = true, a
		}
	}
	if e.Action == "" {
		e.Action = pick(c.SecurityAction, at(actions, len(actions)-1))
	}
	// Cloudflare answered itself when the origin never did.
	if !e.Blocked && c.OriginStatus == 0 && refusalStatus(c.EdgeStatus) && len(e.Rules) > 0 {
		e.Blocked = true
	}
	e.Message = cfMessage(e.Rules)
	return e, true
}

func at(s []string, i int) string {
	if i < 0 || i >= len(s) {
		return ""
	}
	return s[i]
}

func cfMessage(rules []record.RuleHit) string {
	var parts []string
	for _, r := range rules {
		p := r.Kind
		if r.Message != "" {
			p += ": " + r.Message
		}
		parts = append(parts, strings.TrimPrefix(p+" rule "+r.Name, " "))
	}
	return strings.Join(parts, "; ")
}

// cfKind names the Cloudflare security product from an event's source, as
// the firewall_events dataset and the GraphQL API spell it
// (https://developers.cloudflare.com/logs/reference/log-fields/zone/firewall_events/).
func cfKind(source string) string {
	switch strings.ToLower(source) {
	case "firewallmanaged", "waf":
		return "WAF managed rules"
	case "firewallcustom", "firewallrules":
		return "custom rule"
	case "ratelimit":
		return "rate limiting"
	case "botfight", "botmanagement":
		return "bot management"
	case "bic":
		return "browser integrity check"
	case "asn", "country", "ip", "iprange":
		return "IP access rule"
	case "securitylevel":
		return "security level"
	case "zonelockdown":
		return "zone lockdown"
	case "uablock":
		return "user agent blocking"
	case "l7ddos":
		return "HTTP DDoS protection"
	case "hot":
		return "hotlink protection"
	case "validation":
		return "request validation"
	case "":
		return ""
	}
	return source
}
