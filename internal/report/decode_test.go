package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wp403/wp403/internal/record"
)

func TestDecodeRoundTrip(t *testing.T) {
	for _, gc := range goldenCases {
		t.Run(gc.name, func(t *testing.T) {
			want := gc.build()
			r, _ := For("json")
			var buf bytes.Buffer
			if err := r.Render(&buf, want); err != nil {
				t.Fatal(err)
			}
			got, err := Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("round trip changed the report (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"not json", `<html>`, "decode report"},
		{"no schema", `{"findings":[]}`, "no \"schema\" field"},
		{"other schema", `{"schema":"wp403.report/v9"}`, `schema "wp403.report/v9" is not supported`},
		{"bad severity", `{"schema":"wp403.report/v1","findings":[{"id":"f1","severity":"fatal","layer":"waf","observations":[]}]}`, `unknown severity "fatal"`},
		{"no layer", `{"schema":"wp403.report/v1","findings":[{"id":"f1","severity":"block","observations":[]}]}`, "empty layer"},
		{"dangling citation", `{"schema":"wp403.report/v1","findings":[{"id":"f1","severity":"block","layer":"waf","observations":["o9"]}],"observations":[{"id":"o1"}]}`, `cites observation "o9"`},
		{"duplicate observation", `{"schema":"wp403.report/v1","observations":[{"id":"o1"},{"id":"o1"}]}`, `duplicate id "o1"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Decode error = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestForUnknownFormat(t *testing.T) {
	if _, err := For("sarif"); err == nil || !strings.Contains(err.Error(), "text, json, markdown, html, junit") {
		t.Errorf("For(sarif) error = %v", err)
	}
}

// TestLayerPath pins the path line for every stop, in both glyph sets.
func TestLayerPath(t *testing.T) {
	cases := []struct {
		stop       record.Layer
		ascii, uni string
	}{
		{record.LayerWAF, "client -> edge -> waf X server   php   wordpress   plugin", "client ─▶ edge ─▶ waf ✖ server   php   wordpress   plugin"},
		{record.LayerClient, "client X edge   waf   server   php   wordpress   plugin", ""},
		{record.LayerPlugin, "client -> edge -> waf -> server -> php -> wordpress -> plugin X", ""},
		{record.LayerNetwork, "client -> network X edge   waf   server   php   wordpress   plugin", ""},
		{record.Layer("moon"), "", ""},
	}
	for _, c := range cases {
		if got := (style{}).layerPath(c.stop); got != c.ascii {
			t.Errorf("ascii path(%s) = %q, want %q", c.stop, got, c.ascii)
		}
		if c.uni == "" {
			continue
		}
		got := (style{on: true}).layerPath(c.stop)
		if plain := stripANSI(got); plain != c.uni {
			t.Errorf("unicode path(%s) = %q, want %q", c.stop, plain, c.uni)
		}
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestTextWithoutColorIsASCII(t *testing.T) {
	for _, gc := range goldenCases {
		r, _ := New("text", Options{Text: TextOptions{Verbose: true}})
		var buf bytes.Buffer
		if err := r.Render(&buf, gc.build()); err != nil {
			t.Fatal(err)
		}
		for i, c := range buf.String() {
			if c > 0x7e || (c < 0x20 && c != '\n') {
				t.Fatalf("%s: non-ASCII or control rune %q at byte %d", gc.name, c, i)
			}
		}
	}
}

// TestJUnitChecks: a failing check becomes one failure that carries the
// diagnosing finding, and that finding gets no testcase of its own.
func TestJUnitChecks(t *testing.T) {
	rep := edgeBlockReport()
	rep.Command = "check"
	rep.Checks = []record.Check{
		{Name: "integration can create a post", Request: rep.Findings[0].Request, Identity: "integration",
			Expect: record.ExpectAllow, Status: record.StatusPair{Edge: 403, Origin: 201}, Finding: "f1"},
		{Name: "anonymous cannot list users", Request: record.Request{Method: "GET", Route: "/wp/v2/users", Auth: record.AuthNone},
			Expect: record.ExpectDeny, Pass: true, Status: record.StatusPair{Edge: 401}},
	}
	r, _ := For("junit")
	var buf bytes.Buffer
	if err := r.Render(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("junit output is not XML: %v\n%s", err, buf.String())
	}
	s := doc.Suites[0]
	if s.Tests != 2 || s.Failures != 1 || doc.Failures != 1 {
		t.Fatalf("tests=%d failures=%d, want 2 and 1:\n%s", s.Tests, s.Failures, buf.String())
	}
	f := s.Cases[0].Failure
	if f == nil || f.Type != "edge/block-page" || !strings.Contains(f.Message, "Cloudflare refused") || !strings.Contains(f.Text, "client -> edge X") {
		t.Errorf("failure = %+v", f)
	}
	if s.Cases[1].Failure != nil {
		t.Error("a passing deny check was reported as a failure")
	}
}

func TestJUnitBlockIsFailure(t *testing.T) {
	for _, gc := range goldenCases {
		r, _ := For("junit")
		var buf bytes.Buffer
		rep := gc.build()
		if err := r.Render(&buf, rep); err != nil {
			t.Fatal(err)
		}
		var doc junitSuites
		if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatalf("%s: %v", gc.name, err)
		}
		if doc.Failures != rep.Refusals() || doc.Tests == 0 {
			t.Errorf("%s: failures=%d tests=%d, want %d failures and some tests", gc.name, doc.Failures, doc.Tests, rep.Refusals())
		}
	}
}
