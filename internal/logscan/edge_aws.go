package logscan

import (
	"encoding/json"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// awsWAF is one AWS WAF web ACL log record
// (https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html),
// from CloudFront, an Application Load Balancer, API Gateway or AppSync
// (httpSourceName CF, ALB, APIGW, APPSYNC). httpRequest.requestId is
// CloudFront's request id (the x-amz-cf-id response header) or, for an
// ALB, its trace id.
type awsWAF struct {
	Timestamp         json.RawMessage `json:"timestamp"` // epoch milliseconds
	WebACLID          string          `json:"webaclId"`
	TerminatingRuleID string          `json:"terminatingRuleId"`
	TerminatingType   string          `json:"terminatingRuleType"` // REGULAR, RATE_BASED, MANAGED_RULE_GROUP, GROUP
	Action            string          `json:"action"`
	MatchDetails      []awsMatch      `json:"terminatingRuleMatchDetails"`
	SourceName        string          `json:"httpSourceName"`
	RuleGroupList     []struct {
		RuleGroupID     string `json:"ruleGroupId"`
		TerminatingRule *struct {
			RuleID       string     `json:"ruleId"`
			Action       string     `json:"action"`
			MatchDetails []awsMatch `json:"ruleMatchDetails"`
		} `json:"terminatingRule"`
	} `json:"ruleGroupList"`
	ResponseCodeSent int `json:"responseCodeSent"`
	HTTPRequest      struct {
		ClientIP string `json:"clientIp"`
		Headers  []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"headers"`
		URI       string `json:"uri"`
		Args      string `json:"args"`
		Method    string `json:"httpMethod"`
		RequestID string `json:"requestId"`
	} `json:"httpRequest"`
}

type awsMatch struct {
	ConditionType string   `json:"conditionType"` // SQL_INJECTION, XSS, …
	Location      string   `json:"location"`      // HEADER, QUERY_STRING, BODY, …
	MatchedData   []string `json:"matchedData"`
	MatchedField  string   `json:"matchedFieldName"`
}

func decodeAWSWAF(b []byte, in *interner) (record.LogEntry, bool) {
	var a awsWAF
	if json.Unmarshal(b, &a) != nil || a.TerminatingRuleID == "" || a.HTTPRequest.URI == "" {
		return record.LogEntry{}, false
	}
	r := &a.HTTPRequest
	e := record.LogEntry{Engine: "AWS WAF", Client: r.ClientIP, Method: r.Method, URI: r.URI,
		UniqueID: r.RequestID, Time: flexTime(a.Timestamp), Action: strings.ToLower(a.Action), Status: a.ResponseCodeSent}
	if r.Args != "" {
		e.URI += "?" + r.Args
	}
	var h headerPick
	for _, kv := range r.Headers {
		h.add(kv.Name, kv.Value)
	}
	e.Host, e.UserAgent, e.RequestID = h.host, h.agent, h.rid
	e.Blocked = refusalAction(a.Action)
	if e.Blocked && e.Status == 0 {
		e.Status = 403 // AWS WAF's default block response
	}
	// A rule group's terminating rule is the one that decided; the web
	// ACL's terminatingRuleId then only names the group's statement.
	for _, g := range a.RuleGroupList {
		if t := g.TerminatingRule; t != nil && t.RuleID != "" {
			e.Rules = append(e.Rules, awsHit(t.RuleID, g.RuleGroupID, "managed rule group", t.MatchDetails))
		}
	}
	if len(e.Rules) == 0 && a.TerminatingRuleID != "Default_Action" {
		kind := "custom rule"
		if a.TerminatingType == "RATE_BASED" {
			kind = "rate-based rule"
		}
		e.Rules = append(e.Rules, awsHit(a.TerminatingRuleID, "", kind, a.MatchDetails))
	}
	e.Message = "web ACL " + lastSegment(a.WebACLID) + ": " + a.Action + " by " + a.TerminatingRuleID
	if a.SourceName != "" {
		e.Message += " (" + a.SourceName + ")"
	}
	return e, true
}

func awsHit(id, group, kind string, md []awsMatch) record.RuleHit {
	var target, data, msg string
	if len(md) > 0 {
		m := md[0]
		target = strings.TrimSuffix(m.Location+":"+m.MatchedField, ":")
		data = strings.Join(m.MatchedData, " ")
		msg = m.ConditionType
	}
	h := maskedHit(id, msg, target, data)
	h.Set, h.Kind = group, kind
	return h
}

// lastSegment keeps the name of an ARN or a path ("…/webacl/name/id" →
// "name/id"'s name part is enough for a reader).
func lastSegment(s string) string {
	parts := strings.Split(s, "/")
	if len(parts) >= 3 {
		return parts[len(parts)-2]
	}
	return s
}
