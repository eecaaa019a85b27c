package agent

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/labkit/labtest"
	"github.com/wp403/wp403/internal/record"
)

// The lab installs the agent here (lab/gen-web.sh).
const labMuDir = "/var/lib/wordpress/wp-content/mu-plugins"

// labAgent is the running lab with its agent key, the lab lock held.
type labAgent struct {
	lab *labkit.Lab
	key []byte
	seq int
}

// requireLab returns the running lab with the lock held, or skips (fails
// with WP403_LAB=1) with the reason.
func requireLab(t *testing.T) *labAgent {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("integration tests skipped: the lab helpers need root")
	}
	lab := labtest.Acquire(t)
	raw, err := os.ReadFile(lab.AgentKeyPath())
	if err != nil {
		t.Fatalf("the lab has no agent key (run lab/up): %v", err)
	}
	key, err := ParseKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(labMuDir, FileName)); err != nil {
		t.Fatalf("the agent is not installed in the lab (run lab/up): %v", err)
	}
	return &labAgent{lab: lab, key: key}
}

// switchTo switches the scenario, retrying while another checkout's reload
// briefly empties a pid file, and puts back healthy at the end.
func (la *labAgent) switchTo(t *testing.T, name string) {
	t.Helper()
	var err error
	for i := 0; i < 20; i++ {
		if err = la.lab.Switch(context.Background(), name); err == nil {
			t.Cleanup(func() { _ = la.lab.Switch(context.Background(), "healthy") })
			return
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Fatal(err)
}

// header is how a request is signed: a valid signature, none, or a broken
// one. It sees the finished request (credentials included) and its body.
type header func(la *labAgent, req *http.Request, body []byte, id string) string

func signed(la *labAgent, req *http.Request, body []byte, id string) string {
	return Signer{Key: la.key}.Header(RequestOf(req, body), id)
}

// do sends one truth request at a vantage with the agent header sign gives
// (none when sign is nil) and returns the response and the request id.
func (la *labAgent) do(t *testing.T, vantage string, r labkit.TruthRequest, sign header) (*http.Response, string) {
	t.Helper()
	ctx := context.Background()
	route, err := la.lab.Expand(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	r.Route = route
	la.seq++
	id := fmt.Sprintf("labagent-%d-%d", time.Now().UnixNano(), la.seq)
	if sign != nil {
		finish := r.Finish
		r.Finish = func(req *http.Request, body []byte) {
			if finish != nil {
				finish(req, body)
				body = bodyOf(t, req)
			}
			req.Header.Set(SignHeader, sign(la, req, body, id))
		}
	}
	resp, err := la.lab.Do(ctx, vantage, r)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get(labkit.StepHeader) != "" {
		t.Fatalf("%s at %s: the %s step failed (%d)", r, vantage, resp.Header.Get(labkit.StepHeader), resp.StatusCode)
	}
	return resp, id
}

// bodyOf reads a request's body again (after a Finish replaced it).
func bodyOf(t *testing.T, req *http.Request) []byte {
	t.Helper()
	if req.GetBody == nil {
		return nil
	}
	rc, err := req.GetBody()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// runTag is unique per call, for request ids.
func (la *labAgent) runTag() string {
	la.seq++
	return fmt.Sprintf("%d-%d", time.Now().UnixNano(), la.seq)
}

// send sends a truth request as it is (r.Finish signs it, or not).
func (la *labAgent) send(t *testing.T, vantage string, r labkit.TruthRequest) *http.Response {
	t.Helper()
	resp, err := la.lab.Do(context.Background(), vantage, r)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get(labkit.StepHeader) != "" {
		t.Fatalf("%s at %s: the %s step failed (%d)", r, vantage, resp.Header.Get(labkit.StepHeader), resp.StatusCode)
	}
	return resp
}

// trace sends a signed request and returns its parsed trace and raw JSON.
func (la *labAgent) trace(t *testing.T, vantage string, r labkit.TruthRequest) (*record.AgentTrace, string, *http.Response) {
	t.Helper()
	resp, id := la.do(t, vantage, r, signed)
	value := resp.Header.Get(TraceHeader)
	if value == "" {
		t.Fatalf("%s at %s: no %s header (status %d)", r, vantage, TraceHeader, resp.StatusCode)
	}
	tr, err := ParseTrace(value, la.key, id)
	if err != nil {
		t.Fatalf("%s at %s: %v", r, vantage, err)
	}
	parts := strings.Split(value, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	return tr, string(raw), resp
}

// TestLabAgent runs every check of the agent against the real lab under
// one hold of the lab lock (each switches its scenario and puts healthy
// back).
func TestLabAgent(t *testing.T) {
	la := requireLab(t)
	for _, c := range []struct {
		name string
		run  func(*testing.T, *labAgent)
	}{
		{"Inert", labInert}, {"Replay", labReplay}, {"NoSecrets", labNoSecrets},
		{"SignedRequestBound", labSignedRequestBound}, {"TracesDispatchedRoute", labTracesDispatchedRoute},
		{"Scenarios", labScenarios}, {"Attribution", labAttribution}, {"Journal", labJournal}, {"SiteHealth", labSiteHealth},
	} {
		t.Run(c.name, func(t *testing.T) { c.run(t, la) })
	}
}
