package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// TestRetestRoutesByTheCommandLineOnly is the reported hole: a crafted
// report's target.origin sent the credentials given on the command line
// to another address, whose answers chose the verdict.
func TestRetestRoutesByTheCommandLineOnly(t *testing.T) {
	var legit, attacker atomic.Int32
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		legit.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	defer site.Close()
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attacker.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	defer evil.Close()

	raw, err := os.ReadFile("../report/testdata/waf-rule.json")
	if err != nil {
		t.Fatal(err)
	}
	var rep record.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	rep.Target.URL, rep.Target.Origin = site.URL+"/", strings.TrimPrefix(evil.URL, "http://")
	for i := range rep.Observations {
		if o := &rep.Observations[i]; o.Request.Method == "POST" {
			o.Request.Route, o.Request.URL = "/wp/v2/posts", site.URL+"/wp-json/wp/v2/posts"
		}
	}
	rep.Target.Resolve = []string{"blog.example.com:443:127.0.0.2"}
	dir := t.TempDir()
	file, pw := filepath.Join(dir, "report.json"), filepath.Join(dir, "pw")
	b, _ := json.Marshal(&rep)
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pw, []byte("s3cret-login-pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, out, errs := runCLI(t, "retest", file, "--user", "editor", "--password-file", pw, "--no-waf-replay", "--timeout", "5s", "-f", "json")
	if attacker.Load() != 0 {
		t.Fatalf("the report's origin received %d requests carrying the command line's credentials", attacker.Load())
	}
	if legit.Load() == 0 {
		t.Fatalf("nothing reached the target; stderr: %s\n%s", errs, out)
	}
	if !strings.Contains(errs, "--report-routing") || !strings.Contains(errs, "not used") {
		t.Errorf("no note says the report's routing was not used: %s", errs)
	}
	legit.Store(0)
	_, out, errs = runCLI(t, "retest", file, "--user", "editor", "--password-file", pw, "--no-waf-replay", "--timeout", "5s", "-f", "json", "--report-routing")
	if attacker.Load() == 0 {
		t.Errorf("--report-routing did not use the report's origin: %s\n%s", errs, out)
	}
}
