package policy

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/signature"
)

// TestRuleHeadersReachTheSite runs a policy through the real diagnose
// engine against a local server: a rule's headers (the editor's
// X-HTTP-Method-Override) must be sent with its request, or a check of
// the block editor's save would test another request than the editor's.
func TestRuleHeadersReachTheSite(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<http://`+r.Host+`/wp-json/>; rel="https://api.w.org/"`)
		w.Header().Set("Content-Type", "application/json")
		if strings.HasPrefix(r.URL.Path, "/wp-json/wp/v2/posts/") {
			mu.Lock()
			seen = append(seen, r.Method+" "+r.Header.Get("X-Http-Method-Override"))
			mu.Unlock()
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`{"code":"rest_post_invalid_id","message":"Invalid post ID.","data":{"status":404}}`))
			return
		}
		_, _ = w.Write([]byte(`{"name":"t","url":"http://x","home":"http://x","namespaces":["wp/v2"],"authentication":[]}`))
	}))
	defer srv.Close()
	doc := "site: {url: '" + srv.URL + "/'}\nrules:\n  - name: save reaches WordPress\n    route: /wp/v2/posts/999999999\n" +
		"    methods: [POST]\n    identities: [anonymous]\n    expect: allow\n    reach: wordpress\n    headers: {X-HTTP-Method-Override: PUT}\n"
	p, err := Load([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	db, err := signature.Default()
	if err != nil {
		t.Fatal(err)
	}
	// the classifier alone decides who wrote a response
	r := &Runner{Base: diagnose.Config{Timeout: 5 * time.Second, Concurrency: 2, Classifier: db}, Diagnose: diagnose.Run}
	rep, err := r.Check(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Checks) != 1 || !rep.Checks[0].Pass {
		t.Errorf("checks %+v", rep.Checks)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 || seen[0] != "POST PUT" {
		t.Errorf("the site saw %q, want the first request to be POST with X-HTTP-Method-Override: PUT", seen)
	}
}
