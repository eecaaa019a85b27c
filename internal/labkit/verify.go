package labkit

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

// Switch activates a scenario through lab/scenario (bounded to 60 s: a
// switch into or out of a lighttpd or Traffic Server scenario restarts that
// daemon, and the machine may be busy).
func (l *Lab) Switch(ctx context.Context, name string) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(l.dir, "scenario"), name)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("lab/scenario %s: %w: %s", name, err, strings.TrimSpace(string(out)))
	}
	l.ActiveScenario = name
	return nil
}

// Check is the outcome of one truth request at one vantage.
type Check struct {
	Scenario string
	Kind     string // "failing" or "control"
	Vantage  string
	Request  TruthRequest
	Want     int
	Got      int
	WantCode string
	GotCode  string
	Step     string
	// RequestID is the X-WP403-Request-Id the request was sent with.
	RequestID string
	Err       error
}

// OK reports whether reality matched the truth file.
func (c Check) OK() bool {
	if c.Kind == "rules" {
		return c.Err == nil
	}
	return c.Err == nil && c.Got == c.Want && (c.WantCode == "" || c.WantCode == c.GotCode) &&
		c.Step == c.Request.Step
}

// VerifyScenario switches to s and checks every failing and control request at edge and origin.
func (l *Lab) VerifyScenario(ctx context.Context, s Scenario) ([]Check, error) {
	if err := l.Switch(ctx, s.Name); err != nil {
		return nil, err
	}
	var checks []Check
	for _, kind := range []string{"failing", "control"} {
		reqs := s.Failing
		if kind == "control" {
			reqs = s.Controls
		}
		for _, r := range reqs {
			for _, v := range []string{"edge", "origin"} {
				want, code := r.Edge, r.EdgeCode
				if v == "origin" {
					want, code = r.Origin, r.OriginCode
				}
				if want == 0 {
					continue
				}
				checks = append(checks, l.check(ctx, s.Name, kind, v, r, want, code))
			}
		}
	}
	if len(s.Rules) > 0 {
		checks = append(checks, l.checkRules(s, checks))
	}
	return checks, nil
}

func (l *Lab) check(ctx context.Context, scen, kind, vantage string, r TruthRequest, want int, code string) Check {
	c := Check{Scenario: scen, Kind: kind, Vantage: vantage, Request: r, Want: want, WantCode: code}
	resp, err := l.Do(ctx, vantage, r)
	if err != nil {
		c.Err = err
		return c
	}
	c.Got = resp.StatusCode
	if resp.Request != nil {
		c.RequestID = resp.Request.Header.Get("X-WP403-Request-Id")
	}
	c.Step = resp.Header.Get(StepHeader)
	c.GotCode = errorCode(resp.Body)
	return c
}

// errorCode extracts a WordPress error "code" from a JSON body, or "".
func errorCode(body io.Reader) string {
	data, err := io.ReadAll(body)
	if err != nil {
		return ""
	}
	var e struct {
		Code string `json:"code"`
	}
	if json.Unmarshal(data, &e) != nil {
		return ""
	}
	return e.Code
}

// WriteTable prints checks as an aligned table and returns the number of mismatches.
func WriteTable(w io.Writer, checks []Check) int {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESULT\tSCENARIO\tKIND\tVANTAGE\tWANT\tGOT\tREQUEST")
	bad := 0
	for _, c := range checks {
		res := "ok"
		if !c.OK() {
			res, bad = "MISMATCH", bad+1
		}
		got := fmt.Sprint(c.Got)
		if c.GotCode != "" {
			got += " " + c.GotCode
		}
		if c.Step != "" {
			got += " [" + c.Step + "]"
		}
		if c.Err != nil {
			got = "error: " + c.Err.Error()
		}
		want := fmt.Sprint(c.Want)
		if c.WantCode != "" {
			want += " " + c.WantCode
		}
		if c.Request.Step != "" {
			want += " [" + c.Request.Step + "]"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", res, c.Scenario, c.Kind, c.Vantage, want, got, c.Request)
	}
	tw.Flush()
	return bad
}
