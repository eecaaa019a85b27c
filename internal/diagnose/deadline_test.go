package diagnose

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestMaxTime: against a server that answers a byte at a time, the
// overall deadline ends the probing long before every probe's own
// timeout would, and the report says it is incomplete.
func TestMaxTime(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(slowBody))
	defer srv.Close()
	start := time.Now()
	rep, err := Run(context.Background(), Config{URL: srv.URL + "/", Timeout: 30 * time.Second, Concurrency: 2,
		Deadline: time.Now().Add(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 15*time.Second {
		t.Errorf("took %v with a one-second --max-time", took)
	}
	if !rep.Interrupted || !strings.Contains(strings.Join(rep.Notes, "\n"), "--max-time") {
		t.Errorf("interrupted %v, notes %q", rep.Interrupted, rep.Notes)
	}
}
