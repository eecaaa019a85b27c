package logscan

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// TestMatcherAgreesWithCorrelate: streaming through a Matcher attaches
// what correlating every entry attached (on the recorded fixtures).
func TestMatcherAgreesWithCorrelate(t *testing.T) {
	save := readAll(t, "apache-error.log")[0]
	cases := []struct {
		files []string
		obs   func() []record.Observation
	}{
		{[]string{"nginx-access-wp403.log", "nginx-error.log", "modsec3-audit.json"}, func() []record.Observation {
			return []record.Observation{{ID: "o1", RequestID: "gen-4", Request: record.HTTPRequest{Method: "POST", URL: "http://blog.wp403.test/wp-json/wp/v2/posts/1?_locale=user"}}}
		}},
		{[]string{"apache-error.log"}, func() []record.Observation {
			return []record.Observation{
				{ID: "o1", Time: save.Time.Add(-800 * time.Millisecond), Request: record.HTTPRequest{Method: "POST", URL: "http://blog.wp403.test/wp-json/wp/v2/posts/1"}},
				{ID: "o2", Time: save.Time.Add(time.Hour), Request: record.HTTPRequest{Method: "POST", URL: "http://blog.wp403.test/wp-json/wp/v2/posts/1"}},
			}
		}},
		{[]string{"lab-haproxy.log", "lab-nginx-access.log", "lab-nginx-error.log", "lab-modsec3-audit.json"}, func() []record.Observation {
			return []record.Observation{{ID: "save", RequestID: "lab-nginx-2", Request: record.HTTPRequest{Method: "POST", URL: "https://blog.wp403.test/wp-json/wp/v2/posts/1?_locale=user"}}}
		}},
	}
	for _, c := range cases {
		want := c.obs()
		Correlate(want, readAll(t, c.files...))
		got := c.obs()
		var paths []string
		for _, f := range c.files {
			paths = append(paths, filepath.Join("testdata", f))
		}
		kept, _, _, err := ReadMatching(context.Background(), paths, Options{}, got, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for i := range want {
			n += len(want[i].Logs)
			for j := range want[i].Logs {
				want[i].Logs[j] = MaskEntry(want[i].Logs[j])
			}
			if !reflect.DeepEqual(got[i].Logs, want[i].Logs) {
				t.Errorf("%v: %s: streamed %+v\nwant %+v", c.files, got[i].ID, got[i].Logs, want[i].Logs)
			}
		}
		if n == 0 || len(kept) != n {
			t.Errorf("%v: returned %d entries, attached %d", c.files, len(kept), n)
		}
	}
}

// TestMatcherKeepsOnlyOurs: a busy log (other visitors on the same route
// at the same time, credentials in their query strings) gives back only
// our request, masked, and the matcher never holds more than a handful.
func TestMatcherKeepsOnlyOurs(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "access.log")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	src := &synthLog{n: 200_000}
	if _, err := io.Copy(f, src); err != nil {
		t.Fatal(err)
	}
	ours := `192.0.2.9 - - [26/Nov/2026:00:10:00 +0000] "GET /wp-json/wp/v2/posts/1?api_key=s3cr3tK3y&jwt=eyJhbGciOiJIUzI1NiJ9.e30.abc123 HTTP/1.1" 403 12 "-" "wp403" rid=wp403-run-1` + "\n"
	fmt.Fprint(f, ours)
	f.Close()
	at := time.Date(2026, 11, 26, 0, 10, 0, 0, time.UTC)
	obs := []record.Observation{
		{ID: "o1", RequestID: "wp403-run-1", Time: at, Request: record.HTTPRequest{Method: "GET", URL: "https://blog.example/wp-json/wp/v2/posts/1"}},
		// no request id, and seven clients hit this route around that time: nothing attached
		{ID: "o2", Time: at.Add(-20 * time.Minute), Request: record.HTTPRequest{Method: "POST", URL: "https://blog.example/wp-json/wp/v2/posts/6/autosaves"}},
	}
	m := NewMatcher(obs, DefaultWindow)
	if _, err := ScanFile(context.Background(), path, Options{}, m.Add); err != nil {
		t.Fatal(err)
	}
	if n := len(m.Candidates()); n > 1+maxClientsPerSlot {
		t.Fatalf("kept %d candidates of 200001 lines", n)
	}
	got := m.Attach(obs)
	if len(got) != 1 || got[0].RequestID != "wp403-run-1" || len(obs[1].Logs) != 0 {
		t.Fatalf("attached %+v / %+v", got, obs[1].Logs)
	}
	if strings.Contains(got[0].URI, "s3cr3t") || strings.Contains(got[0].URI, "eyJ") {
		t.Errorf("credentials left in %q", got[0].URI)
	}
}

func TestMaskURI(t *testing.T) {
	for in, want := range map[string]string{
		"/wp-json/wp/v2/posts?api_key=abc&per_page=1":           "/wp-json/wp/v2/posts?api_key=[redacted]&per_page=1",
		"/x?jwt=eyJ0eXAi.eyJzdWIi.sig&y=1":                      "/x?jwt=[redacted]&y=1",
		"/x?access_token=abc;a=1":                               "/x?access_token=[redacted];a=1",
		"/x?t=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822c": "/x?t=[redacted]",
		"/?rest_route=%2Fwp%2Fv2%2Fposts%2F123456789012345":     "/?rest_route=%2Fwp%2Fv2%2Fposts%2F123456789012345",
		"/wp-json/wp/v2/posts?author=1&search=hello":            "/wp-json/wp/v2/posts?author=1&search=hello",
		"/wp-json/wp/v2/posts/1":                                "/wp-json/wp/v2/posts/1",
	} {
		if got := MaskURI(in); got != want {
			t.Errorf("MaskURI(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzMaskURI: masking never panics, is stable, and a credential-named
// parameter's value never survives it.
func FuzzMaskURI(f *testing.F) {
	f.Add("/wp-json/wp/v2/posts", "api_key", "s3cr3t")
	f.Add("/?rest_route=/wp/v2/users/me", "jwt", "eyJhbGciOi.x.y")
	f.Fuzz(func(t *testing.T, path, name, value string) {
		uri := path + "?a=1&" + name + "=" + value
		once := MaskURI(uri)
		if MaskURI(once) != once {
			t.Fatalf("not stable: %q → %q → %q", uri, once, MaskURI(once))
		}
		credential := reSecretParam.MatchString("?" + name + "=")
		plain := !strings.ContainsAny(name+value, "?&;#= \t\"") && name != "" && len(value) > 3
		if credential && plain && !strings.Contains(path, value) && strings.Contains(once, value) {
			t.Fatalf("%q kept the value of %s: %q", uri, name, once)
		}
	})
}
