package logscan

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// armorEntry is a Cloud Logging entry of an external Application Load
// Balancer with a Cloud Armor security policy
// (https://cloud.google.com/armor/docs/request-logging): jsonPayload
// carries enforcedSecurityPolicy (name, priority, outcome,
// preconfiguredExprIds) and statusDetails; httpRequest is Cloud Logging's
// HttpRequest.
type armorEntry struct {
	Timestamp   json.RawMessage `json:"timestamp"`
	JSONPayload struct {
		StatusDetails string `json:"statusDetails"`
		Policy        *struct {
			Name             string   `json:"name"`
			Priority         int      `json:"priority"`
			ConfiguredAction string   `json:"configuredAction"`
			Outcome          string   `json:"outcome"`
			ExprIDs          []string `json:"preconfiguredExprIds"`
		} `json:"enforcedSecurityPolicy"`
	} `json:"jsonPayload"`
	HTTPRequest struct {
		Method    string `json:"requestMethod"`
		URL       string `json:"requestUrl"`
		Status    int    `json:"status"`
		UserAgent string `json:"userAgent"`
		RemoteIP  string `json:"remoteIp"`
	} `json:"httpRequest"`
}

func decodeCloudArmor(b []byte, in *interner) (record.LogEntry, bool) {
	var a armorEntry
	if json.Unmarshal(b, &a) != nil || a.JSONPayload.Policy == nil || a.HTTPRequest.URL == "" {
		return record.LogEntry{}, false
	}
	p := a.JSONPayload.Policy
	r := a.HTTPRequest
	e := record.LogEntry{Engine: "Google Cloud Armor", Client: r.RemoteIP, Method: r.Method, UserAgent: r.UserAgent,
		Status: r.Status, Time: flexTime(a.Timestamp), Action: strings.ToLower(p.Outcome)}
	e.Host, e.URI = splitURL(r.URL)
	e.Blocked = strings.EqualFold(p.Outcome, "DENY") || strings.HasPrefix(a.JSONPayload.StatusDetails, "denied_by_security_policy") ||
		strings.HasPrefix(a.JSONPayload.StatusDetails, "body_denied_by_security_policy")
	rule := "priority " + strconv.Itoa(p.Priority)
	if len(p.ExprIDs) == 0 {
		h := maskedHit(rule, p.ConfiguredAction, "", "")
		h.Set, h.Kind = p.Name, "security policy rule"
		e.Rules = append(e.Rules, h)
	}
	for _, id := range p.ExprIDs {
		h := maskedHit(id, "rule "+rule, "", "")
		h.Set, h.Kind = p.Name, "preconfigured WAF rule"
		e.Rules = append(e.Rules, h)
	}
	e.Message = "security policy " + p.Name + " rule " + rule + ": " + p.Outcome
	if a.JSONPayload.StatusDetails != "" {
		e.Message += " (" + a.JSONPayload.StatusDetails + ")"
	}
	return e, true
}

// splitURL splits an absolute URL into host and request URI; a bare path
// is returned as the URI.
func splitURL(u string) (host, uri string) {
	rest, ok := strings.CutPrefix(u, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(u, "http://"); !ok {
			return "", u
		}
	}
	i := strings.IndexAny(rest, "/?")
	if i < 0 {
		return rest, "/"
	}
	uri = rest[i:]
	if uri[0] == '?' {
		uri = "/" + uri
	}
	return rest[:i], uri
}

// azureWAF is an Azure Front Door WAF log record
// (FrontDoorWebApplicationFirewallLog,
// https://learn.microsoft.com/azure/web-application-firewall/afds/waf-front-door-monitor)
// or an Application Gateway firewall log record
// (ApplicationGatewayFirewallLog,
// https://learn.microsoft.com/azure/web-application-firewall/ag/web-application-firewall-logs).
// Front Door's trackingReference is the x-azure-ref header of its answer.
type azureWAF struct {
	Time       json.RawMessage `json:"time"`
	TimeStamp  json.RawMessage `json:"timeStamp"`
	Category   string          `json:"category"`
	Properties struct {
		ClientIP   string `json:"clientIP"`
		ClientIP2  string `json:"clientIp"`
		RequestURI string `json:"requestUri"`
		RuleName   string `json:"ruleName"` // Front Door
		Policy     string `json:"policy"`
		Action     string `json:"action"`
		Host       string `json:"host"`
		Hostname   string `json:"hostname"`
		TrackRef   string `json:"trackingReference"`
		PolicyMode string `json:"policyMode"`
		RuleID     string `json:"ruleId"` // Application Gateway
		RuleSet    string `json:"ruleSetType"`
		RuleSetVer string `json:"ruleSetVersion"`
		Message    string `json:"message"`
		TxID       string `json:"transactionId"`
		Details    struct {
			Matches []struct {
				Name  string `json:"matchVariableName"`
				Value string `json:"matchVariableValue"`
			} `json:"matches"`
			Msg  string `json:"msg"`
			Data string `json:"data"`
		} `json:"details"`
	} `json:"properties"`
}

func decodeAzureWAF(b []byte, in *interner) (record.LogEntry, bool) {
	var a azureWAF
	p := &a.Properties
	if json.Unmarshal(b, &a) != nil || p.RequestURI == "" || p.RuleName == "" && p.RuleID == "" {
		return record.LogEntry{}, false
	}
	e := record.LogEntry{Engine: "Azure Front Door", Client: pick(p.ClientIP, p.ClientIP2), Action: strings.ToLower(p.Action),
		UniqueID: pick(p.TrackRef, p.TxID), Time: flexTime(a.Time)}
	if e.Time.IsZero() {
		e.Time = flexTime(a.TimeStamp)
	}
	host, uri := splitURL(p.RequestURI)
	e.Host, e.URI = pick(p.Host, pick(host, p.Hostname)), uri
	if i := strings.LastIndexByte(e.Host, ':'); i > 0 && !strings.Contains(e.Host, "]") {
		e.Host = e.Host[:i] // Front Door writes host:port
	}
	e.Blocked = refusalAction(p.Action) && !strings.EqualFold(p.PolicyMode, "detection")
	target, data := "", p.Details.Data
	if m := p.Details.Matches; len(m) > 0 {
		target, data = m[0].Name, m[0].Value
	}
	var h record.RuleHit
	if p.RuleName != "" {
		e.Engine = "Azure Front Door"
		h = maskedHit(p.RuleName, p.Details.Msg, target, data)
		h.Set, h.Kind = p.Policy, azureKind(p.RuleName)
	} else {
		e.Engine = "Azure Application Gateway"
		h = maskedHit(p.RuleID, p.Message, target, data)
		h.Set, h.Kind = strings.TrimSpace(p.RuleSet+" "+p.RuleSetVer), "managed rule"
	}
	e.Rules = []record.RuleHit{h}
	e.Message = strings.TrimSpace(e.Engine + " WAF policy " + p.Policy + ": " + p.Action + " by " + pick(p.RuleName, p.RuleID))
	return e, true
}

// azureKind: Front Door names managed rules "<ruleset>-<version>-<group>-<id>"
// (Microsoft_DefaultRuleSet-2.1-SQLI-942100) and custom rules by their
// own name.
func azureKind(rule string) string {
	if strings.HasPrefix(rule, "Microsoft_") || strings.HasPrefix(rule, "DefaultRuleSet") {
		if strings.Contains(rule, "BotManager") {
			return "bot protection"
		}
		return "managed rule"
	}
	return "custom rule"
}
