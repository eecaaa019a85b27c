package labkit

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// auditTail bounds how much of an audit log is searched for one request.
const auditTail = 4 << 20

// ruleIDRE matches rule ids in both JSON audit formats: libmodsecurity 3
// ("ruleId":"941180") and mod_security2 ([id \"941180\"] inside messages).
var ruleIDRE = regexp.MustCompile(`"ruleId":\s*"(\d+)"|\[id \\"(\d+)\\"\]`)

// AuditRules returns the ModSecurity rule ids logged in the JSON audit log
// of an origin ("nginx" or "apache") for the request tagged with rid
// (X-WP403-Request-Id). It waits up to 3 s for the entry to be written.
func (l *Lab) AuditRules(origin, rid string) ([]int, error) {
	path := l.Logs.ModsecAudit
	if origin == "apache" {
		path = l.Logs.ApacheModsecAudit
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		ids, err := rulesFor(path, rid)
		if err != nil || len(ids) > 0 || time.Now().After(deadline) {
			return ids, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func rulesFor(path, rid string) ([]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open audit log: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > auditTail {
		if _, err := f.Seek(-auditTail, io.SeekEnd); err != nil {
			return nil, fmt.Errorf("seek audit log: %w", err)
		}
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	seen := map[int]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.Contains(line, rid) {
			continue
		}
		for _, m := range ruleIDRE.FindAllStringSubmatch(line, -1) {
			if id, err := strconv.Atoi(m[1] + m[2]); err == nil {
				seen[id] = true
			}
		}
	}
	ids := make([]int, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	return ids, nil
}

// checkRules confirms that every rule id of a WAF scenario's truth file
// shows up in the origin's audit log for its failing origin requests.
func (l *Lab) checkRules(s Scenario, checks []Check) Check {
	c := Check{Scenario: s.Name, Kind: "rules", Vantage: "origin",
		Request: TruthRequest{Method: "audit", Route: fmt.Sprint(s.Rules)}}
	found := map[int]bool{}
	for _, ch := range checks {
		if ch.Kind != "failing" || ch.Vantage != "origin" || ch.RequestID == "" {
			continue
		}
		ids, err := l.AuditRules(s.Origin, ch.RequestID)
		if err != nil {
			c.Err = err
			return c
		}
		for _, id := range ids {
			found[id] = true
		}
	}
	var missing []int
	for _, id := range s.Rules {
		if !found[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		c.Err = fmt.Errorf("rules %v not in the %s audit log (JSON format needed)", missing, s.Origin)
	}
	return c
}
