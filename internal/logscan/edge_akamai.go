package logscan

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// akamaiEvent is one security event of Akamai's SIEM API or of a
// DataStream 2 security stream
// (https://techdocs.akamai.com/siem-integration/reference/get-configs-config-ids,
// https://techdocs.akamai.com/datastream2/docs/security-data-format). The
// attackData rule members each encode a list: URL-encoded text of
// base64 values separated by ';', one per rule; requestHeaders is the
// URL-encoded header block.
type akamaiEvent struct {
	AttackData struct {
		ClientIP      string `json:"clientIP"`
		ConfigID      string `json:"configId"`
		PolicyID      string `json:"policyId"`
		AppliedAction string `json:"appliedAction"`
		Rules         string `json:"rules"`
		RuleActions   string `json:"ruleActions"`
		RuleMessages  string `json:"ruleMessages"`
		RuleData      string `json:"ruleData"`
		RuleSelectors string `json:"ruleSelectors"`
	} `json:"attackData"`
	HTTPMessage struct {
		RequestID      string `json:"requestId"`
		Start          string `json:"start"`
		Method         string `json:"method"`
		Host           string `json:"host"`
		Path           string `json:"path"`
		Query          string `json:"query"`
		Status         string `json:"status"`
		RequestHeaders string `json:"requestHeaders"`
	} `json:"httpMessage"`
}

func decodeAkamai(b []byte, in *interner) (record.LogEntry, bool) {
	var a akamaiEvent
	m := &a.HTTPMessage
	if json.Unmarshal(b, &a) != nil || m.Path == "" {
		return record.LogEntry{}, false
	}
	e := record.LogEntry{Engine: "Akamai", Client: a.AttackData.ClientIP, Method: m.Method, Host: m.Host,
		URI: m.Path, UniqueID: m.RequestID, Time: flexTime(json.RawMessage(strconv.Quote(m.Start)))}
	if m.Query != "" {
		e.URI += "?" + m.Query
	}
	e.Status, _ = strconv.Atoi(m.Status)
	var h headerPick
	for _, line := range strings.Split(unescape(m.RequestHeaders), "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			h.add(strings.TrimSpace(k), strings.TrimSpace(v))
		}
	}
	e.UserAgent, e.RequestID = h.agent, h.rid
	d := &a.AttackData
	ids, acts, msgs, data, sels := akList(d.Rules), akList(d.RuleActions), akList(d.RuleMessages), akList(d.RuleData), akList(d.RuleSelectors)
	for i, id := range ids {
		hit := maskedHit(id, at(msgs, i), at(sels, i), at(data, i))
		hit.Set, hit.Kind = d.PolicyID, "security policy rule"
		e.Rules = append(e.Rules, hit)
		if refusalAction(at(acts, i)) {
			e.Blocked, e.Action = true, at(acts, i)
		}
	}
	if d.AppliedAction != "" {
		e.Action = d.AppliedAction
		e.Blocked = refusalAction(d.AppliedAction)
	}
	e.Message = "security configuration " + d.ConfigID + " policy " + d.PolicyID
	return e, true
}

// akList decodes one attackData member: URL-decoded, split on ';', each
// part base64. Undecodable parts are dropped.
func akList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(unescape(s), ";") {
		v, err := base64.StdEncoding.DecodeString(p)
		if err != nil {
			v, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(p, "="))
		}
		if err == nil {
			out = append(out, strings.ToValidUTF8(string(v), "?"))
		} else {
			out = append(out, "")
		}
	}
	return out
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}
