package report

import (
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// style is a tiny ANSI helper: with colour off every method returns its
// argument unchanged, so the text renderer has one code path.
type style struct{ on bool }

func (s style) wrap(code, text string) string {
	if !s.on || text == "" {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

func (s style) bold(t string) string  { return s.wrap("1", t) }
func (s style) dim(t string) string   { return s.wrap("2", t) }
func (s style) red(t string) string   { return s.wrap("1;31", t) }
func (s style) green(t string) string { return s.wrap("32", t) }
func (s style) amber(t string) string { return s.wrap("33", t) }
func (s style) cyan(t string) string  { return s.wrap("36", t) }

// severity renders the fixed-width severity tag.
func (s style) severity(sev record.Severity) string {
	switch sev {
	case record.SevBlock:
		return s.red("BLOCK")
	case record.SevWarn:
		return s.amber("WARN ")
	default:
		return s.cyan("INFO ")
	}
}

// pathHops is the request path the layer line draws, client first. The
// network hop is drawn only when the request stopped there.
var pathHops = []record.Layer{
	record.LayerClient, record.LayerEdge, record.LayerWAF, record.LayerServer,
	record.LayerPHP, record.LayerWordPress, record.LayerPlugin,
}

// layerPath draws where a request stopped:
//
//	client ─▶ edge ─▶ waf ✖ server   php   wordpress   plugin
//
// with "->" and "X" when colour (and so Unicode) is off.
func (s style) layerPath(stop record.Layer) string {
	arrow, cross := " -> ", " X "
	if s.on {
		arrow, cross = " ─▶ ", " ✖ "
	}
	hops := pathHops
	if stop == record.LayerNetwork {
		hops = append([]record.Layer{record.LayerClient, record.LayerNetwork}, pathHops[1:]...)
	}
	if !containsLayer(hops, stop) {
		return "" // an unknown layer: draw nothing rather than a wrong path
	}
	var b strings.Builder
	reached := true
	for i, h := range hops {
		name := string(h)
		switch {
		case h == stop:
			b.WriteString(s.red(name) + s.red(cross))
			reached = false
		case reached:
			b.WriteString(s.green(name))
			if i < len(hops)-1 {
				b.WriteString(arrow)
			}
		default:
			b.WriteString(s.dim(name))
			if i < len(hops)-1 {
				b.WriteString("   ")
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}

func containsLayer(list []record.Layer, l record.Layer) bool {
	for _, x := range list {
		if x == l {
			return true
		}
	}
	return false
}

// wrapText breaks text into lines of at most width runes (words longer
// than that stay whole); the first line starts with indent, the others
// with as many spaces plus hang more.
func wrapText(text, indent string, hang, width int) []string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return nil
	}
	var lines []string
	line := indent + words[0]
	cont := strings.Repeat(" ", runeLen(indent)+hang)
	for _, w := range words[1:] {
		if runeLen(line)+1+runeLen(w) > width {
			lines = append(lines, line)
			line = cont + w
			continue
		}
		line += " " + w
	}
	return append(lines, line)
}

func runeLen(s string) int { return len([]rune(s)) }

// pad right-pads s to n runes.
func pad(s string, n int) string {
	if d := n - runeLen(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}

// clip shortens s to n runes, marking the cut with "...".
func clip(s string, n int) string {
	r := []rune(s)
	if n < 4 || len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}
