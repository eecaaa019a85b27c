package logscan

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
)

// cfCSVParser reads a CSV export of Cloudflare security events (the
// dashboard's Security → Events export, or a Logpush firewall_events job
// with CSV output): a header row naming the columns with the field names
// of the firewall_events dataset or of the GraphQL firewallEventsAdaptive
// node (cloudflare.go), then one event per row.
type cfCSVParser struct {
	source string
	prefix string
	all    bool
	skip   int
	cols   []string // from the header row
}

func (p *cfCSVParser) name() string { return FmtCloudflareCSV }
func (p *cfCSVParser) end(emitFunc) {}

// cfCSVHeader: a header must name the ray id, the action and the path.
func cfCSVHeader(cols []string) bool {
	has := map[string]bool{}
	for _, c := range cols {
		has[strings.ToLower(strings.TrimSpace(c))] = true
	}
	return (has["rayid"] || has["rayname"]) && has["action"] && (has["clientrequestpath"])
}

func (p *cfCSVParser) line(b []byte, n int, emit emitFunc) bool {
	if len(b) == 0 {
		return true
	}
	rec, err := csv.NewReader(bytes.NewReader(b)).Read()
	if err != nil {
		return false
	}
	if p.cols == nil {
		if !cfCSVHeader(rec) {
			return false
		}
		p.cols = rec
		return true
	}
	if len(rec) != len(p.cols) {
		return false
	}
	if !p.all && !restMarker(b, p.prefix) {
		p.skip++
		return true
	}
	fields := make(map[string]any, len(rec))
	for i, v := range rec {
		if v != "" {
			fields[strings.TrimSpace(p.cols[i])] = csvValue(v)
		}
	}
	var c cfEvent
	raw, err := json.Marshal(fields)
	if err == nil {
		err = json.Unmarshal(raw, &c)
	}
	e, ok := c.entry()
	if err != nil || !ok {
		return false
	}
	e.Source, e.Line, e.Format = p.source, n, FmtCloudflareCSV
	if fillRoute(&e, p.prefix) || p.all {
		emit(e)
	} else {
		p.skip++
	}
	return true
}

// csvValue keeps numbers as numbers (EdgeResponseStatus is one), the
// rest as text.
func csvValue(v string) any {
	if n := jsonInt(json.RawMessage(v)); n > 0 && len(v) < 7 {
		return n
	}
	return v
}
