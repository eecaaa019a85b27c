package diagnose

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestGzipBombReportBounded: every answer inflates to 64 MiB of NULs; with
// --origin and --write (the most observations) the report stays small.
func TestGzipBombReportBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(gzipBomb))
	defer srv.Close()
	cfg := Config{URL: srv.URL + "/", Origin: strings.TrimPrefix(srv.URL, "http://"), Timeout: 3 * time.Second, Concurrency: 4,
		User: "editor", AppPassword: "abcd efgh ijkl mnop qrst uvwx", Write: true}
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) > 4<<20 {
		t.Errorf("report of %d observations is %d KiB", len(rep.Observations), len(out)>>10)
	}
	for _, o := range rep.Observations {
		if o.Response != nil && len(o.Response.Body) > maxReportBody {
			t.Errorf("%s keeps a %d-byte body", o.ID, len(o.Response.Body))
		}
	}
}

func TestCostCut(t *testing.T) {
	for _, c := range []struct {
		in     string
		budget int
		want   string
		cost   int
	}{
		{"abc", 10, "abc", 3},
		{"abc", 2, "ab", 2},
		{"\x00\x00a", 7, "\x00", 6},
		{"éé", 3, "é", 2},
		{"a\xffb", 7, "a\xff", 7},
	} {
		got, cost := costCut(c.in, c.budget)
		if got != c.want || cost != c.cost {
			t.Errorf("costCut(%q, %d) = %q, %d; want %q, %d", c.in, c.budget, got, cost, c.want, c.cost)
		}
	}
}
