package source

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/finish"
	"github.com/wp403/wp403/internal/har"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// HAR is what a HAR file holds, for the finish: observations, the
// editor's first failed write as the user's step and its writes as wanted
// (a browser session is the user's own path), the failed requests as
// they can be replayed through the WAF, and notes on what the editor was
// doing. readErr is the damage that stopped reading.
func HAR(res *har.Result, readErr error) finish.Evidence {
	site := Site(res)
	ev := finish.Evidence{Command: "har", Started: time.Now().UTC(), Observations: res.Observations,
		Target: record.Target{URL: site, Source: "har", RESTRoot: strings.TrimSuffix(site, "/") + res.Prefix},
		Notes:  harNotes(res), Resend: Resend(res, nil)}
	if u, err := url.Parse(site); err == nil {
		ev.Target.Host = u.Hostname()
	}
	if res.FirstFailedWrite != "" {
		ev.Focus.First = []string{res.FirstFailedWrite}
	}
	ev.Focus.Wanted = editorWrites(res.Observations)
	if readErr != nil {
		ev.Notes = append([]string{"The HAR file is damaged: " + readErr.Error() + "; what came before it is reported."}, ev.Notes...)
	}
	return ev
}

// Resend is the WAF replay's view of the failed requests: one per method
// and route, without nonce refreshes and what the editor recovered from,
// scrubbed by sc, keyed by observation id as relabel renames it.
func Resend(res *har.Result, sc *redact.Scrubber) func(*record.Observation) (finish.Request, bool) {
	byID := map[string]har.Replayable{}
	for _, f := range res.Failed(sc) {
		byID[f.ID] = f
	}
	return func(o *record.Observation) (finish.Request, bool) {
		f, ok := byID[o.ID]
		if !ok || f.BodyMissing {
			return finish.Request{}, false
		}
		h := http.Header{}
		for k, vs := range o.Request.Header {
			h[k] = vs
		}
		if f.ContentType != "" {
			h.Set("Content-Type", f.ContentType)
		}
		return finish.Request{Method: f.Method, URL: f.URL, Header: h, Body: f.Body}, true
	}
}

// Site is the scheme and host of the first REST request.
func Site(res *har.Result) string {
	for _, o := range res.Observations {
		if u, err := url.Parse(o.Request.URL); err == nil && u.Host != "" {
			return u.Scheme + "://" + u.Host + "/"
		}
	}
	return ""
}

// maxRecoveredNotes bounds the notes listing recovered requests one by one.
const maxRecoveredNotes = 20

// harNotes says what the editor was doing, what failed first, and how
// each route fared.
func harNotes(res *har.Result) []string {
	notes := []string{fmt.Sprintf("HAR from %s: %s, %s.", orUnknown(res.Browser), plural(res.Entries, "entry"), plural(res.RESTRequests()+res.Omitted, "REST request"))}
	if o := find(res, res.FirstFailedWrite); o != nil {
		notes = append(notes, "First failed write (what the editor reported as failing): "+describe(o)+".")
	}
	if o := find(res, res.FirstFailure); o != nil && res.FirstFailure != res.FirstFailedWrite {
		notes = append(notes, "First failed request: "+describe(o)+".")
	}
	if o := find(res, res.NoncePage); o != nil {
		notes = append(notes, "The refused REST nonce came from the page "+o.ID+" (GET "+o.Request.URL+"), as the browser loaded it.")
	}
	if n := res.OmittedNote(); n != "" {
		notes = append(notes, n)
	}
	if res.Skipped > 0 {
		notes = append(notes, fmt.Sprintf("%d entries could not be used and were skipped (%s).", res.Skipped, strings.Join(res.SkipNotes, "; ")))
	}
	if res.FirstFailure == "" && res.FirstFailedWrite == "" {
		notes = append(notes, "No REST request failed in this recording.")
	}
	for i, id := range res.Recovered {
		if i == maxRecoveredNotes {
			notes = append(notes, fmt.Sprintf("… and %d more requests recovered by the editor itself.", len(res.Recovered)-i))
			break
		}
		if o := find(res, id); o != nil {
			notes = append(notes, "Recovered by the editor itself (stale nonce refreshed, request retried): "+describe(o)+".")
		}
	}
	for _, r := range res.Routes() {
		notes = append(notes, "Route "+r.String())
	}
	return notes
}

func describe(o *record.Observation) string {
	s := fmt.Sprintf("%s %s %s (%s)", o.ID, o.Request.Method, har.RouteOf(o), o.Purpose)
	if ov := o.Request.Get("X-HTTP-Method-Override"); ov != "" {
		s += " sent with X-HTTP-Method-Override: " + ov
	}
	if o.Response == nil {
		return s + " → no response: " + o.Error
	}
	s += fmt.Sprintf(" → %d", o.Status())
	if o.Class != nil {
		if m := o.Class.Top(); m != nil {
			s += ", " + strings.TrimSuffix(m.Meaning, ".")
		} else if o.Class.WPError != nil {
			s += ", WordPress " + o.Class.WPError.Code
		} else if o.Class.Page != "" {
			s += ", " + o.Class.Page + " page"
		}
	}
	return s
}

func find(res *har.Result, id string) *record.Observation {
	for i := range res.Observations {
		if id != "" && res.Observations[i].ID == id {
			return &res.Observations[i]
		}
	}
	return nil
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown browser"
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") {
		return fmt.Sprint(n) + " " + strings.TrimSuffix(word, "y") + "ies"
	}
	return fmt.Sprint(n) + " " + word + "s"
}

// Capture is a saved report's observations as evidence again: the
// observations as they were recorded (classification, correlated logs and
// WAF replay included), the target, what WordPress said about itself and
// the focus.
// Findings and remedies are not read: the finish writes them again.
func Capture(rep *record.Report) finish.Evidence {
	obs := append([]record.Observation(nil), rep.Observations...)
	ev := finish.Evidence{Command: rep.Command, Started: rep.Started, Target: rep.Target, Observations: obs,
		Site: rep.Site, Notes: rep.Notes, Browser: rep.Browser}
	if rep.Focus != nil {
		ev.Focus = *rep.Focus
	}
	return ev
}
