package cli

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

const harFx = "../har/testdata/chromium-waf-save.har.gz"

func harRaw(t *testing.T) []byte {
	f, err := os.Open(harFx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(zr)
	return b
}

// browserSecrets are the logged-in cookie values and the nonce of the
// recording: none may appear in any output.
func browserSecrets(t *testing.T) []string {
	raw := string(harRaw(t))
	var out []string
	for _, m := range regexp.MustCompile(`wordpress_logged_in_[0-9a-f]+=([^;"]+)`).FindAllStringSubmatch(raw, 3) {
		out = append(out, m[1])
	}
	out = append(out, regexp.MustCompile(`"nonce\\":\\"([0-9a-f]{10})`).FindStringSubmatch(raw)[1])
	if len(out) < 2 {
		t.Fatal("fixture lost its secrets: the test would prove nothing")
	}
	return out
}

func TestHARText(t *testing.T) {
	code, out, errs := runCLI(t, "har", harFx)
	if code != ExitRefusal {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"First failed write (what the editor reported as failing): har-111 POST /wp/v2/posts/5 (save) sent with X-HTTP-Method-Override: PUT → 403",
		"Recovered by the editor itself", "Route POST /wp/v2/posts/{id}/autosaves (autosave): 403×1", "HAR from Chromium 156",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, s := range browserSecrets(t) {
		if strings.Contains(out, s) {
			t.Errorf("secret %q in the output", s)
		}
	}
}

func TestHARJSONAndTruncated(t *testing.T) {
	raw := harRaw(t)
	cut := filepath.Join(t.TempDir(), "cut.har")
	os.WriteFile(cut, raw[:len(raw)*95/100], 0o644)
	code, out, errs := runCLI(t, "har", "-f", "json", cut)
	if code != ExitOK || !strings.Contains(errs, "invalid HAR at byte") { // the save comes after the cut
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var rep struct {
		Target struct{ Source string } `json:"target"`
		Notes  []string                `json:"notes"`
		Obs    []struct {
			Vantage string `json:"vantage"`
		} `json:"observations"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Target.Source != "har" || len(rep.Obs) == 0 || rep.Obs[0].Vantage != "har" {
		t.Fatalf("err %v report %+v", err, rep)
	}
	if !strings.HasPrefix(rep.Notes[0], "The HAR file is damaged") {
		t.Errorf("notes %v", rep.Notes)
	}
	if code, _, _ := runCLI(t, "har", filepath.Join(t.TempDir(), "none.har")); code != ExitUsage {
		t.Errorf("missing file: exit %d", code)
	}
}

// TestHARReplay: --replay sends the failed save again, with its body and
// the method the editor meant, and without the browser's cookies or nonce.
func TestHARReplay(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	leaked := false
	secrets := browserSecrets(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		for _, s := range secrets {
			if strings.Contains(r.Header.Get("Cookie")+r.Header.Get("X-WP-Nonce")+r.URL.String()+string(body), s) {
				leaked = true
			}
		}
		if strings.Contains(r.URL.Path, "/wp/v2/posts/5") {
			method := r.Method
			if ov := r.Header.Get("X-HTTP-Method-Override"); ov != "" {
				method += "+" + ov
			}
			if strings.Contains(string(body), "wp:paragraph") {
				method += " with the editor's content"
			}
			seen = append(seen, method)
		}
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center><hr><center>nginx</center></body></html>")
	}))
	defer srv.Close()
	code, _, errs := runCLI(t, "har", "--replay", "--url", srv.URL, harFx)
	if code != ExitRefusal {
		t.Fatalf("exit %d: %s", code, errs)
	}
	mu.Lock()
	defer mu.Unlock()
	if leaked {
		t.Error("a browser secret was sent")
	}
	if !strings.Contains(strings.Join(seen, ","), "PUT with the editor's content") {
		t.Fatalf("the failed save was not re-sent as the editor meant it: %v", seen)
	}
	if code, _, errs := runCLI(t, "har", "--replay", "--url", srv.URL, "--cookie", "a=b", harFx); code != ExitUsage || !strings.Contains(errs, "--write") {
		t.Errorf("credentials without --write: exit %d %s", code, errs)
	}
}

// TestHARWithLogs: the HAR alone sees nginx's stock 403 page; with the
// logs the lab's nginx and ModSecurity wrote during the same session, the
// finding names the CRS rule, matched by time, route and client.
func TestHARWithLogs(t *testing.T) {
	ls := "../har/testdata/lab-session/"
	code, out, errs := runCLI(t, "har", "-f", "json", harFx, "--log", ls+"modsec-audit.json", "--log", ls+"nginx-access.log", "--log", ls+"nginx-error.log")
	if code != ExitRefusal {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep struct {
		Findings []struct {
			Layer     string `json:"layer"`
			Mechanism string `json:"mechanism"`
			Request   struct {
				Method, Route string
			} `json:"request"`
			Rules []struct {
				ID     int    `json:"id"`
				Target string `json:"target"`
			} `json:"rules"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Request.Method == "POST" && f.Request.Route == "/wp/v2/posts/5" {
			if f.Layer != "waf" || f.Mechanism != "waf-rule" || len(f.Rules) == 0 || f.Rules[0].ID != 941180 || f.Rules[0].Target != "ARGS:json.content" {
				t.Errorf("save finding %+v", f)
			}
			return
		}
	}
	t.Fatalf("no finding for the save: %s", out)
}

// TestHARLogsWrongZone: told the logs were written five hours east, the
// zone-less audit times no longer match the HAR and no log is claimed (the
// CRS replay of the refused save still names the likely rule, as a replay).
func TestHARLogsWrongZone(t *testing.T) {
	ls := "../har/testdata/lab-session/"
	code, out, _ := runCLI(t, "har", "-f", "json", harFx, "--log-tz", "+05:00", "--log", ls+"modsec-audit.json", "--log", ls+"nginx-error.log")
	var rep record.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Rule == "waf-log" {
			t.Errorf("a log entry was attributed with shifted times: %s", f.Summary)
		}
	}
	if code != ExitRefusal || len(rep.Logs) != 0 {
		t.Fatalf("exit %d, %d log entries matched with shifted times", code, len(rep.Logs))
	}
	if code, _, _ := runCLI(t, "har", harFx, "--log-tz", "Mars/Olympus", "--log", ls+"nginx-error.log"); code != ExitUsage {
		t.Errorf("bad zone: exit %d", code)
	}
}

// TestHARFailedWriteFirst: the failed save the editor reported comes
// first, ahead of the routine templates lookup that failed before it;
// --help says how to export a HAR in each browser.
func TestHARFailedWriteFirst(t *testing.T) {
	_, out, _ := runCLI(t, "har", harFx, "-f", "json")
	var rep struct {
		Findings []struct {
			Request struct{ Method, Route string } `json:"request"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Findings) < 2 {
		t.Fatalf("%v: %d findings", err, len(rep.Findings))
	}
	if r := rep.Findings[0].Request; r.Method != "POST" || r.Route != "/wp/v2/posts/5" {
		t.Errorf("first finding is about %s %s, want the failed save POST /wp/v2/posts/5", r.Method, r.Route)
	}
	_, help, _ := runCLI(t, "har", "--help")
	for _, want := range []string{"Chrome", "Firefox", "Safari", "sanitized", "drops the Cookie, Set-Cookie and Authorization"} {
		if !strings.Contains(strings.Join(strings.Fields(help), " "), want) {
			t.Errorf("har --help lacks %q", want)
		}
	}
}
