package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/wp403/wp403/internal/rawhttp"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
	"github.com/wp403/wp403/internal/signature"
)

// classifyCmd classifies one saved response: who wrote it and whether it
// is a refusal. Exit code 3 when it is a refusal.
type classifyCmd struct {
	File   string `arg:"" name:"FILE" help:"A saved response: curl -i output, a curl -v trace, or a HAR with one entry (\"-\" reads standard input)."`
	Format string `short:"f" name:"format" placeholder:"FORMAT" complete:"text,json" help:"Output format: text or json (default: from the -o extension, else text)."`
	Output string `short:"o" name:"output" placeholder:"FILE" help:"Write to FILE (atomically) instead of standard output."`
	URL    string `name:"url" placeholder:"URL" help:"The URL that was requested, when the saved text does not show it (curl -i)."`
	Status int    `placeholder:"CODE" help:"The response status, for text that is only a body (a pasted page without status line or headers)."`
}

// classifyResult is the JSON output of classify.
type classifyResult struct {
	Input  rawhttp.Format `json:"input"`
	Status int            `json:"status"`
	URL    string         `json:"url,omitempty"`
	Class  *record.Class  `json:"class"`
}

func (c *classifyCmd) Run(rc *runContext) error {
	if _, err := pickFormat(c.Format, c.Output, dataFormats); err != nil {
		return err
	}
	x, err := c.read(rc)
	if err != nil {
		return err
	}
	db, err := signature.Default()
	if err != nil {
		return fmt.Errorf("load signature database: %w", err)
	}
	req := x.Request
	if c.URL != "" {
		req = &record.HTTPRequest{Method: "GET", URL: c.URL}
	}
	res := classifyResult{Input: x.Format, Status: x.Response.Status, Class: db.Classify(req, x.Response)}
	if req != nil {
		res.URL = redact.URL(req.URL)
	}
	// The class was read from the unscrubbed body: its WordPress error
	// message can quote the nonce, a token or a password.
	x.Scrub.Struct(res.Class)
	envScrubber(rc.io.Env).Struct(&res)
	if err := c.write(rc, &res); err != nil {
		return err
	}
	switch {
	case res.Class.Gateway:
		return problemError{"gateway problem: " + gatewayWho(res.Class) + " could not get a usable answer from the origin (not a policy refusal)"}
	case res.Class.Refusal:
		return errRefusal
	}
	return nil
}

// gatewayWho names the edge or proxy that wrote a gateway page.
func gatewayWho(c *record.Class) string {
	if c.Vendor != "" {
		return c.Vendor
	}
	return "the edge"
}

// write renders the classification in the chosen format.
func (c *classifyCmd) write(rc *runContext, res *classifyResult) error {
	out, err := openOutput(rc, c.Output)
	if err != nil {
		return err
	}
	if format, _ := pickFormat(c.Format, c.Output, dataFormats); format == "json" {
		err = writeJSON(out.w, res)
	} else {
		err = writeClass(out.text(), res)
	}
	if err != nil {
		err = fmt.Errorf("write classification: %w", err)
	}
	return out.finish(err)
}

func (c *classifyCmd) read(rc *runContext) (*rawhttp.Exchange, error) {
	data, err := c.input(rc)
	if err != nil {
		return nil, err
	}
	if len(data) > rawhttp.MaxInput {
		return nil, usagef("%s is larger than classify reads (max 8 MiB): save only the one response "+
			"(curl -i URL > response.txt), or keep its status line, headers and the start of the body", c.File)
	}
	x, err := rawhttp.Parse(data)
	if err != nil && c.Status != 0 && !errors.Is(err, rawhttp.ErrEmpty) {
		x, err = rawhttp.BodyOnly(data, c.Status)
	}
	switch {
	case errors.Is(err, rawhttp.ErrEmpty):
		return nil, usagef("%s is empty; want a saved response (curl -i or curl -v output, or a HAR with one entry)", c.File)
	case err != nil && c.Status == 0:
		return nil, usagef("%s: %v; want curl -i or curl -v output or a HAR with one entry (for a bare body, give --status CODE)", c.File, err)
	case err != nil:
		return nil, usagef("%s: %v", c.File, err)
	}
	return x, nil
}

// input reads the file (or standard input), one byte more than the limit
// so that an oversized input is told apart.
func (c *classifyCmd) input(rc *runContext) ([]byte, error) {
	var in io.Reader = rc.io.In
	if c.File != "-" {
		path := resolvePath(rc.io.Env, c.File)
		if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			return nil, usagef("%s is a directory; want a file holding one saved response", c.File)
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, usagef("%v; want a file holding one saved response (\"-\" reads standard input)", err)
		}
		defer f.Close()
		in = f
	}
	data, err := io.ReadAll(io.LimitReader(in, rawhttp.MaxInput+1))
	if err != nil {
		return nil, usagef("read %s: %v", c.File, err)
	}
	return data, nil
}

// writeClass prints the class as a short human-readable block.
func writeClass(w io.Writer, r *classifyResult) error {
	cl := r.Class
	var b strings.Builder
	verdict := "not a refusal"
	switch {
	case cl.Gateway:
		verdict = "GATEWAY PROBLEM (the edge could not reach the origin; not a refusal)"
	case cl.Refusal:
		verdict = "REFUSAL"
	}
	producer := string(cl.Producer)
	if cl.Vendor != "" {
		producer += " (" + cl.Vendor + ")"
	}
	fmt.Fprintf(&b, "%s %d: %s, written by %s\n", r.Input, r.Status, verdict, producer)
	fmt.Fprintf(&b, "  page: %s   WordPress REST headers: %s\n", orDash(cl.Page), yesNo(cl.REST))
	if e := cl.WPError; e != nil {
		fmt.Fprintf(&b, "  WP_Error: %s %q\n", e.Code, clipText(e.Message, 100))
	}
	for _, m := range cl.Matches {
		writeMatch(&b, &m)
	}
	if len(cl.Matches) == 0 {
		b.WriteString("  no signature matched\n")
	}
	for _, r := range cl.Reasons {
		fmt.Fprintf(&b, "  - %s\n", r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMatch(b *strings.Builder, m *record.Match) {
	head := fmt.Sprintf("  %-8s %s — %s, layer %s", m.Kind, m.ID, m.Vendor, m.Layer)
	if m.Mechanism != "" {
		head += ", " + string(m.Mechanism)
	}
	b.WriteString(head + "\n")
	fmt.Fprintf(b, "           %s\n", m.Meaning)
	fmt.Fprintf(b, "           markers: %s\n", strings.Join(m.Markers, "; "))
	if m.IncidentID != "" {
		fmt.Fprintf(b, "           incident id: %s\n", m.IncidentID)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(v bool) string {
	if v {
		return "present"
	}
	return "absent"
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
