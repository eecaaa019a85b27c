package report

import (
	"strings"
)

// mdText escapes text for a Markdown paragraph: outside `code spans`,
// "<" becomes an entity and link, image, autolink and mention syntax is
// neutralised (mdInert), so text that came from a server cannot smuggle
// HTML or links into a ticket, while the engine's own code spans stay.
func mdText(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	if strings.Count(s, "`")%2 != 0 {
		return mdInert(strings.ReplaceAll(s, "<", "&lt;"))
	}
	var b strings.Builder
	for i, part := range strings.Split(s, "`") {
		if i > 0 {
			b.WriteByte('`')
		}
		if i%2 == 0 {
			part = mdInert(strings.ReplaceAll(part, "<", "&lt;"))
		}
		b.WriteString(part)
	}
	return b.String()
}

// mdCell makes text safe inside a table cell.
func mdCell(s string) string {
	return strings.ReplaceAll(mdText(s), "|", `\|`)
}

// mdCode renders s as an inline code span in a table cell, with a fence
// longer than any backtick run inside it.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	tick := strings.Repeat("`", longestRun(s, '`')+1)
	sp := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		sp = " "
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\n", " "), "|", `\|`)
	return tick + sp + s + sp + tick
}

// mdFence renders a fenced code block that s cannot close early.
func mdFence(b *strings.Builder, lang, s string) {
	fence := strings.Repeat("`", max(3, longestRun(s, '`')+1))
	b.WriteString(fence + lang + "\n" + strings.TrimRight(s, "\n") + "\n" + fence + "\n")
}

func longestRun(s string, c rune) int {
	best, cur := 0, 0
	for _, r := range s {
		if r == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// mdTable writes a GitHub-flavoured table; cells must already be escaped.
func mdTable(b *strings.Builder, head []string, rows [][]string) {
	b.WriteString("| " + strings.Join(head, " | ") + " |\n|")
	for range head {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	for _, r := range rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
}

// snippetLang guesses the fence language from the product, for syntax
// highlighting in ticket systems; "" is always valid.
func snippetLang(product string) string {
	p := strings.ToLower(product)
	switch {
	case strings.Contains(p, "modsecurity") || strings.Contains(p, "apache"):
		return "apache"
	case strings.Contains(p, "nginx"):
		return "nginx"
	case strings.Contains(p, "wordpress") || strings.Contains(p, "php"):
		return "sh"
	}
	return ""
}
