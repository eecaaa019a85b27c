package diagnose

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzParseRequest: any --request text gives a spec or a usage error,
// never a panic, and an accepted REST route starts with "/".
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{"POST /wp/v2/posts", "GET /wp-json/wp/v2/users?context=edit",
		"DELETE https://blog.example/index.php?rest_route=/wp/v2/posts/1", "get wp/v2", "PUT", " ", "G\x00T /x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spec, err := ParseRequest(s)
		if err != nil {
			if !errors.Is(err, ErrUsage) {
				t.Fatalf("non-usage error %v", err)
			}
			return
		}
		if spec.URL == "" && !strings.HasPrefix(spec.Route, "/") {
			t.Fatalf("route %q does not start with /", spec.Route)
		}
	})
}

// FuzzLoadCapture: arbitrary bytes are refused cleanly or give a capture
// whose replay wrapper builds.
func FuzzLoadCapture(f *testing.F) {
	f.Add([]byte(`{"schema":"wp403.capture/v1","name":"x","args":[],"exchanges":[{"vantage":"edge","key":"k","status":200}]}`))
	f.Add([]byte(`{"schema":"other"}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := LoadCapture(bytes.NewReader(data))
		if err != nil {
			return
		}
		if _, err := ReplayWrap(c); err != nil {
			t.Fatalf("loaded capture does not replay: %v", err)
		}
	})
}
