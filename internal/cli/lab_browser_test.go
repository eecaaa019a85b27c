package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/browser"
	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/labkit/labtest"
	"github.com/wp403/wp403/internal/record"
)

// TestLabBrowserRetest walks the block editor in real Chromium against
// the lab, at the edge and the origin: healthy passes; a WAF that refuses
// block-editor content fails the save and names the WAF and its rule; an
// edge that strips the nonce fails the save and names the edge. In every
// case the draft and the image are gone afterwards.
func TestLabBrowserRetest(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser against the lab; skipped with -short")
	}
	if _, err := browser.Find(); err != nil {
		if os.Getenv("WP403_LAB") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	lab := labtest.Acquire(t)
	t.Cleanup(func() { _ = lab.Switch(context.Background(), "healthy") })
	cases := []struct {
		scenario string
		exit     int
		step     string
		layer    record.Layer
	}{
		{"healthy", 0, "", ""},
		{"waf-post-content", ExitRefusal, browser.StepSave, record.LayerWAF},
		{"edge-strip-nonce", ExitRefusal, browser.StepSave, record.LayerEdge},
	}
	for _, tc := range cases {
		t.Run(tc.scenario, func(t *testing.T) {
			if err := lab.Switch(context.Background(), tc.scenario); err != nil {
				t.Fatalf("switch: %v", err)
			}
			rep, code, stderr := runBrowserRetest(t, lab)
			if code != tc.exit {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.exit, stderr)
			}
			checkBrowserRuns(t, lab, rep, tc.step)
			if tc.layer != "" {
				checkBrowserFinding(t, rep, tc.layer)
			}
		})
	}
}

func runBrowserRetest(t *testing.T, lab *labkit.Lab) (*record.Report, int, string) {
	t.Helper()
	u, err := lab.Creds("editor")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte(u.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	origin, err := lab.Addr("origin")
	if err != nil {
		t.Fatal(err)
	}
	harFile := filepath.Join(dir, "editor.har")
	code, out, stderr := runCLI(t, "retest", "--browser", "https://"+lab.Host+"/", "--user", u.Login, "--password-file", pw,
		"--resolve", lab.Host+":443:"+lab.Edge, "--origin", origin, "--cacert", lab.CA, "--record-har", harFile, "--format", "json")
	var rep record.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("exit %d, not a JSON report: %v\n%s\n%s", code, err, out, stderr)
	}
	for _, f := range []string{harFile} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("--record-har: %v", err)
		}
		if strings.Contains(string(b), u.Password) || strings.Contains(out, u.Password) {
			t.Error("the password is in the report or the HAR")
		}
		if !strings.Contains(string(b), `"version": "1.2"`) {
			t.Error("--record-har wrote no HAR 1.2")
		}
	}
	return &rep, code, stderr
}

// checkBrowserRuns: each walk stops at the expected step (or passes), has
// the editor's notice and a screenshot once it saved, and left nothing.
func checkBrowserRuns(t *testing.T, lab *labkit.Lab, rep *record.Report, step string) {
	t.Helper()
	if len(rep.Browser) != 2 {
		t.Fatalf("%d browser walks, want edge and origin", len(rep.Browser))
	}
	edge := rep.Browser[0]
	failed := ""
	for _, s := range edge.Steps {
		if !s.Pass && s.Name != browser.StepClean {
			failed = s.Name
			break
		}
	}
	if failed != step {
		t.Errorf("edge walk failed at %q, want %q: %+v", failed, step, edge.Steps)
	}
	if edge.Notice == "" || !strings.HasPrefix(edge.Screenshot, "data:image/jpeg;base64,") {
		t.Errorf("edge walk has no notice (%q) or no screenshot", edge.Notice)
	}
	for _, b := range rep.Browser {
		if len(b.Left) > 0 {
			t.Errorf("%s walk left %v on the site", b.Vantage, b.Left)
		}
		for _, d := range b.Deleted {
			checkGone(t, lab, d)
		}
	}
}

// checkGone asks the site, as the administrator, whether a deleted item
// ("post 12", "media 13") still exists.
func checkGone(t *testing.T, lab *labkit.Lab, item string) {
	t.Helper()
	kind, id, _ := strings.Cut(item, " ")
	if kind == "post" {
		kind = "posts"
	}
	resp, err := lab.Do(context.Background(), "origin", labkit.TruthRequest{Method: "GET", Route: "/wp/v2/" + kind + "/" + id + "?context=edit",
		Auth: "app-password", User: "administrator"})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("%s is still on the site (%d)", item, resp.StatusCode)
	}
}

// checkBrowserFinding: the top refusal names the layer; a WAF finding
// names a rule.
func checkBrowserFinding(t *testing.T, rep *record.Report, layer record.Layer) {
	t.Helper()
	for _, f := range rep.Findings {
		if f.Severity != record.SevBlock {
			continue
		}
		if f.Layer != layer {
			t.Errorf("top refusal %s %s: layer %s, want %s (%s)", f.Request.Method, f.Request.Route, f.Layer, layer, f.Summary)
		}
		if layer == record.LayerWAF && len(f.Rules) == 0 {
			t.Errorf("the WAF finding names no rule: %s", f.Summary)
		}
		return
	}
	t.Errorf("no refusal found, want one at %s", layer)
}
