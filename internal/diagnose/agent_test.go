package diagnose

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/agent"
)

// TestAgentTraceHostile: a server (not WordPress: it only answers traces)
// that sends forged, oversized or control-character traces gets none of
// them into the report, and the raw header is never kept; every REST probe
// is signed, and the key never appears in the report.
func TestAgentTraceHostile(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef-hostile")
	var signed, unsigned int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(agent.SignHeader) != "" {
			signed++
		} else if strings.Contains(r.URL.String(), "wp-json") || r.URL.Query().Get("rest_route") != "" {
			unsigned++
		}
		switch {
		case strings.Contains(r.URL.Path, "posts"):
			w.Header().Set(agent.TraceHeader, "v1."+strings.Repeat("A", agent.MaxTraceHeader)+".00")
		default:
			w.Header().Set(agent.TraceHeader, "v1.eyJ2IjoxfQ."+strings.Repeat("0", 64)) // {"v":1}, forged MAC
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"code":"rest_forbidden","message":"no","data":{"status":403}}`))
	}))
	defer srv.Close()
	rep, err := Run(context.Background(), Config{URL: srv.URL + "/", Timeout: 2 * time.Second, AgentKey: key,
		Requests: []RequestSpec{{Method: "GET", Route: "/wp/v2/posts"}}})
	if err != nil {
		t.Fatal(err)
	}
	if signed == 0 || unsigned != 0 {
		t.Fatalf("signed %d REST probes, %d unsigned", signed, unsigned)
	}
	for _, o := range rep.Observations {
		if o.Agent != nil {
			t.Errorf("%s: a forged trace was accepted", o.ID)
		}
		if o.Response != nil && o.Response.Get(agent.TraceHeader) != "" {
			t.Errorf("%s: the raw trace header was kept", o.ID)
		}
		if o.Request.Route != "" && !strings.HasPrefix(o.AgentNote, "trace rejected") {
			t.Errorf("%s: agent note %q", o.ID, o.AgentNote)
		}
		if v := strings.Join(o.Request.Header[agent.SignHeader], ""); v != "" && strings.Contains(v, "sig=") {
			t.Errorf("%s: the signature was stored: %s", o.ID, v)
		}
	}
}
