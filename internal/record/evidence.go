package record

import "time"

// RuleHit is one WAF rule that matched, from a log or an in-process replay.
type RuleHit struct {
	ID       int    `json:"id"`
	Message  string `json:"message,omitempty"`
	Target   string `json:"target,omitempty"` // e.g. ARGS:json.content
	Data     string `json:"data,omitempty"`
	Severity string `json:"severity,omitempty"`
	Paranoia int    `json:"paranoia,omitempty"`
	Phase    int    `json:"phase,omitempty"`
	// Name is the rule's id when it is not a number: an edge product's
	// rule id or name (Cloudflare's hex id, AWS WAF's rule name, Cloud
	// Armor's preconfigured expression id).
	Name string `json:"name,omitempty"`
	// Set is the ruleset, rule group or security policy the rule belongs
	// to, and Kind the product feature that ran it ("WAF managed rules",
	// "custom rule", "rate limiting", "bot management", "IP access rule",
	// "security level"), as the product's log names them.
	Set  string `json:"set,omitempty"`
	Kind string `json:"kind,omitempty"`
}

// LogEntry is one request as a server, WAF or CDN log recorded it.
type LogEntry struct {
	Source    string    `json:"source"`         // file name
	Line      int       `json:"line,omitempty"` // first line of the entry
	Format    string    `json:"format"`         // e.g. "nginx-combined", "modsec3-json"
	Time      time.Time `json:"time,omitzero"`
	Client    string    `json:"client,omitempty"`
	Host      string    `json:"host,omitempty"`
	Method    string    `json:"method,omitempty"`
	URI       string    `json:"uri,omitempty"`
	Route     string    `json:"route,omitempty"`
	Status    int       `json:"status,omitempty"`
	Bytes     int64     `json:"bytes,omitempty"`
	UserAgent string    `json:"user_agent,omitempty"`
	RequestID string    `json:"request_id,omitempty"` // the X-WP403-Request-Id or the engine's unique id
	UniqueID  string    `json:"unique_id,omitempty"`
	Engine    string    `json:"engine,omitempty"` // "ModSecurity v3.0.9", "Coraza", "Cloudflare"
	Action    string    `json:"action,omitempty"` // "deny", "block", "challenge", "log"
	Blocked   bool      `json:"blocked,omitempty"`
	Score     int       `json:"score,omitempty"` // inbound anomaly score
	Rules     []RuleHit `json:"rules,omitempty"`
	Message   string    `json:"message,omitempty"`
	// Edge is true for an edge's or CDN's own record (Cloudflare, AWS WAF,
	// Cloud Armor, Azure, Akamai, Fastly, Sucuri, a reverse proxy): what
	// it refused never reached the origin.
	Edge bool `json:"edge,omitempty"`
}

// WAFResult is the outcome of replaying a request through an in-process
// WAF engine (Coraza with the OWASP CRS).
type WAFResult struct {
	Engine      string    `json:"engine"`
	RuleSet     string    `json:"rule_set"`
	Paranoia    int       `json:"paranoia"`
	Threshold   int       `json:"threshold"`
	Blocked     bool      `json:"blocked"`
	Status      int       `json:"status,omitempty"`
	Score       int       `json:"score"`
	Rules       []RuleHit `json:"rules,omitempty"`
	Processor   string    `json:"body_processor,omitempty"`
	Approximate string    `json:"approximate,omitempty"` // why this may differ from the real server
}
