package probe

import (
	"net"
	"testing"
)

// FuzzParseResolve: --resolve entries give a map of host:port to an IP
// address with the same port, or an error; never a panic.
func FuzzParseResolve(f *testing.F) {
	for _, s := range []string{"blog.example:443:127.0.0.1", "h:80:[::1]", "h:443", "::1:443:1.2.3.4", ":::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseResolve([]string{s})
		if err != nil {
			return
		}
		for from, to := range m {
			_, p1, err1 := net.SplitHostPort(from)
			h2, p2, err2 := net.SplitHostPort(to)
			if err1 != nil || err2 != nil || p1 != p2 || net.ParseIP(h2) == nil {
				t.Fatalf("%q -> %q", from, to)
			}
		}
	})
}
