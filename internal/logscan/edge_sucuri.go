package logscan

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// sucuriEntry is one record of the Sucuri Website Firewall audit trail
// (its API's audit_trails action, format json; the field names are those
// Sucuri's own WordPress plugin reads: remote_addr, request_date,
// request_time, request_timezone, request_method, resource_path,
// http_status, http_user_agent, sucuri_block_code, sucuri_block_reason).
// The block code is the "Block ID" of Sucuri's block page.
type sucuriEntry struct {
	RemoteAddr  string          `json:"remote_addr"`
	Date        string          `json:"request_date"`
	Time        string          `json:"request_time"`
	Zone        string          `json:"request_timezone"`
	Method      string          `json:"request_method"`
	Path        string          `json:"resource_path"`
	Status      json.RawMessage `json:"http_status"`
	UserAgent   string          `json:"http_user_agent"`
	BlockCode   string          `json:"sucuri_block_code"`
	BlockReason string          `json:"sucuri_block_reason"`
}

func decodeSucuri(b []byte, in *interner) (record.LogEntry, bool) {
	var s sucuriEntry
	if json.Unmarshal(b, &s) != nil || s.Path == "" {
		return record.LogEntry{}, false
	}
	e := record.LogEntry{Engine: "Sucuri Website Firewall", Client: s.RemoteAddr, Method: s.Method, URI: s.Path,
		UserAgent: s.UserAgent, Status: jsonInt(s.Status), Time: sucuriTime(s.Date, s.Time, s.Zone)}
	if s.BlockCode != "" || s.BlockReason != "" {
		e.Blocked, e.Action = true, "block"
		h := maskedHit(s.BlockCode, s.BlockReason, "", "")
		h.Kind = "firewall rule"
		e.Rules = []record.RuleHit{h}
		e.Message = strings.TrimSpace("Block ID " + s.BlockCode + ": " + s.BlockReason)
	}
	return e, true
}

// sucuriTime joins the date ("07/Dec/2026" or "2026-12-07"), the time
// and the zone (an offset like "-0500", else Sucuri's documented US
// Eastern time).
func sucuriTime(d, t, z string) time.Time {
	for _, layout := range []string{"02/Jan/2006 15:04:05", "2006-01-02 15:04:05"} {
		loc := time.FixedZone("", -5*3600)
		if off, err := time.Parse("-0700", z); err == nil {
			loc = off.Location()
		} else if l, err := time.LoadLocation("America/New_York"); err == nil {
			loc = l
		}
		if v, err := time.ParseInLocation(layout, d+" "+t, loc); err == nil {
			return v.UTC()
		}
	}
	return time.Time{}
}
