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

func decodeCFHTTP(b []byte, in *interner) (record.LogEntry, bool) {
	var c cfHTTP
	if !c.walk(b, in) || c.RayID == "" || c.URI == "" {
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

// walk fills c from a line with walkObject: every field of the dataset is
// at the top level, so no reflection is needed (the hot path of a large
// Logpush file).
func (c *cfHTTP) walk(b []byte, in *interner) bool {
	it := objIter{b: b}
	for it.next() {
		v := it.val
		switch string(it.key) {
		case "ClientIP":
			c.ClientIP = in.str(v)
		case "ClientRequestHost":
			c.Host = in.str(v)
		case "ClientRequestMethod":
			c.Method = in.str(v)
		case "ClientRequestURI":
			c.URI = rawString(v)
		case "ClientRequestUserAgent":
			c.UserAgent = in.str(v)
		case "EdgeStartTimestamp":
			c.Start = json.RawMessage(v)
		case "EdgeResponseStatus":
			c.EdgeStatus = rawInt(v)
		case "OriginResponseStatus":
			c.OriginStatus = rawInt(v)
		case "RayID":
			c.RayID = rawString(v)
		case "SecurityAction":
			c.SecurityAction = rawString(v)
		case "SecurityActions":
			c.SecurityActions = rawStrings(v)
		case "SecurityRuleID":
			c.SecurityRuleID = rawString(v)
		case "SecurityRuleIDs":
			c.SecurityRuleIDs = rawStrings(v)
		case "SecuritySources":
			c.SecuritySources = rawStrings(v)
		case "SecurityRuleDescription":
			c.RuleDescription = rawString(v)
		case "FirewallMatchesActions":
			c.FirewallActions = rawStrings(v)
		case "FirewallMatchesRuleIDs":
			c.FirewallRuleIDs = rawStrings(v)
		case "FirewallMatchesSources":
			c.FirewallSources = rawStrings(v)
		case "RequestHeaders":
			c.RequestHeaders = rawHeaders(v)
		}
	}
	return it.ok()
}

// rawHeaders decodes Logpush's RequestHeaders custom fields (kept out of
// walk, so that the record it fills does not escape to the heap).
func rawHeaders(v []byte) map[string]string {
	var m map[string]string
	if json.Unmarshal(v, &m) != nil {
		return nil
	}
	return m
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
