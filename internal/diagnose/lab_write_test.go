package diagnose

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/labkit/labtest"
	"github.com/wp403/wp403/internal/record"
)

// TestLabLostCreatesCleanedUp runs --write against the real lab with the
// answers of the draft and upload creates thrown away after WordPress
// acted on them (as when --timeout or Ctrl-C cuts the answer), and checks
// that cleanup found both by the run's tag and nothing is left.
func TestLabLostCreatesCleanedUp(t *testing.T) {
	lab := labtest.Acquire(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := lab.Switch(ctx, "healthy"); err != nil {
		t.Fatal(err)
	}
	editor, _ := lab.Creds("editor")
	ca, err := os.ReadFile(lab.CA)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{URL: "https://" + lab.Host + "/", Resolve: []string{lab.Host + ":443:" + lab.Edge}, CACertPEM: ca,
		Timeout: 10 * time.Second, User: editor.Login, AppPassword: editor.AppPassword, Write: true, Wrap: dropCreateAnswers}
	rep, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(rep.Notes, "\n")
	tag := regexp.MustCompile(`wp403-check-[0-9a-f]{8}`).FindString(notes)
	found := regexp.MustCompile(`tag wp403-check-[0-9a-f]{8} and found [1-9]`).FindAllString(notes, -1)
	if tag == "" || len(found) != 2 || strings.Count(notes, "and deleted it") < 2 {
		t.Fatalf("notes:\n%s", notes)
	}
	for _, route := range []string{"/wp/v2/posts?status=any&slug=" + tag, "/wp/v2/media?search=" + tag} {
		if n := countOnLab(t, lab, route); n != 0 {
			t.Errorf("%d items tagged %s left at %s", n, tag, route)
		}
	}
	for _, o := range rep.Observations {
		if o.Request.Method == "POST" && o.Variant != "" && (o.Request.Route == "/wp/v2/posts" || o.Request.Route == "/wp/v2/media") {
			t.Errorf("%s: a create whose outcome was unknown was varied (%s)", o.ID, o.Variant)
		}
	}
}

// dropCreateAnswers sends every request to the lab, but loses the answer
// of the draft and upload creates after WordPress has acted on them.
func dropCreateAnswers(_ record.Vantage, rt http.RoundTripper) http.RoundTripper {
	return rtFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := rt.RoundTrip(r)
		p := r.URL.Path
		if err != nil || r.Method != "POST" || !(strings.HasSuffix(p, "/wp/v2/posts") || strings.HasSuffix(p, "/wp/v2/media")) {
			return resp, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, errors.New("net/http: timeout awaiting response headers (answer dropped by the test)")
	})
}

// countOnLab lists a collection as the lab's administrator.
func countOnLab(t *testing.T, lab *labkit.Lab, route string) int {
	t.Helper()
	admin, _ := lab.Creds("administrator")
	pool := x509.NewCertPool()
	ca, _ := os.ReadFile(lab.CA)
	pool.AppendCertsFromPEM(ca)
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, lab.Edge+":443")
		}}}
	req, _ := http.NewRequest("GET", "https://"+lab.Host+"/wp-json"+route+"&context=edit", nil)
	req.SetBasicAuth(admin.Login, admin.AppPassword)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list []json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatalf("GET %s: %d %v", route, resp.StatusCode, err)
	}
	return len(list)
}
