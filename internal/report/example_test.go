package report_test

import (
	"os"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
	"github.com/wp403/wp403/internal/report"
)

// A renderer for a format, with the run's secrets masked in everything it
// writes.
func ExampleNew() {
	rep := &record.Report{
		Schema:  record.SchemaVersion,
		Command: "diagnose",
		Target:  record.Target{URL: "https://blog.example.com/"},
		Findings: []record.Finding{{
			ID: "f1", Severity: record.SevBlock, Layer: record.LayerClient, Mechanism: record.MechNonce,
			Request:    record.Request{Method: "POST", Route: "/wp/v2/posts", Auth: record.AuthCookieOnly},
			Status:     record.StatusPair{Edge: 403},
			Confidence: record.ConfHigh,
			Summary:    "The request sent cookies without an X-WP-Nonce header (nonce 0a1b2c3d4e was never sent).",
			Next:       "Send the nonce from wpApiSettings.nonce in X-WP-Nonce.",
			StoppedAt:  record.LayerWordPress,
		}},
	}
	scrub := new(redact.Scrubber)
	scrub.Add("0a1b2c3d4e")
	r, err := report.New("text", report.Options{Scrub: scrub, Text: report.TextOptions{Width: 72}})
	if err != nil {
		panic(err)
	}
	if err := r.Render(os.Stdout, rep); err != nil {
		panic(err)
	}
	// Output:
	// wp403 diagnose  https://blog.example.com/
	//
	// BLOCK  POST /wp/v2/posts (cookie)  edge 403
	//   client -> edge -> waf -> server -> php -> wordpress X plugin
	//   The request sent cookies without an X-WP-Nonce header (nonce
	//   [redacted] was never sent).
	//   client / nonce / confidence high
	//
	//   next        Send the nonce from wpApiSettings.nonce in X-WP-Nonce.
	//
	// 1 refusal; 0 observations
	// --verbose adds the evidence, the WAF rule hits and every observation
}
