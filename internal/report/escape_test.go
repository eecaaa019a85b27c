package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// payload is what a hostile server or log line puts in any field: an OSC 52
// clipboard write, a carriage return, C1 CSI, a bidi override, Markdown
// link, image and mention syntax.
const payload = "\x1b]52;c;cHduZWQ=\x07\rX\u009b31m\u202e [click](https://evil.example/a) ![i](https://evil.example/i.png) @admin #1"

func hostileReport() *record.Report {
	r := mapReport(wafRuleReport(), func(s string) string {
		if s == "" {
			return s
		}
		return s + payload
	})
	r.Site.Name = "Blog" + payload
	return r
}

var ownSGR = regexp.MustCompile(`\x1b\[[0-9;]*m`)

func TestTextAndMarkdownEscapeControlCharacters(t *testing.T) {
	for _, format := range []string{"text", "markdown"} {
		for _, color := range []bool{false, true} {
			var buf bytes.Buffer
			r, _ := New(format, Options{Text: TextOptions{Color: color, Verbose: true}})
			if err := r.Render(&buf, hostileReport()); err != nil {
				t.Fatal(err)
			}
			out := ownSGR.ReplaceAllString(buf.String(), "")
			for _, ch := range out {
				if unsafeRune(ch, 1) && ch != 0xfffd {
					t.Fatalf("%s (color %v): raw control character %U in output:\n%q", format, color, ch, out)
				}
			}
			if !strings.Contains(out, `\x1b]52;c;`) {
				t.Errorf("%s: the payload is not shown escaped", format)
			}
		}
	}
}

// TestHTMLEscapesControlCharacters: the HTML report and the before/after
// page show control characters from data as visible escapes, as text and
// Markdown do (issue 23 item 14): `cat report.html` runs no terminal
// sequence.
func TestHTMLEscapesControlCharacters(t *testing.T) {
	pages := map[string]func(*bytes.Buffer) error{
		"report": func(b *bytes.Buffer) error {
			r, _ := New("html", Options{})
			return r.Render(b, hostileReport())
		},
		"comparison": func(b *bytes.Buffer) error {
			return RenderComparison(b, &Comparison{Before: hostileReport(), After: hostileReport()}, nil)
		},
	}
	for name, render := range pages {
		var buf bytes.Buffer
		if err := render(&buf); err != nil {
			t.Fatal(err)
		}
		for _, ch := range buf.String() {
			if unsafeRune(ch, 1) && ch != 0xfffd {
				t.Fatalf("%s: raw control character %U in the HTML", name, ch)
			}
		}
		if !strings.Contains(buf.String(), `\x1b]52;c;`) {
			t.Errorf("%s: the payload is not shown escaped", name)
		}
	}
}

var unescapedLink = regexp.MustCompile(`(^|[^\\])\]\(`)

var codeSpans = regexp.MustCompile("(?s)```.*?```|`+[^`]*`+")

func TestMarkdownNeutralisesLinksAndMentions(t *testing.T) {
	var buf bytes.Buffer
	r, _ := New("markdown", Options{Text: TextOptions{Verbose: true}})
	if err := r.Render(&buf, hostileReport()); err != nil {
		t.Fatal(err)
	}
	prose := codeSpans.ReplaceAllString(buf.String(), "")
	if unescapedLink.MatchString(prose) {
		t.Errorf("markdown prose holds link syntax from data:\n%s", prose)
	}
	for _, bad := range []string{"![", "@admin", "#1", "://evil"} {
		if strings.Contains(prose, bad) {
			t.Errorf("markdown prose holds %q from data:\n%s", bad, prose)
		}
	}
}

func TestSafeWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewSafeWriter(&buf)
	if _, err := w.Write([]byte("GET /wp-json/wp/v2/posts\x1b]52;c;QQ==\x07 ok\nnext\tline \xff\u009b\n")); err != nil {
		t.Fatal(err)
	}
	want := `GET /wp-json/wp/v2/posts\x1b]52;c;QQ==\x07 ok` + "\nnext\tline " + `\xff\u009b` + "\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
	if got := EscapeControl("plain ünïcode\n"); got != "plain ünïcode\n" {
		t.Errorf("plain text changed: %q", got)
	}
}
