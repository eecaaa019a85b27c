package logscan

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/wpcore"
)

// Group is one line of the summary: refused REST requests that share a
// method, route, rule and client.
type Group struct {
	Method   string    `json:"method"`
	Route    string    `json:"route"` // numeric segments shown as {id}
	RuleID   int       `json:"rule_id,omitempty"`
	RuleName string    `json:"rule_name,omitempty"` // an edge product's rule id or name
	RuleSet  string    `json:"rule_set,omitempty"`  // its ruleset, rule group or policy
	Rule     string    `json:"rule,omitempty"`      // the rule's message
	Target   string    `json:"target,omitempty"`
	Client   string    `json:"client"`
	Status   int       `json:"status,omitempty"`
	Engine   string    `json:"engine,omitempty"`
	Count    int       `json:"count"`
	MaxScore int       `json:"max_score,omitempty"`
	First    time.Time `json:"first,omitzero"`
	Last     time.Time `json:"last,omitzero"`
	Examples []string  `json:"examples,omitempty"` // request or unique ids, up to 3
	// CoreServes: WordPress core serves this method and route to anyone
	// (internal/wpcore), so a 401 or 403 here is not core's permission
	// check: a plugin, a theme filter or a server rule refused, unless the
	// request carried a stale nonce or a wrong password.
	CoreServes bool `json:"core_serves,omitempty"`
}

// Summary aggregates entries as they stream by. Refused requests that
// several logs recorded (the edge, the origin's access log, the WAF's
// audit and error logs) are merged by request id and engine unique id
// before they are counted, so each is counted once. Its memory grows with
// the number of groups and of refused requests that carry an id, not with
// the number of lines.
type Summary struct {
	Records int      `json:"rest_records"` // REST request log records read
	Refused int      `json:"refused"`      // distinct refused requests
	Groups  []*Group `json:"groups"`
	Stats   []Stats  `json:"files,omitempty"`
	index   map[string]*Group
	merge   merger2
}

// Add counts one entry.
func (s *Summary) Add(e record.LogEntry) {
	if e.Route == "" {
		return
	}
	s.Records++
	if !e.Blocked && !refusalStatus(e.Status) {
		return
	}
	if e.RequestID == "" && e.UniqueID == "" {
		s.count(e)
		return
	}
	s.merge.add(e)
}

// Finish files the merged requests and sorts the groups; call it once,
// after the last Add.
func (s *Summary) Finish() {
	for _, r := range s.merge.reqs {
		if !r.dead {
			s.count(r.e)
		}
	}
	s.merge = merger2{}
	s.Sort()
}

func (s *Summary) count(e record.LogEntry) {
	s.Refused++
	if !e.Blocked && len(e.Rules) == 0 {
		e.Engine = "" // a WAF logged the transaction but did not refuse it
	}
	for _, r := range keyRules(e.Rules) {
		s.group(e, r).add(e, r)
	}
}

// keyRules are the rules a refusal is filed under: the detections, else
// the CRS scoring rule, else none (a refusal without WAF detail).
func keyRules(rules []record.RuleHit) []record.RuleHit {
	var det, score []record.RuleHit
	for _, r := range rules {
		if scoringRule(r.ID) {
			if r.ID == 949110 || r.ID == 959100 || len(score) == 0 {
				score = append(score[:0], r)
			}
			continue
		}
		det = append(det, r)
	}
	switch {
	case len(det) > 0:
		return det
	case len(score) > 0:
		return score
	}
	return []record.RuleHit{{}}
}

func (s *Summary) group(e record.LogEntry, r record.RuleHit) *Group {
	route := NormalizeRoute(e.Route)
	key := strings.Join([]string{e.Method, route, strconv.Itoa(r.ID), r.Name, e.Client, engineFamily(e.Engine)}, "\x00")
	if g, ok := s.index[key]; ok {
		return g
	}
	if s.index == nil {
		s.index = map[string]*Group{}
	}
	g := &Group{Method: e.Method, Route: route, RuleID: r.ID, RuleName: r.Name, RuleSet: r.Set, Rule: r.Message, Target: r.Target,
		Client: e.Client, Engine: engineFamily(e.Engine), CoreServes: coreServes(e)}
	s.index[key] = g
	s.Groups = append(s.Groups, g)
	return g
}

func (g *Group) add(e record.LogEntry, r record.RuleHit) {
	g.Count++
	if e.Status != 0 {
		g.Status = e.Status
	}
	if g.Target == "" {
		g.Target = r.Target
	}
	g.MaxScore = max(g.MaxScore, e.Score)
	if !e.Time.IsZero() && (g.First.IsZero() || e.Time.Before(g.First)) {
		g.First = e.Time
	}
	if e.Time.After(g.Last) {
		g.Last = e.Time
	}
	id := e.RequestID
	if id == "" {
		id = e.UniqueID
	}
	if id != "" && len(g.Examples) < 3 {
		g.Examples = append(g.Examples, id)
	}
}

// Sort orders groups by count, then route and rule.
func (s *Summary) Sort() {
	sort.SliceStable(s.Groups, func(i, j int) bool {
		a, b := s.Groups[i], s.Groups[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Route != b.Route {
			return a.Route < b.Route
		}
		return a.RuleID < b.RuleID
	})
}

// NormalizeRoute shows numeric path segments as {id}, so that saves of
// different posts fall in one group.
func NormalizeRoute(r string) string {
	parts := strings.Split(r, "/")
	for i, p := range parts {
		if p != "" && strings.Trim(p, "0123456789") == "" {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}

// coreServes reports whether core serves the entry's method and route to
// anyone (its query included: context=edit or a draft status is not).
func coreServes(e record.LogEntry) bool {
	route, query, _ := strings.Cut(e.Route, "?")
	q, _ := url.ParseQuery(query)
	a, ok := wpcore.Lookup(e.Method, route, q, "")
	return ok && a.Anonymous
}
