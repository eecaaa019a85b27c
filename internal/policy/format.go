package policy

import (
	"bytes"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Doc is a policy as policy init writes it: comments, the rules that
// hold now, and rules written commented out (suggestions, or what does
// not hold now), each with its note.
type Doc struct {
	Comment  []string // header lines, without "# "
	Policy   Policy
	Disabled []Rule
	Tail     []string // closing comment lines
}

// Format writes the document as YAML that Load reads back.
func Format(d *Doc) []byte {
	var b bytes.Buffer
	for _, c := range d.Comment {
		comment(&b, "", c)
	}
	b.WriteString("version: 1\n\nsite:\n")
	b.WriteString("  url: " + q(d.Policy.Site.URL) + "\n")
	if d.Policy.Site.Origin != "" {
		b.WriteString("  origin: " + q(d.Policy.Site.Origin) + "\n")
	}
	if len(d.Policy.Site.Resolve) > 0 {
		b.WriteString("  resolve:\n")
		for _, r := range d.Policy.Site.Resolve {
			b.WriteString("    - " + q(r) + "\n")
		}
	}
	formatIdentities(&b, d.Policy.Identities)
	b.WriteString("\nrules:\n")
	if len(d.Policy.Rules) == 0 {
		b.WriteString("  []\n")
	}
	for _, r := range d.Policy.Rules {
		b.WriteString("\n")
		writeRule(&b, r, "  ")
	}
	for _, r := range d.Disabled {
		b.WriteString("\n")
		writeRule(&b, r, "  # ")
	}
	if len(d.Tail) > 0 {
		b.WriteString("\n")
	}
	for _, c := range d.Tail {
		comment(&b, "", c)
	}
	return b.Bytes()
}

func formatIdentities(b *bytes.Buffer, ids []Identity) {
	b.WriteString("\n# Who sends the requests. Secrets are never stored here: each identity names an\n")
	b.WriteString("# environment variable or a file that holds its password or token.\nidentities:\n")
	b.WriteString("  anonymous: {}\n")
	for _, id := range ids {
		if id.Mode == ModeAnonymous {
			continue
		}
		b.WriteString("  " + q(id.Name) + ":\n")
		if id.Role != "" {
			b.WriteString("    role: " + q(id.Role) + "\n")
		}
		if id.User != "" {
			b.WriteString("    user: " + q(id.User) + "\n")
		}
		switch id.Mode {
		case ModeAppPassword:
			writeSecret(b, "    app_password:", id.Secret)
		case ModeLogin:
			writeSecret(b, "    password:", id.Secret)
		case ModeIntegration:
			b.WriteString("    headers:\n")
			for _, h := range id.Headers {
				writeSecret(b, "      "+h.Name+":", h.Value)
			}
		}
	}
}

func writeSecret(b *bytes.Buffer, head string, s Secret) {
	indent := strings.Repeat(" ", len(head)-len(strings.TrimLeft(head, " "))+2)
	b.WriteString(head + "\n")
	if s.Env != "" {
		b.WriteString(indent + "env: " + q(s.Env) + "\n")
	} else {
		b.WriteString(indent + "file: " + q(s.File) + "\n")
	}
}

// writeRule writes one rule; prefix "  # " writes it commented out.
func writeRule(b *bytes.Buffer, r Rule, prefix string) {
	for _, line := range strings.Split(strings.TrimSpace(r.Note), "\n") {
		if line != "" {
			comment(b, "  ", line)
		}
	}
	lines := []string{"- name: " + q(r.Name), "  route: " + q(r.Route),
		"  methods: " + flowList(r.Methods),
		"  identities: " + flowList(r.Identities),
		"  expect: " + string(r.Expect)}
	if r.Reach != "" {
		lines = append(lines, "  reach: "+string(r.Reach))
	}
	if len(r.Header) > 0 {
		lines = append(lines, "  headers:")
		keys := make([]string, 0, len(r.Header))
		for k := range r.Header {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, v := range r.Header[k] {
				lines = append(lines, "    "+k+": "+q(v))
			}
		}
	}
	if r.Body != "" {
		lines = append(lines, "  body: "+q(r.Body))
	}
	if r.ContentType != "" {
		lines = append(lines, "  content_type: "+q(r.ContentType))
	}
	if r.Write {
		lines = append(lines, "  write: true")
	}
	for _, l := range lines {
		b.WriteString(prefix + l + "\n")
	}
}

// comment writes one YAML comment line.
//
// s may carry server data (a namespace of the route index, a vendor in a
// note): every character YAML reads as a line break (CR, LF, NEL, U+2028,
// U+2029) or that a terminal interprets is replaced by a space, so a
// comment can never end early and inject keys into the policy.
func comment(b *bytes.Buffer, indent, s string) {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029 || r == 0xfeff {
			return ' '
		}
		return r
	}, s)
	if s == "" {
		b.WriteString(indent + "#\n")
		return
	}
	b.WriteString(indent + "# " + s + "\n")
}

// q writes a scalar so that YAML reads back exactly s, as a string.
func q(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return `""`
	}
	text := strings.TrimSuffix(string(out), "\n")
	if strings.Contains(text, "\n") || strings.HasPrefix(text, "|") || strings.HasPrefix(text, ">") {
		return doubleQuote(s)
	}
	return text
}

// doubleQuote writes a YAML double-quoted scalar.
func doubleQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x` + string("0123456789abcdef"[r>>4]) + string("0123456789abcdef"[r&15]))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func flowList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = q(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
