package logscan

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// modsecMsg is what one ModSecurity or Coraza rule message says: the
// bracketed fields ([id "…"] [msg "…"] …) plus the free text before them.
type modsecMsg struct {
	hit      record.RuleHit
	deny     bool // "Access denied with code 403"
	status   int
	score    int
	uri      string
	uniqueID string
	hostname string
}

var (
	reDenied   = regexp.MustCompile(`Access denied(?: with code (\d{3}))?(?: \(phase (\d)\))?`)
	reScore    = regexp.MustCompile(`Total (?:Inbound )?Score: (\d+)`)
	reVariable = regexp.MustCompile(`^[A-Z][A-Z_]+(?::\S+)?$`)
	reWithin   = regexp.MustCompile(`found within ([A-Z_]+(?::[^ ]*?)?): `)
	severity3  = []string{"EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG"}
)

// parseModsec reads one message. ok is false when it carries no rule id.
func parseModsec(s string) (modsecMsg, bool) {
	var m modsecMsg
	head, fields := splitFields(s)
	id, err := strconv.Atoi(fields["id"])
	if err != nil {
		return m, false
	}
	m.hit = record.RuleHit{ID: id, Message: fields["msg"], Data: fields["data"], Severity: normSeverity(fields["severity"])}
	m.hit.Paranoia = paranoia(fields["tag"])
	m.hit.Target = target(head, m.hit.Data)
	m.uri, m.uniqueID, m.hostname = fields["uri"], fields["unique_id"], fields["hostname"]
	if d := reDenied.FindStringSubmatch(head); d != nil {
		m.deny = true
		m.status, _ = strconv.Atoi(d[1])
		m.hit.Phase, _ = strconv.Atoi(d[2])
	}
	if sc := reScore.FindStringSubmatch(m.hit.Message); sc != nil {
		m.score, _ = strconv.Atoi(sc[1])
	}
	m.hit.Message, m.hit.Data = redact.RuleHitText(m.hit.Target, m.hit.Message, m.hit.Data)
	return m, true
}

// splitFields separates the free text from the [name "value"] fields.
// Repeated fields (tag) are joined with "\x00".
func splitFields(s string) (string, map[string]string) {
	fields := map[string]string{}
	head := s
	first := true
	for i := 0; i < len(s); i++ {
		if s[i] != '[' {
			continue
		}
		name, value, end, ok := field(s, i)
		if !ok {
			continue
		}
		if first {
			head, first = s[:i], false
		}
		if old, dup := fields[name]; dup {
			value = old + "\x00" + value
		}
		fields[name] = value
		i = end
	}
	return strings.TrimSpace(head), fields
}

// field parses `[name "value"]` at s[i]; end is the index of the `]`.
func field(s string, i int) (name, value string, end int, ok bool) {
	j := i + 1
	for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] == '_') {
		j++
	}
	if j == i+1 || j+1 >= len(s) || s[j] != ' ' || s[j+1] != '"' {
		return "", "", 0, false
	}
	name = s[i+1 : j]
	k := j + 2
	for k < len(s) {
		q := strings.Index(s[k:], `"]`)
		if q < 0 {
			return "", "", 0, false
		}
		k += q
		if k > 0 && s[k-1] == '\\' && !(k > 1 && s[k-2] == '\\') {
			k += 2
			continue
		}
		return name, s[j+2 : k], k + 1, true
	}
	return "", "", 0, false
}

// target finds the variable a rule matched: v2 says "at ARGS:content.",
// v3 says "against variable `ARGS:json.content'", Coraza's data says
// "found within ARGS:json.content: …".
func target(head, data string) string {
	if _, rest, ok := strings.Cut(head, "against variable `"); ok {
		v, _, _ := strings.Cut(rest, "'")
		return v
	}
	if i := strings.LastIndex(head, " at "); i >= 0 {
		v := strings.TrimSuffix(strings.TrimSpace(head[i+4:]), ".")
		if reVariable.MatchString(v) {
			return v
		}
	}
	if m := reWithin.FindStringSubmatch(data); m != nil {
		return m[1]
	}
	return ""
}

func normSeverity(s string) string {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n < len(severity3) {
		return severity3[n]
	}
	return strings.ToUpper(s)
}

func paranoia(tags string) int {
	for _, t := range strings.Split(tags, "\x00") {
		if v, ok := strings.CutPrefix(t, "paranoia-level/"); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
	}
	return 0
}

// scoringRule reports whether a rule id is CRS bookkeeping (the blocking
// evaluation and correlation rules) rather than a detection.
func scoringRule(id int) bool {
	return (id >= 949000 && id < 950000) || (id >= 959000 && id < 960000) || (id >= 980000 && id < 981000)
}
