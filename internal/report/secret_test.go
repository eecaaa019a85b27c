package report

import (
	"bytes"
	"encoding/json"
	"html"
	"html/template"
	"net/url"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// Planted secrets: an application password, a cookie value with
// characters every format escapes differently, and a nonce.
const (
	plantedAppPassword = "abcd EFGH ijkl MNOP qrst UVWX"
	plantedCookie      = "editor%7C1766000000%7Cs3cr3t+T0ken&h<a>sh"
	plantedNonce       = "0a1b2c3d4e"
)

// secretReport plants the secrets everywhere a careless source could
// leave them: request and response headers, URL, body, evidence, rule
// data, remedy, logs and notes.
func secretReport() *record.Report {
	r := wafRuleReport()
	o := &r.Observations[2]
	o.Request.URL = "https://blog.example.com/wp-json/wp/v2/posts?_wpnonce=" + plantedNonce
	o.Request.Header = map[string][]string{
		"Authorization": {"Basic " + plantedAppPassword},
		"Cookie":        {"wordpress_logged_in_abc=" + plantedCookie},
		"X-WP-Nonce":    {plantedNonce},
	}
	o.Response.Header["Set-Cookie"] = []string{"wordpress_logged_in_abc=" + plantedCookie + "; path=/"}
	o.Response.Body = `<p>nonce ` + plantedNonce + ` cookie ` + plantedCookie + `</p>`
	o.Error = "sent " + plantedAppPassword
	o.Class.Reasons = []string{"echoed " + plantedCookie}
	f := &r.Findings[0]
	f.Evidence = append(f.Evidence, "Authorization was Basic "+strings.ReplaceAll(plantedAppPassword, " ", ""))
	f.Rules[0].Data = "Matched Data: " + plantedCookie
	f.Remedies[0].Caveat = "cookie " + url.QueryEscape(plantedCookie)
	f.Next = "Retry with nonce " + plantedNonce
	r.Logs = []record.LogEntry{{Source: "access.log", Format: "nginx-combined", URI: "/wp-json/?_wpnonce=" + plantedNonce, Message: plantedCookie}}
	r.Notes = []string{"password " + plantedAppPassword}
	return r
}

// secretForms lists every spelling of the secrets that must not appear.
func secretForms() []string {
	var forms []string
	for _, s := range []string{plantedAppPassword, plantedCookie, plantedNonce} {
		j, _ := json.Marshal(s)
		forms = append(forms, s, strings.ReplaceAll(s, " ", ""), url.QueryEscape(s),
			html.EscapeString(s), template.HTMLEscapeString(s), string(j[1:len(j)-1]))
	}
	return forms
}

func renderAll(t *testing.T, opts Options) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, format := range Formats {
		variants := []TextOptions{{}}
		if format == "text" {
			variants = []TextOptions{{Width: 60}, {Color: true, Verbose: true, Width: 200}}
		}
		for i, v := range variants {
			opts.Text = v
			r, err := New(format, opts)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := r.Render(&buf, secretReport()); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			out[format+string(rune('0'+i))] = buf.String()
		}
	}
	return out
}

func TestScrubberMasksPlantedSecretsInEveryFormat(t *testing.T) {
	scrub := new(redact.Scrubber)
	scrub.Add(plantedAppPassword, plantedCookie, plantedNonce)
	for name, out := range renderAll(t, Options{Scrub: scrub}) {
		for _, form := range secretForms() {
			if strings.Contains(out, form) {
				t.Errorf("%s output contains the secret %q", name, form)
			}
		}
		if !strings.Contains(out, "redacted") {
			t.Errorf("%s output shows no [redacted] marker; was the secret rendered at all?", name)
		}
	}
}

// TestPlantedSecretsReachEveryFormat proves the planting is effective:
// without a scrubber, every format shows some spelling of a secret.
func TestPlantedSecretsReachEveryFormat(t *testing.T) {
	for name, out := range renderAll(t, Options{}) {
		found := false
		for _, form := range secretForms() {
			found = found || strings.Contains(out, form)
		}
		if !found {
			t.Errorf("%s output shows no planted secret even without a scrubber", name)
		}
	}
}

func TestScrubDoesNotChangeCallersReport(t *testing.T) {
	scrub := new(redact.Scrubber)
	scrub.Add(plantedNonce)
	rep := secretReport()
	r, _ := New("json", Options{Scrub: scrub})
	if err := r.Render(&bytes.Buffer{}, rep); err != nil {
		t.Fatal(err)
	}
	if rep.Findings[0].Next != "Retry with nonce "+plantedNonce || rep.Observations[2].Request.Header["X-WP-Nonce"][0] != plantedNonce {
		t.Error("rendering with a scrubber modified the caller's report")
	}
}
