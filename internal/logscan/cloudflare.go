package logscan

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// cfEvent is one Cloudflare firewall event, in either spelling that
// Cloudflare documents: the Logpush firewall_events dataset (PascalCase,
// https://developers.cloudflare.com/logs/reference/log-fields/zone/firewall_events/)
// or the GraphQL firewallEventsAdaptive node (camelCase,
// https://developers.cloudflare.com/analytics/graphql-api/tutorials/querying-firewall-events/).
type cfEvent struct {
	Action       string          `json:"Action"`
	ClientIP     string          `json:"ClientIP"`
	Host         string          `json:"ClientRequestHost"`
	Method       string          `json:"ClientRequestMethod"`
	Path         string          `json:"ClientRequestPath"`
	Query        string          `json:"ClientRequestQuery"`
	UserAgent    string          `json:"ClientRequestUserAgent"`
	Datetime     json.RawMessage `json:"Datetime"`
	Description  string          `json:"Description"`
	EdgeStatus   int             `json:"EdgeResponseStatus"`
	RayID        string          `json:"RayID"`
	RuleID       string          `json:"RuleID"`
	Source       string          `json:"Source"`
	GAction      string          `json:"action"`
	GClientIP    string          `json:"clientIP"`
	GHost        string          `json:"clientRequestHTTPHost"`
	GMethod      string          `json:"clientRequestHTTPMethodName"`
	GPath        string          `json:"clientRequestPath"`
	GQuery       string          `json:"clientRequestQuery"`
	GUserAgent   string          `json:"userAgent"`
	GDatetime    string          `json:"datetime"`
	GDescription string          `json:"description"`
	GEdgeStatus  int             `json:"edgeResponseStatus"`
	GRayName     string          `json:"rayName"`
	GRuleID      string          `json:"ruleId"`
	GSource      string          `json:"source"`
	GRulesetID   string          `json:"rulesetId"`
}

func pick(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// entry converts an event; ok is false when it is not a firewall event.
func (c *cfEvent) entry() (record.LogEntry, bool) {
	action := pick(c.Action, c.GAction)
	path := pick(c.Path, c.GPath)
	if action == "" || path == "" {
		return record.LogEntry{}, false
	}
	e := record.LogEntry{Format: FmtCloudflare, Engine: "Cloudflare", Action: action, Edge: true}
	e.Client, e.Host = pick(c.ClientIP, c.GClientIP), pick(c.Host, c.GHost)
	e.Method, e.UserAgent = pick(c.Method, c.GMethod), pick(c.UserAgent, c.GUserAgent)
	e.URI = path + pick(c.Query, c.GQuery)
	e.UniqueID = pick(c.RayID, c.GRayName)
	e.Status = max(c.EdgeStatus, c.GEdgeStatus)
	e.Time = cfTime(c.Datetime, c.GDatetime)
	source := pick(c.Source, c.GSource)
	e.Message = strings.TrimSpace(pick(c.Description, c.GDescription) + " (" + source + ")")
	e.Blocked = cfRefusal(action)
	if id := pick(c.RuleID, c.GRuleID); id != "" {
		// Cloudflare rule ids are hex strings, not numbers; keep the
		// id in the message too, so the rule is named wherever it shows.
		e.Message += " rule " + id
		h := maskedHit(id, pick(c.Description, c.GDescription), "", "")
		h.Set, h.Kind = c.GRulesetID, cfKind(source)
		e.Rules = []record.RuleHit{h}
	}
	return e, true
}

// cfRefusal reports whether an action stopped the request at the edge.
func cfRefusal(a string) bool {
	switch strings.ToLower(a) {
	case "block", "challenge", "jschallenge", "managedchallenge", "connectionclose", "drop",
		"challengefailed", "jschallengefailed":
		return true
	}
	return false
}

// cfTime reads Datetime: RFC 3339 text, or Logpush's unix nanoseconds.
func cfTime(raw json.RawMessage, g string) time.Time {
	var s string
	var n int64
	switch {
	case json.Unmarshal(raw, &s) == nil:
	case json.Unmarshal(raw, &n) == nil && n > 0:
		return time.Unix(0, n).UTC()
	default:
		s = g
	}
	t, _ := time.Parse(time.RFC3339Nano, pick(s, g))
	return t
}

// cfLineParser reads the Logpush form: one event object per line.
type cfLineParser struct {
	source string
	prefix string
	all    bool
}

func (p *cfLineParser) name() string { return FmtCloudflare }
func (p *cfLineParser) end(emitFunc) {}

func (p *cfLineParser) line(b []byte, n int, emit emitFunc) bool {
	if len(b) == 0 {
		return true
	}
	var c cfEvent
	if json.Unmarshal(b, &c) != nil {
		return false
	}
	e, ok := c.entry()
	if !ok {
		return false
	}
	e.Source, e.Line = p.source, n
	if fillRoute(&e, p.prefix) || p.all {
		emit(e)
	}
	return true
}

// scanCloudflareDoc streams a JSON document (a GraphQL answer, or an
// array of events) and emits every firewall event in it, token by token:
// only the scalar fields of the object being read are held, so a large
// export is never in memory whole. It returns how many objects with
// scalar fields were not events.
func scanCloudflareDoc(r io.Reader, source string, keep func(*record.LogEntry) bool, emit emitFunc) (int, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	w := cfWalker{dec: dec, source: source, keep: keep, emit: emit}
	tok, err := dec.Token()
	if err == nil {
		err = w.value(tok, 0)
	}
	if err != nil {
		return w.bad, fmt.Errorf("at byte %d: %w", dec.InputOffset(), err)
	}
	return w.bad, nil
}

type cfWalker struct {
	dec    *json.Decoder
	source string
	keep   func(*record.LogEntry) bool
	emit   emitFunc
	bad    int
	n      int
}

const maxDepth = 32

// value walks the value that starts with tok.
func (w *cfWalker) value(tok json.Token, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("nested deeper than %d", maxDepth)
	}
	switch tok {
	case json.Delim('{'):
		return w.object(depth)
	case json.Delim('['):
		for w.dec.More() {
			t, err := w.dec.Token()
			if err != nil {
				return err
			}
			if err := w.value(t, depth+1); err != nil {
				return err
			}
		}
		_, err := w.dec.Token()
		return err
	}
	return nil
}

// object reads an object whose '{' was consumed: nested containers are
// walked, scalars collected; an object that is an event is emitted.
func (w *cfWalker) object(depth int) error {
	fields := map[string]any{}
	for w.dec.More() {
		k, err := w.dec.Token()
		if err != nil {
			return err
		}
		v, err := w.dec.Token()
		if err != nil {
			return err
		}
		if d, ok := v.(json.Delim); ok {
			if err := w.value(d, depth+1); err != nil {
				return err
			}
			continue
		}
		if key, ok := k.(string); ok && len(fields) < 256 {
			fields[key] = v
		}
	}
	if _, err := w.dec.Token(); err != nil {
		return err
	}
	w.fields(fields)
	return nil
}

func (w *cfWalker) fields(f map[string]any) {
	if len(f) == 0 {
		return
	}
	var c cfEvent
	b, err := json.Marshal(f)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	e, ok := c.entry()
	if err != nil || !ok {
		if len(f) >= 3 { // a record of some other kind, not a wrapper
			w.bad++
		}
		return
	}
	w.n++
	e.Source, e.Line = w.source, w.n
	if w.keep(&e) {
		w.emit(e)
	}
}
