package wpcore

import (
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/labkit"
	"github.com/wp403/wp403/internal/labkit/labtest"
)

// TestLabCoreAnswers asks the lab's real WordPress (healthy scenario, at
// the origin, without credentials) each core route the table knows and
// checks the table: 200 where it says core serves anonymously (or, for a
// single item such as a draft, a code the table lists for it), otherwise
// a 401 whose code is one the table lists for that route and method.
func TestLabCoreAnswers(t *testing.T) {
	lab := labtest.Acquire(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := lab.Switch(ctx, "healthy"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ method, route string }{
		{"GET", "/"}, {"GET", "/wp/v2"}, {"GET", "/oembed/1.0"}, {"GET", "/wp/v2/posts"}, {"GET", "/wp/v2/pages"},
		{"GET", "/wp/v2/categories"}, {"GET", "/wp/v2/tags"}, {"GET", "/wp/v2/comments"}, {"GET", "/wp/v2/media"},
		{"GET", "/wp/v2/types"}, {"GET", "/wp/v2/types/post"}, {"GET", "/wp/v2/taxonomies"}, {"GET", "/wp/v2/statuses"},
		{"GET", "/wp/v2/search"}, {"GET", "/wp/v2/users"}, {"GET", "/wp/v2/posts?context=edit"},
		{"GET", "/wp/v2/users/me"}, {"GET", "/wp/v2/settings"}, {"GET", "/wp/v2/plugins"}, {"GET", "/wp/v2/themes"},
		{"GET", "/wp/v2/block-types"}, {"GET", "/wp/v2/templates"}, {"GET", "/wp/v2/sidebars"}, {"GET", "/wp/v2/widgets"},
		{"GET", "/wp/v2/menus"}, {"GET", "/wp/v2/menu-items"}, {"GET", "/wp/v2/posts/{draft}"},
		{"GET", "/wp/v2/users/me/application-passwords"}, {"GET", "/oembed/1.0/proxy?url=https%3A%2F%2Fexample.org%2F"},
		{"POST", "/wp/v2/posts"}, {"POST", "/wp/v2/comments"}, {"DELETE", "/wp/v2/posts/{draft}"},
	} {
		status, code, route := ask(ctx, t, lab, c.method, c.route)
		path, query, _ := cut(route)
		a, ok := Lookup(c.method, path, query, "")
		switch {
		case !ok:
			t.Errorf("%s %s: not in the table", c.method, route)
		case a.Anonymous && status != 200 && !(a.Note != "" && status == 401 && contains(a.Codes, code)):
			// A single item (a draft post) may be refused by core with
			// a code the table lists for it, and a note says so.
			t.Errorf("%s %s: the table says core serves it anonymously; core answered %d %s", c.method, route, status, code)
		case !a.Anonymous && (status != 401 || !contains(a.Codes, code)):
			t.Errorf("%s %s: core answered %d %q; the table lists %v", c.method, route, status, code, a.Codes)
		}
	}
}

// ask sends one anonymous request to the origin; it returns the status,
// the WP_Error code and the route with its placeholders filled in.
func ask(ctx context.Context, t *testing.T, lab *labkit.Lab, method, route string) (int, string, string) {
	t.Helper()
	r := labkit.TruthRequest{Method: method, Route: route, Auth: "public"}
	if method == "POST" {
		r.Body = "benign.json"
	}
	full, err := lab.Expand(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := lab.Do(ctx, "origin", r)
	if err != nil {
		t.Fatalf("%s %s: %v", method, route, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var e struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(body, &e)
	return resp.StatusCode, e.Code, full
}
