package har

import (
	"compress/gzip"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// nonceFixture is the lab capture of an editor session whose nonce came
// from a cached page (README.nonce-cached-page.md), and that page's nonce.
func nonceFixture(t *testing.T) (string, string) {
	f, err := os.Open("testdata/nonce-cached-page.har.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	m := regexp.MustCompile(`"X-WP-Nonce",\s*"value":\s*"([0-9a-f]{10})"`).FindSubmatch(raw)
	if m == nil || !strings.Contains(string(raw), `wpApiSettings = {`) || !strings.Contains(string(raw), `\"nonce\":\"`+string(m[1])) {
		t.Fatal("fixture: the save does not send the page's nonce")
	}
	return string(raw), string(m[1])
}

func readString(t *testing.T, s string) *Result {
	res, err := Read(strings.NewReader(s), "test.har", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestPageNonceTraced: the refused save is keyed as the page-nonce probe
// and the page it took its nonce from as aux:nonce-page, with its cache
// header and without its body; a refused nonce no page carried is not.
func TestPageNonceTraced(t *testing.T) {
	raw, nonce := nonceFixture(t)
	res := readString(t, raw)
	probes := map[string]*record.Observation{}
	for i := range res.Observations {
		probes[res.Observations[i].Probe] = &res.Observations[i]
	}
	page, save := probes[record.ProbeNoncePage], probes[record.ProbePageNonce]
	if page == nil || save == nil || res.NoncePage != page.ID || res.RESTRequests() != 1 {
		t.Fatalf("page %v save %v NoncePage %q: not traced", page, save, res.NoncePage)
	}
	if page.Response.Header["x-proxy-cache"][0] != "HIT" || page.Response.Body != "" || save.Request.Method != "POST" {
		t.Errorf("page %+v save %s", page.Response, save.Request.Method)
	}
	other := strings.Replace(raw, `"value": "`+nonce+`"`, `"value": "0123456789"`, 1)
	if other == raw {
		t.Fatal("fixture: nonce header not rewritten")
	}
	if res := readString(t, other); res.NoncePage != "" || len(res.Observations) != 1 {
		t.Errorf("a nonce no page carried was traced to %q", res.NoncePage)
	}
}

// TestPageNonceMasked: the scrubber learns the nonce from the page, so it
// is masked where nothing else names it a secret (here a header no rule
// knows, and a query parameter).
func TestPageNonceMasked(t *testing.T) {
	raw, nonce := nonceFixture(t)
	raw = strings.Replace(raw, `"name": "X-WP-Nonce"`, `"name": "X-Custom-Token-Echo"`, 1)
	raw = strings.Replace(raw, `wp-json/wp/v2/posts"`, `wp-json/wp/v2/posts?ref=`+nonce+`"`, 1)
	res := readString(t, raw)
	if len(res.Observations) == 0 {
		t.Fatal("no observation")
	}
	for _, o := range res.Observations {
		for k, vs := range o.Request.Header {
			if strings.Contains(k+strings.Join(vs, ","), nonce) {
				t.Errorf("%s: nonce in request header %s", o.ID, k)
			}
		}
		if strings.Contains(o.Request.URL, nonce) {
			t.Errorf("%s: nonce in URL %s", o.ID, o.Request.URL)
		}
	}
}
