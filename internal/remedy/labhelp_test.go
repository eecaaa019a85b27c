package remedy

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/labkit/labtest"
	"github.com/wp403/wp403/internal/logscan"
	"github.com/wp403/wp403/internal/record"
)

// labRun is one lab integration test's hold on the shared lab: the lock,
// the scenario it switched to, and the include hooks it wrote.
type labRun struct {
	t   *testing.T
	lab *labkit.Lab
}

// useLab loads the lab (skipping when it is not up), takes its lock for
// the test, and restores the previous scenario at the end.
func useLab(t *testing.T) *labRun {
	t.Helper()
	lab := labtest.Acquire(t)
	prev := lab.Active()
	t.Cleanup(func() { // before the lock is released
		if prev != "" {
			if err := lab.Switch(context.Background(), prev); err != nil {
				t.Errorf("restore scenario %s: %v", prev, err)
			}
		}
	})
	return &labRun{t: t, lab: lab}
}

func (r *labRun) switchTo(name string) labkit.Scenario {
	r.t.Helper()
	sc, err := labkit.LoadScenario(r.lab.Dir(), name)
	if err != nil {
		r.t.Fatalf("scenario %s: %v", name, err)
	}
	if err := r.lab.Switch(context.Background(), name); err != nil {
		r.t.Fatalf("switch: %v", err)
	}
	return sc
}

// hook writes an include hook (lab/.state/extra/NAME) and reloads; the
// original content is restored and the lab reloaded when the (sub)test
// ends, pass or fail.
func (r *labRun) hook(t *testing.T, name, content string) {
	t.Helper()
	path := filepath.Join(r.lab.Dir(), ".state", "extra", name)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read hook: %v", err)
	}
	t.Cleanup(func() {
		if err := os.WriteFile(path, orig, 0o644); err != nil {
			t.Errorf("restore hook %s: %v", name, err)
		}
		if err := r.reload(); err != nil {
			t.Errorf("reload after restoring %s: %v", name, err)
		}
	})
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatalf("write hook: %v", err)
	}
	if err := r.reload(); err != nil {
		t.Fatalf("reload with %s:\n%s\n%v", name, content, err)
	}
}

func (r *labRun) reload() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, filepath.Join(r.lab.Dir(), "reload")).CombinedOutput()
	if err != nil {
		return errors.New(err.Error() + ": " + strings.TrimSpace(string(out)))
	}
	return nil
}

// send performs a truth request and returns the status and the request id.
func (r *labRun) send(t *testing.T, vantage string, tr labkit.TruthRequest) (int, string) {
	t.Helper()
	resp, err := r.lab.Do(context.Background(), vantage, tr)
	if err != nil {
		t.Fatalf("%s %s: %v", vantage, tr, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if step := resp.Header.Get(labkit.StepHeader); step != "" {
		t.Fatalf("%s %s: authentication step %s failed with %d", vantage, tr, step, resp.StatusCode)
	}
	rid := ""
	if resp.Request != nil {
		rid = resp.Request.Header.Get("X-WP403-Request-Id")
	}
	return resp.StatusCode, rid
}

// expect sends and checks the status class: "2xx" or an exact code.
func (r *labRun) expect(t *testing.T, vantage string, tr labkit.TruthRequest, want string) {
	t.Helper()
	got, _ := r.send(t, vantage, tr)
	ok := strings.HasPrefix(want, "2") && strings.HasSuffix(want, "xx") && got/100 == 2 || want == strconv.Itoa(got)
	if !ok {
		t.Errorf("%s %s: status %d, want %s", vantage, tr, got, want)
	} else {
		t.Logf("%s %s: %d as expected", vantage, tr, got)
	}
}

// logged finds the request in an audit log by its X-WP403-Request-Id,
// waiting briefly for the server to flush it.
func (r *labRun) logged(t *testing.T, path, rid string) record.LogEntry {
	t.Helper()
	for i := 0; i < 20; i++ {
		entries, _, _ := logscan.ReadFiles(context.Background(), []string{path}, logscan.Options{All: true})
		for _, e := range entries {
			if e.RequestID == rid && len(e.Rules) > 0 {
				return e
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("request %s not found with rules in %s", rid, path)
	return record.LogEntry{}
}
