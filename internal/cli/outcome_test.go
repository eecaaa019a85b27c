package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/record"
)

func runJSON(t *testing.T, ctx context.Context, args ...string) (int, record.Report, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(ctx, Env{Vars: map[string]string{}}, strings.NewReader(""), &out, &errb, append(args, "--format", "json"))
	var rep record.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("exit %d, no JSON report: %v\n%s", code, err, errb.String())
	}
	return code, rep, errb.String()
}

// TestNotWordPress: a static file server is not WordPress: exit 1, an
// error naming what answered, no refusal.
func TestNotWordPress(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "static/1.0")
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte("<!doctype html><html><head><title>Hello</title></head><body><p>Cloudflare: Sorry, you have been blocked</p></body></html>"))
	}))
	defer srv.Close()
	code, rep, stderr := runJSON(t, context.Background(), "diagnose", srv.URL+"/")
	if code != ExitError || rep.Problem == nil || rep.Problem.Kind != record.ProblemNotWordPress || rep.Refusals() != 0 {
		t.Fatalf("exit %d, problem %+v, %d refusals", code, rep.Problem, rep.Refusals())
	}
	if !strings.Contains(strings.Join(rep.Problem.Found, "\n"), "static/1.0") || !strings.Contains(stderr, "does not look like WordPress") {
		t.Errorf("the error does not say what answered: %+v / %s", rep.Problem, stderr)
	}
}

// TestNoAnswer: nothing listening, or nothing answering within --timeout,
// is exit 1 naming the failure, not a refusal.
func TestNoAnswer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens here now
	code, rep, _ := runJSON(t, context.Background(), "diagnose", "http://"+addr+"/")
	if code != ExitError || rep.Problem == nil || rep.Problem.Failure != record.FailConnRefused || rep.Refusals() != 0 {
		t.Fatalf("refused: exit %d, problem %+v", code, rep.Problem)
	}
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close() // accept, never answer
		}
	}()
	code, rep, _ = runJSON(t, context.Background(), "diagnose", "http://"+silent.Addr().String()+"/", "--timeout", "300ms")
	if code != ExitError || rep.Problem == nil || !strings.Contains(rep.Problem.Summary+rep.Problem.Next, "--timeout") {
		t.Fatalf("timeout: exit %d, problem %+v", code, rep.Problem)
	}
}

// TestInterrupted: a cancelled run writes its partial report, marked
// interrupted, and exits 130 without blaming the network.
func TestInterrupted(t *testing.T) {
	started := make(chan struct{}, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; time.Sleep(50 * time.Millisecond); cancel() }()
	code, rep, _ := runJSON(t, ctx, "diagnose", srv.URL+"/")
	if code != ExitInterrupted || !rep.Interrupted || rep.Problem != nil || rep.Refusals() != 0 {
		t.Fatalf("exit %d, interrupted %v, problem %+v, %d refusals", code, rep.Interrupted, rep.Problem, rep.Refusals())
	}
}
