package diagnose

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowCreates is a loopback server whose creates take effect at once but
// answer late (after the client's timeout), or whose arrival cancels the
// run (Ctrl-C while a create is in flight). It lists and deletes by id.
// It only exercises the write/cleanup protocol; verdicts are tested on
// the lab.
type slowCreates struct {
	mu       sync.Mutex
	next     int
	items    map[int]string // id → slug or title
	creates  int
	delay    time.Duration
	onCreate func()
	// refuseDelete answers DELETE 403, as a WAF with CRS's default
	// allowed methods does; refuseSearch refuses listing.
	refuseDelete, refuseSearch bool
}

var reItem = regexp.MustCompile(`^/wp-json/wp/v2/(posts|media)/(\d+)$`)

func (s *slowCreates) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == "POST" && (r.URL.Path == "/wp-json/wp/v2/posts" || r.URL.Path == "/wp-json/wp/v2/media"):
		s.create(w, r)
	case r.Method == "GET" && s.refuseSearch && (r.URL.Path == "/wp-json/wp/v2/posts" || r.URL.Path == "/wp-json/wp/v2/media"):
		w.WriteHeader(http.StatusForbidden)
	case r.Method == "GET" && (r.URL.Path == "/wp-json/wp/v2/posts" || r.URL.Path == "/wp-json/wp/v2/media"):
		s.list(w, r)
	case r.Method == "DELETE" && s.refuseDelete:
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "<html>Forbidden</html>")
	case reItem.MatchString(r.URL.Path) && (r.Method == "DELETE" ||
		r.Method == "POST" && (r.Header.Get("X-HTTP-Method-Override") == "DELETE" || r.URL.Query().Get("_method") == "DELETE")):
		var id int
		fmt.Sscan(reItem.FindStringSubmatch(r.URL.Path)[2], &id)
		s.mu.Lock()
		_, ok := s.items[id]
		delete(s.items, id)
		s.mu.Unlock()
		if !ok {
			w.WriteHeader(404)
		}
		io.WriteString(w, `{"deleted":true}`)
	default:
		io.WriteString(w, `{"name":"x","namespaces":["wp/v2"]}`)
	}
}

func (s *slowCreates) create(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var obj struct{ Slug string }
	json.Unmarshal(body, &obj)
	if obj.Slug == "" { // an upload: WordPress names it after the file
		_, name, _ := strings.Cut(r.Header.Get("Content-Disposition"), `filename="`)
		obj.Slug = strings.TrimSuffix(strings.TrimSuffix(name, `"`), ".jpg")
	}
	s.mu.Lock()
	s.next++
	id := s.next
	s.items[id] = r.URL.Path + " " + obj.Slug
	s.creates++
	s.mu.Unlock()
	if s.onCreate != nil {
		s.onCreate()
	}
	time.Sleep(s.delay)
	w.WriteHeader(201)
	fmt.Fprintf(w, `{"id":%d}`, id)
}

func (s *slowCreates) list(w http.ResponseWriter, r *http.Request) {
	want := r.URL.Query().Get("slug") + r.URL.Query().Get("search")
	var out []map[string]any
	s.mu.Lock()
	for id, slug := range s.items {
		path, slug, _ := strings.Cut(slug, " ")
		if want != "" && path == r.URL.Path && strings.Contains(slug, want) {
			out = append(out, map[string]any{"id": id, "slug": slug})
		}
	}
	s.mu.Unlock()
	json.NewEncoder(w).Encode(out)
}

func (s *slowCreates) left() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items)
}

func writeConfig(url string) Config {
	return Config{URL: url, Timeout: 400 * time.Millisecond, Concurrency: 4, User: "editor", AppPassword: "abcd efgh ijkl mnop qrst uvwx", Write: true}
}

// TestLostCreateIsFoundAndDeleted: creates that outlast --timeout are not
// sent again nor varied, and cleanup finds them by the run's tag.
func TestLostCreateIsFoundAndDeleted(t *testing.T) {
	site := &slowCreates{items: map[int]string{}, delay: 1500 * time.Millisecond}
	srv := httptest.NewServer(site)
	defer srv.Close()
	rep, err := Run(context.Background(), writeConfig(srv.URL+"/"))
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(rep.Notes, "\n")
	if site.creates != 2 {
		t.Errorf("%d creates sent, want the draft and the upload once each:\n%s", site.creates, notes)
	}
	if n := site.left(); n != 0 {
		t.Errorf("%d items left on the site:\n%s", n, notes)
	}
	for _, want := range []string{"never sent again or varied", "was lost", "and deleted it"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if left := LeftBehind(); len(left) != 0 {
		t.Errorf("still pending after cleanup: %q\n%s", left, notes)
	}
}

// TestCleanupDeleteRefused: a DELETE the WAF refuses (CRS's default
// allowed methods exclude it) is sent again as WordPress honours it, POST
// with X-HTTP-Method-Override, and nothing is left (issue 23 item 15).
func TestCleanupDeleteRefused(t *testing.T) {
	site := &slowCreates{items: map[int]string{}, refuseDelete: true}
	srv := httptest.NewServer(site)
	defer srv.Close()
	rep, err := Run(context.Background(), writeConfig(srv.URL+"/"))
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(rep.Notes, "\n")
	if n := site.left(); n != 0 || site.creates == 0 {
		t.Errorf("%d of %d items left on the site:\n%s", n, site.creates, notes)
	}
	if !strings.Contains(notes, "deleted it with POST and X-HTTP-Method-Override: DELETE (DELETE: status 403)") {
		t.Errorf("notes do not say how it was deleted:\n%s", notes)
	}
}

// TestCleanupSearchRefused: when the search for a lost create's items is
// refused, the notes say the search failed and what may be left, never
// "found 0 item(s)" (issue 23 item 15).
func TestCleanupSearchRefused(t *testing.T) {
	site := &slowCreates{items: map[int]string{}, delay: 1500 * time.Millisecond, refuseSearch: true}
	srv := httptest.NewServer(site)
	defer srv.Close()
	rep, err := Run(context.Background(), writeConfig(srv.URL+"/"))
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(rep.Notes, "\n")
	if strings.Contains(notes, "found 0 item(s)") || !strings.Contains(notes, "failed (status 403), so what it created may be left") {
		t.Errorf("notes:\n%s", notes)
	}
}

// TestInterruptDuringCreate: Ctrl-C while a create is in flight does not
// orphan it, and until cleanup ran it is listed as what may be left.
func TestInterruptDuringCreate(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	site := &slowCreates{items: map[int]string{}, delay: 300 * time.Millisecond}
	var during []string
	var once sync.Once
	site.onCreate = func() {
		once.Do(func() {
			time.Sleep(50 * time.Millisecond)
			during = LeftBehind()
			cancel()
		})
	}
	srv := httptest.NewServer(site)
	defer srv.Close()
	cfg := writeConfig(srv.URL + "/")
	cfg.Timeout = 5 * time.Second
	rep, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Interrupted {
		t.Error("report not marked interrupted")
	}
	if len(during) == 0 || !strings.Contains(strings.Join(during, " "), "wp403-check-") {
		t.Errorf("while the create was in flight, LeftBehind said %q", during)
	}
	if n := site.left(); n != 0 {
		t.Errorf("%d items orphaned after Ctrl-C; notes:\n%s", n, strings.Join(rep.Notes, "\n"))
	}
}
