package agent

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// MaxJournal bounds the entries read from a journal (the plugin keeps at
// most 1000).
const MaxJournal = 1000

// JournalEntry is one refusal of real traffic the agent recorded: never
// credentials, bodies or queries; the client address only when the site
// owner turned it on.
type JournalEntry struct {
	Time   int64  `json:"t"`
	Method string `json:"method"`
	// Route is the route template WordPress matched, or the route with
	// numbers replaced by {n}.
	Route  string `json:"route"`
	Status int    `json:"status"`
	Code   string `json:"code,omitempty"`
	// Auth is the kind of client: none, cookie, application-password or
	// other-header.
	Auth string `json:"auth"`
	Role string `json:"role,omitempty"`
	// Stopped is "plugin load" when the request stopped while plugins loaded.
	Stopped string                `json:"stopped,omitempty"`
	By      *record.AgentCallback `json:"by,omitempty"`
	IP      string                `json:"ip,omitempty"`
}

// Journal is the agent's answer to a journal request.
type Journal struct {
	Agent   string         `json:"agent"`
	Enabled bool           `json:"enabled"`
	Entries []JournalEntry `json:"journal"`
}

var authKinds = set("none", "cookie", "application-password", "other-header")

// ParseJournal reads the answer to a signed journal request and sanitises
// every entry (a journal is hostile input like a trace).
func ParseJournal(body []byte, key []byte, rid string) (*Journal, error) {
	w, err := openAnswer(body, key, rid, "journal")
	if err != nil {
		return nil, err
	}
	j := &Journal{Agent: w.Agent}
	var raw struct {
		Enabled bool           `json:"enabled"`
		Journal []JournalEntry `json:"journal"`
	}
	if err := decodePayload(body, &raw); err != nil {
		return nil, err
	}
	j.Enabled = raw.Enabled
	if len(raw.Journal) > MaxJournal {
		raw.Journal = raw.Journal[len(raw.Journal)-MaxJournal:]
	}
	for _, e := range raw.Journal {
		e.Method, e.Route, e.Code = Clean(e.Method, 16), Clean(e.Route, maxString), Clean(e.Code, 100)
		e.Status = status(e.Status)
		e.Auth = word(e.Auth, authKinds, "other-header")
		e.Role, e.IP = Clean(e.Role, 60), Clean(e.IP, 45)
		e.Stopped = word(e.Stopped, set("plugin load"), "")
		e.By = sanitizeCallbackPtr(e.By)
		j.Entries = append(j.Entries, e)
	}
	return j, nil
}

// JournalGroup is the entries of one route, code, callback and client kind.
type JournalGroup struct {
	Route, Method, Code, Auth, Who, Callable string
	Status                                   int
	Stopped                                  bool
	Count                                    int
	Roles                                    []string
	First, Last                              time.Time
}

// Groups counts the entries by route, code, callback and client kind,
// largest first.
func (j *Journal) Groups() []JournalGroup {
	idx := map[string]int{}
	var out []JournalGroup
	for _, e := range j.Entries {
		who, callable := "unknown", ""
		if e.By != nil {
			who, callable = componentText(e.By.Component), e.By.Callable
		}
		k := strings.Join([]string{e.Method, e.Route, e.Code, fmt.Sprint(e.Status), who, callable, e.Auth, e.Stopped}, "\x00")
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, JournalGroup{Route: e.Route, Method: e.Method, Code: e.Code, Auth: e.Auth, Who: who, Callable: callable,
				Status: e.Status, Stopped: e.Stopped != "", First: time.Unix(e.Time, 0).UTC()})
		}
		g := &out[i]
		g.Count++
		g.Last = time.Unix(e.Time, 0).UTC()
		if e.Role != "" && !contains(g.Roles, e.Role) && len(g.Roles) < 8 {
			g.Roles = append(g.Roles, e.Role)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Count > out[b].Count })
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// componentText: "plugin Acme Guard 2.3", "core WordPress 6.8", "mu-plugin x".
func componentText(c record.AgentComponent) string {
	name := c.Name
	if name == "" {
		name = c.Slug
	}
	return strings.TrimSpace(c.Type + " " + name + " " + c.Version)
}

// WriteText renders the journal grouped, like `wp403 logs`: the top
// groups (all when top is 0).
func (j *Journal) WriteText(w io.Writer, top int) error {
	if !j.Enabled {
		_, err := fmt.Fprintf(w, "the journal is off: add define('WP403_AGENT_JOURNAL', true); to wp-config.php to record the REST refusals of real traffic\n")
		return err
	}
	groups := j.Groups()
	fmt.Fprintf(w, "%d refusal(s) recorded, %d group(s) (agent %s)\n", len(j.Entries), len(groups), j.Agent)
	for i, g := range groups {
		if top > 0 && i == top {
			fmt.Fprintf(w, "… %d more groups (--top 0 shows all)\n", len(groups)-top)
			break
		}
		fmt.Fprintf(w, "\n%5d× %s %s → %d %s\n", g.Count, g.Method, g.Route, g.Status, orDash(g.Code))
		by := g.Who
		if g.Callable != "" {
			by += ", " + g.Callable
		}
		if g.Stopped {
			by += " (stopped while plugins loaded)"
		}
		fmt.Fprintf(w, "       by %s\n       client %s", by, g.Auth)
		if len(g.Roles) > 0 {
			fmt.Fprintf(w, " (%s)", strings.Join(g.Roles, ", "))
		}
		fmt.Fprintf(w, "; %s – %s\n", g.First.Format(time.RFC3339), g.Last.Format(time.RFC3339))
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
