package verdict

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// run is one replayed capture of the real lab (testdata/runs, written by
// go test ./internal/cli -run TestVerdictRuns -args -update-runs).
type run struct {
	Capture      string               `json:"capture"`
	TargetURL    string               `json:"target_url"`
	HasOrigin    bool                 `json:"has_origin"`
	Site         record.Site          `json:"site"`
	Observations []record.Observation `json:"observations"`
}

func loadRun(t *testing.T, name string) Input {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "runs", name+".json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var r run
	if err := json.NewDecoder(zr).Decode(&r); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return Input{Observations: r.Observations, HasOrigin: r.HasOrigin, AppPasswords: r.Site.AppPasswords,
		Site: r.Site, TargetURL: r.TargetURL}
}

// captureRules is the rule behind each finding of each real capture, in
// report order.
var captureRules = map[string][]string{
	"apache-htaccess-deny":         {"server-rule"},
	"edge-challenge-202":           {"edge-signature"},
	"lighttpd-deny-route":          {"server-rule"},
	"plugin-bearer-refused":        {"token-refused"},
	"plugin-core-words":            {"public-route-needs-auth"},
	"plugin-early-auth":            {"auth-checked-too-early"},
	"plugin-error-200":             {"refused-in-body"},
	"plugin-method-405":            {"rest-method-refused"},
	"plugin-private-site-redirect": {"rest-login-redirect"},
	"trafficserver-method-deny":    {"edge-differential"},

	"apache-no-authorization":      {"fresh-app-password-ignored"},
	"apache-no-rewrite":            {"rewrite"},
	"apache-waf-post-content":      {"waf-body"},
	"client-cookie-no-nonce":       {"cookie-without-nonce"},
	"client-stale-nonce":           {"nonce-other-session"},
	"client-wrong-app-password":    {"fresh-app-password-works"},
	"edge-challenge":               {"edge-differential"},
	"edge-method-block":            {"edge-differential"},
	"edge-path-block":              {"edge-differential"},
	"edge-rate-limit":              {"edge-differential"},
	"edge-strip-authorization":     {"edge-drops-credentials"},
	"edge-strip-cookie":            {"edge-drops-credentials"},
	"edge-strip-nonce":             {"edge-drops-credentials"},
	"edge-ua-block":                {"edge-differential"},
	"healthy-apache":               nil,
	"healthy":                      nil,
	"origin-locked":                {"origin-locked"},
	"origin-locked-edge-rule":      {"edge-stock-page", "origin-locked"},
	"not-wordpress":                nil, // a problem, not a finding: see TestCaptureProblems
	"theme-quotes-block-phrase":    nil,
	"php-strip-authorization":      {"fresh-app-password-ignored"},
	"plugin-block-page":            {"custom-page"},
	"plugin-endpoint-removed":      {"no-route"},
	"plugin-rest-filter":           {"plugin-signature"},
	"plugin-wp-die":                {"plugin-signature"},
	"server-basic-auth-admin":      {"refusal-signature"},
	"server-basic-auth-rest":       {"refusal-signature"},
	"server-broken-try-files":      {"rewrite"},
	"server-deny-route":            {"server-rule"},
	"server-redirect-host":         {"redirect"},
	"waf-media-upload":             {"waf-body"},
	"waf-post-content":             {"waf-body"},
	"waf-put-delete":               {"waf-replay"},
	"waf-scanner-ua":               {"waf-replay"},
	"wp-app-passwords-http":        {"login-redirect", "app-passwords-unavailable", "canonical-mismatch"},
	"wp-app-passwords-unavailable": {"app-passwords-unavailable"},
	"wp-capability":                {"permission"},
}

// TestCaptureRules: every real capture is decided by the rules it was
// decided by when it was recorded.
func TestCaptureRules(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("testdata", "runs"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(captureRules) {
		t.Errorf("%d runs in testdata, %d in captureRules", len(entries), len(captureRules))
	}
	for name, want := range captureRules {
		t.Run(name, func(t *testing.T) {
			got := ruleIDs(Analyze(loadRun(t, name)).Findings)
			if !equal(got, want) {
				t.Errorf("rules %v, want %v", got, want)
			}
		})
	}
}

func ruleIDs(fs []record.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCaptureProblems: the static site is not WordPress, and nothing
// else is a problem.
func TestCaptureProblems(t *testing.T) {
	for name := range captureRules {
		p := Analyze(loadRun(t, name)).Problem
		switch {
		case name == "not-wordpress" && (p == nil || p.Kind != record.ProblemNotWordPress):
			t.Errorf("%s: problem %+v", name, p)
		case name != "not-wordpress" && p != nil:
			t.Errorf("%s: unexpected problem %+v", name, p)
		}
	}
}
