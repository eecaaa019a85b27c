package cli

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
)

// nonceFx is an editor session captured from the lab's nonce-cached-page
// scenario (internal/har/testdata/README.nonce-cached-page.md): the front
// page served by nginx's fastcgi cache (X-Proxy-Cache: HIT) carries a
// visitor's REST nonce, and the draft saved with it is refused.
const nonceFx = "../har/testdata/nonce-cached-page.har.gz"

// nonceFxSecrets are the fixture's logged-in cookie and the page's nonce.
func nonceFxSecrets(t *testing.T) []string {
	f, err := os.Open(nonceFx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	cookie := regexp.MustCompile(`wordpress_logged_in_[0-9a-f]+=([^;"]+)`).FindSubmatch(raw)
	nonce := regexp.MustCompile(`"X-WP-Nonce",\s*"value":\s*"([0-9a-f]{10})"`).FindSubmatch(raw)
	if cookie == nil || nonce == nil {
		t.Fatal("fixture lost its secrets: the test would prove nothing")
	}
	return []string{string(cookie[1]), string(nonce[1])}
}

// TestHARNonceCachedPage: the refused save sent the nonce of a page the
// cache served; wp403 har names the page cache, from the HIT header.
func TestHARNonceCachedPage(t *testing.T) {
	code, out, errs := runCLI(t, "har", "-f", "json", nonceFx)
	if code != ExitRefusal {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep struct {
		Findings []struct {
			Rule, Layer, Mechanism, Confidence, Summary string
			NeedsOrigin                                 string `json:"needs_origin"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Findings) != 1 {
		t.Fatalf("err %v findings %+v", err, rep.Findings)
	}
	f := rep.Findings[0]
	if f.Rule != "nonce-cached-page" || f.Mechanism != "nonce" || f.Layer != "server" || f.Confidence != "high" {
		t.Errorf("finding %+v, want nonce-cached-page: server / nonce / high", f)
	}
	if !strings.Contains(f.Summary, "X-Proxy-Cache: HIT") || !strings.Contains(f.NeedsOrigin, "cannot try a fresh nonce") {
		t.Errorf("summary %q / needs %q: want the cache header and what would settle it", f.Summary, f.NeedsOrigin)
	}
	_, text, _ := runCLI(t, "har", "--verbose", nonceFx)
	for _, s := range nonceFxSecrets(t) {
		if strings.Contains(out, s) || strings.Contains(text, s) {
			t.Errorf("secret %q in the output", s)
		}
	}
}
