package logscan

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// auditDoc is the union of the three JSON audit-log dialects, one object
// per line: ModSecurity v2 (request/response/audit_data at the top),
// libmodsecurity3 (everything under transaction, messages with details)
// and Coraza (transaction plus top-level messages with error_message).
type auditDoc struct {
	Transaction struct {
		Time          string          `json:"time"`           // v2
		TransactionID string          `json:"transaction_id"` // v2
		RemoteAddress string          `json:"remote_address"` // v2
		ClientIP      string          `json:"client_ip"`      // v3, Coraza
		TimeStamp     string          `json:"time_stamp"`     // v3
		UniqueID      string          `json:"unique_id"`      // v3
		ID            string          `json:"id"`             // Coraza
		UnixTimestamp int64           `json:"unix_timestamp"` // Coraza, ns
		IsInterrupted bool            `json:"is_interrupted"` // Coraza
		Request       *jsonRequest    `json:"request"`
		Response      *jsonResponse   `json:"response"`
		Producer      json.RawMessage `json:"producer"` // v3: object, Coraza: object
		Messages      []v3Message     `json:"messages"`
	} `json:"transaction"`
	Request   *jsonRequest  `json:"request"`  // v2
	Response  *jsonResponse `json:"response"` // v2
	AuditData *struct {
		Messages []string `json:"messages"`
		Action   *struct {
			Intercepted bool `json:"intercepted"`
			Phase       int  `json:"phase"`
		} `json:"action"`
		Producer []string `json:"producer"`
	} `json:"audit_data"`
	Messages []struct {
		ErrorMessage string `json:"error_message"`
	} `json:"messages"` // Coraza
}

type jsonRequest struct {
	RequestLine string      `json:"request_line"` // v2
	Method      string      `json:"method"`
	URI         string      `json:"uri"`
	Headers     jsonHeaders `json:"headers"`
}

type jsonResponse struct {
	Status   int                        `json:"status"`    // v2, Coraza
	HTTPCode int                        `json:"http_code"` // v3
	Headers  map[string]json.RawMessage `json:"headers"`
}

// fromWordPress reports whether the response carries WordPress's REST
// headers: then WordPress answered, not the WAF.
func (r *jsonResponse) fromWordPress() bool {
	for k, v := range r.Headers {
		k = strings.ToLower(k)
		if strings.HasPrefix(k, "x-wp-") || k == "link" && strings.Contains(string(v), "api.w.org") {
			return true
		}
	}
	return false
}

type v3Message struct {
	Message string `json:"message"`
	Details struct {
		Match    string   `json:"match"`
		RuleID   string   `json:"ruleId"`
		Data     string   `json:"data"`
		Severity string   `json:"severity"`
		Tags     []string `json:"tags"`
	} `json:"details"`
}

// jsonHeaders keeps the three request headers a diagnosis needs, from a
// map of strings (ModSecurity) or of string lists (Coraza). Cookies and
// credentials are never read into memory beyond the decoder.
type jsonHeaders struct{ host, agent, rid string }

func (h *jsonHeaders) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for k, v := range raw {
		var dst *string
		switch strings.ToLower(k) {
		case "host":
			dst = &h.host
		case "user-agent":
			dst = &h.agent
		case "x-wp403-request-id":
			dst = &h.rid
		default:
			continue
		}
		var list []string
		if json.Unmarshal(v, dst) != nil && json.Unmarshal(v, &list) == nil && len(list) > 0 {
			*dst = list[0]
		}
	}
	return nil
}

// auditJSONParser reads JSON audit logs, one transaction per line.
type auditJSONParser struct {
	source string
	prefix string
	all    bool
	format string // fixed by the first line
	loc    *time.Location
}

func (p *auditJSONParser) name() string {
	if p.format == "" {
		return FmtModsec3JSON
	}
	return p.format
}
func (p *auditJSONParser) end(emitFunc) {}

func (p *auditJSONParser) line(b []byte, n int, emit emitFunc) bool {
	if len(b) == 0 || b[0] != '{' {
		return len(b) == 0
	}
	var d auditDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return false
	}
	e, ok := d.entry(p.loc)
	if !ok {
		return false
	}
	if p.format == "" {
		p.format = e.Format
	}
	e.Source, e.Line = p.source, n
	if !fillRoute(&e, p.prefix) && !p.all {
		return true
	}
	emit(e)
	return true
}

// entry converts a document; ok is false when it is no audit record.
func (d *auditDoc) entry(loc *time.Location) (record.LogEntry, bool) {
	switch {
	case d.AuditData != nil && d.Request != nil:
		return d.v2(), true
	case d.Transaction.Request != nil && d.Transaction.UniqueID != "":
		return d.v3(loc), true
	case d.Transaction.Request != nil && d.Transaction.ID != "":
		return d.coraza(), true
	}
	return record.LogEntry{}, false
}

func (d *auditDoc) v2() record.LogEntry {
	t := d.Transaction
	e := record.LogEntry{Format: FmtModsec2JSON, Client: t.RemoteAddress, UniqueID: t.TransactionID, Engine: "ModSecurity v2"}
	e.Time, _ = clfTime(t.Time)
	e.Method, e.URI = splitRequest(d.Request.RequestLine)
	e.Host, e.UserAgent, e.RequestID = d.Request.Headers.host, d.Request.Headers.agent, d.Request.Headers.rid
	if d.Response != nil {
		e.Status = d.Response.Status
	}
	if len(d.AuditData.Producer) > 0 {
		e.Engine = normEngine(d.AuditData.Producer[0])
	}
	for _, s := range d.AuditData.Messages {
		if m, ok := parseModsec(s); ok {
			applyMsg(&e, m)
		}
	}
	if a := d.AuditData.Action; a != nil && a.Intercepted {
		e.Blocked, e.Action = true, "deny"
	}
	return e
}

func (d *auditDoc) v3(loc *time.Location) record.LogEntry {
	t := d.Transaction
	e := record.LogEntry{Format: FmtModsec3JSON, Client: t.ClientIP, UniqueID: t.UniqueID, Engine: "ModSecurity v3"}
	e.Time, _ = anyTime(t.TimeStamp, loc)
	e.Method, e.URI = t.Request.Method, t.Request.URI
	e.Host, e.UserAgent, e.RequestID = t.Request.Headers.host, t.Request.Headers.agent, t.Request.Headers.rid
	var prod struct {
		ModSecurity string `json:"modsecurity"`
		Connector   string `json:"connector"`
		Engine      string `json:"secrules_engine"` // "Enabled" or "DetectionOnly"
	}
	if json.Unmarshal(t.Producer, &prod) == nil && prod.ModSecurity != "" {
		e.Engine = normEngine(prod.ModSecurity + " " + prod.Connector)
	}
	if t.Response != nil {
		e.Status = t.Response.HTTPCode
	}
	for _, m := range t.Messages {
		applyMsg(&e, v3Hit(m))
	}
	// v3 JSON has no "intercepted" flag: the engine refused when it was
	// enforcing and the anomaly threshold rule fired, or a rule matched and
	// the refusal is not WordPress's own answer; in DetectionOnly it only
	// logs.
	wp := t.Response != nil && t.Response.fromWordPress()
	if prod.Engine != "DetectionOnly" && e.Status >= 400 && (hasScoring(e.Rules) || len(e.Rules) > 0 && !wp) {
		e.Blocked, e.Action = true, "deny"
	} else if prod.Engine == "DetectionOnly" && len(e.Rules) > 0 {
		e.Action = "log"
	}
	return e
}

func hasScoring(rules []record.RuleHit) bool {
	for _, r := range rules {
		if r.ID == 949110 || r.ID == 959100 {
			return true
		}
	}
	return false
}

func v3Hit(m v3Message) modsecMsg {
	id, _ := strconv.Atoi(m.Details.RuleID)
	h := record.RuleHit{ID: id, Message: m.Message, Data: m.Details.Data, Severity: normSeverity(m.Details.Severity)}
	h.Paranoia = paranoia(strings.Join(m.Details.Tags, "\x00"))
	h.Target = target(m.Details.Match, h.Data)
	h.Message, h.Data = redact.RuleHitText(h.Target, h.Message, h.Data)
	out := modsecMsg{hit: h}
	if sc := reScore.FindStringSubmatch(m.Message); sc != nil {
		out.score, _ = strconv.Atoi(sc[1])
	}
	return out
}

func (d *auditDoc) coraza() record.LogEntry {
	t := d.Transaction
	e := record.LogEntry{Format: FmtCorazaJSON, Client: t.ClientIP, UniqueID: t.ID, Engine: "Coraza"}
	if t.UnixTimestamp > 0 {
		e.Time = time.Unix(0, t.UnixTimestamp).UTC()
	}
	e.Method, e.URI = t.Request.Method, t.Request.URI
	e.Host, e.UserAgent, e.RequestID = t.Request.Headers.host, t.Request.Headers.agent, t.Request.Headers.rid
	if t.Response != nil {
		e.Status = t.Response.Status
	}
	for _, m := range d.Messages {
		_, msg, _ := strings.Cut(m.ErrorMessage, "Coraza: ")
		if h, ok := parseModsec(msg); ok {
			applyMsg(&e, h)
		}
	}
	if t.IsInterrupted {
		e.Blocked, e.Action = true, "deny"
	}
	return e
}
