package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain runs the real main when the test binary is re-executed as wp403.
func TestMain(m *testing.M) {
	if os.Getenv("WP403_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestSecondInterruptExitsAtOnce: the first Ctrl-C starts cleanup; when
// cleanup cannot finish (the site hangs), a second Ctrl-C exits at once
// with 130 and names what --write may have left on the site.
func TestSecondInterruptExitsAtOnce(t *testing.T) {
	created := make(chan bool, 8)
	hang := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/wp/v2/posts") {
			io.Copy(io.Discard, r.Body)
			select {
			case created <- true:
			default:
			}
		}
		if r.Method == "POST" || strings.Contains(r.URL.RawQuery, "wp403-check-") {
			select { // a create in flight, and a cleanup search that never ends
			case <-hang:
			case <-r.Context().Done():
			}
			return
		}
		io.WriteString(w, `{"name":"x","namespaces":["wp/v2"]}`)
	}))
	defer srv.Close()
	defer close(hang) // before Close, which waits for the handlers
	cmd := exec.Command(os.Args[0], "diagnose", srv.URL+"/", "--user", "editor", "--write", "--timeout", "60s", "-f", "json")
	cmd.Env = append(os.Environ(), "WP403_TEST_MAIN=1", "WP403_APP_PASSWORD=abcd efgh ijkl mnop qrst uvwx")
	var stderr bytes.Buffer
	cmd.Stderr, cmd.Stdout = &stderr, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-created:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the draft create never arrived")
	}
	cmd.Process.Signal(syscall.SIGINT)
	time.Sleep(500 * time.Millisecond) // cleanup is now searching, and hangs
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("a second Ctrl-C did not exit")
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit %d, want 130; stderr:\n%s", code, stderr.String())
	}
	if s := stderr.String(); !strings.Contains(s, "may be left") || !strings.Contains(s, "POST /wp/v2/posts (tagged wp403-check-") {
		t.Errorf("stderr does not say what may be left:\n%s", s)
	}
}
