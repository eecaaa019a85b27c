package logscan

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/labkit/labtest"
	"github.com/wp403/wp403/internal/record"
)

// TestLabWAFSave switches the lab's WAF on (nginx + ModSecurity v3, then
// Apache + mod_security2), sends a blocked editor save through the edge
// with a request id, reads what every log of the lab wrote meanwhile, and
// checks that the CRS rule ids the audit log recorded for that request
// are the ones the scanner attaches to it. The full `diagnose --log`
// version lives in internal/cli (lab_test.go).
func TestLabWAFSave(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("switching lab scenarios needs root")
	}
	lab := labtest.Acquire(t)
	prev := lab.Active()
	defer switchScenario(t, lab, prev)
	for _, c := range []struct{ scenario, audit, err, access string }{
		{"waf-post-content", lab.Logs.ModsecAudit, lab.Logs.NginxError, lab.Logs.NginxAccess},
		{"apache-waf-post-content", lab.Logs.ApacheModsecAudit, lab.Logs.ApacheError, lab.Logs.ApacheAccess},
	} {
		t.Run(c.scenario, func(t *testing.T) {
			switchScenario(t, lab, c.scenario)
			files := []string{c.audit, c.err, c.access, lab.Logs.HAProxy}
			offsets := sizes(files)
			rid := fmt.Sprintf("logscan-lab-%d", time.Now().UnixNano())
			if status := sendSave(t, lab, rid); status != 403 {
				t.Fatalf("the save got %d, not the WAF's 403", status)
			}
			time.Sleep(time.Second) // let the daemons flush their logs
			want := auditRuleIDs(t, c.audit, offsets[0], rid)
			obs := []record.Observation{{ID: "save", RequestID: rid, Request: record.HTTPRequest{Method: "POST", URL: "https://" + lab.Host + "/wp-json/wp/v2/posts/1"}}}
			Correlate(obs, tails(t, files, offsets))
			got := map[int]bool{}
			formats := map[string]bool{}
			for _, e := range obs[0].Logs {
				formats[e.Format] = true
				for _, r := range e.Rules {
					got[r.ID] = true
				}
			}
			for _, id := range want {
				if !got[id] {
					t.Errorf("audit log rule %d not attached (attached %v from %v)", id, got, formats)
				}
			}
			if len(want) == 0 || !got[941180] || len(formats) < 3 {
				t.Errorf("audit rules %v, attached %v from %v", want, got, formats)
			}
		})
	}
}

// switchScenario switches, or skips the test when the lab went down
// meanwhile (another session restarting it).
func switchScenario(t *testing.T, lab *labkit.Lab, name string) {
	out, err := exec.Command(filepath.Join(lab.Dir(), "scenario"), name).CombinedOutput()
	switch {
	case err != nil && strings.Contains(string(out), "not up"):
		t.Skipf("lab went down: %s", out)
	case err != nil:
		t.Fatalf("lab/scenario %s: %v: %s", name, err, out)
	}
}

func sizes(files []string) []int64 {
	out := make([]int64, len(files))
	for i, f := range files {
		if st, err := os.Stat(f); err == nil {
			out[i] = st.Size()
		}
	}
	return out
}

// tails scans what each log gained since offsets.
func tails(t *testing.T, files []string, offsets []int64) []record.LogEntry {
	var all []record.LogEntry
	for i, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := fh.Stat()
		sec := io.NewSectionReader(fh, offsets[i], st.Size()-offsets[i])
		_, err = Scan(context.Background(), sec, f, Options{}, func(e record.LogEntry) { all = append(all, e) })
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	return all
}

// auditRuleIDs extracts, independently of the parsers, the rule ids of
// the audit record that carries the request id.
func auditRuleIDs(t *testing.T, file string, off int64, rid string) []int {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`"ruleId":"(\d+)"|\[id \\"(\d+)\\"\]`)
	var ids []int
	for _, line := range bytes.Split(b[off:], []byte("\n")) {
		if !bytes.Contains(line, []byte(rid)) {
			continue
		}
		for _, m := range re.FindAllSubmatch(line, -1) {
			var id int
			fmt.Sscan(string(append(m[1], m[2]...)), &id)
			ids = append(ids, id)
		}
	}
	sort.Ints(ids)
	return ids
}

// sendSave posts the block editor's save body through the edge.
func sendSave(t *testing.T, lab *labkit.Lab, rid string) int {
	body, err := os.ReadFile(filepath.Join(lab.Dir(), "bodies", "editor-save.json"))
	if err != nil {
		t.Fatal(err)
	}
	pem, err := os.ReadFile(lab.CA)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	d := &net.Dialer{Timeout: 5 * time.Second}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, net.JoinHostPort(lab.Edge, "443"))
		},
		TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: lab.Host},
	}}
	req, _ := http.NewRequest("POST", "https://"+lab.Host+"/wp-json/wp/v2/posts/1?_locale=user", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-HTTP-Method-Override", "PUT")
	req.Header.Set("X-WP403-Request-Id", rid)
	req.Header.Set("User-Agent", labkit.BrowserUA)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
