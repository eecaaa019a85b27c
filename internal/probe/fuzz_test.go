package probe

import (
	"context"
	"net"
	"strings"
	"testing"
)

// FuzzParseResolve: --resolve entries give a map of host:port to IP
// addresses with the same port, or an error; never a panic.
func FuzzParseResolve(f *testing.F) {
	for _, s := range []string{"blog.example:443:127.0.0.1", "h:80:[::1]", "h:443", "::1:443:1.2.3.4", ":::", "h:443:10.0.0.1,[::1]", "h:1:a,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseResolve([]string{s})
		if err != nil {
			return
		}
		for from, list := range m {
			for _, to := range strings.Split(list, ",") {
				_, p1, err1 := net.SplitHostPort(from)
				h2, p2, err2 := net.SplitHostPort(to)
				if err1 != nil || err2 != nil || p1 != p2 || net.ParseIP(h2) == nil {
					t.Fatalf("%q -> %q", from, to)
				}
			}
		}
	})
}

// TestResolveTriesAddressesInOrder: --resolve h:p:a1,a2 connects to a2
// when nothing listens on a1, as curl does.
func TestResolveTriesAddressesInOrder(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	dead, err := net.Listen("tcp", "127.0.0.2:"+port)
	if err != nil {
		t.Skip("127.0.0.2 unavailable: ", err)
	}
	dead.Close()
	m, err := ParseResolve([]string{"blog.example:" + port + ":127.0.0.2,127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := dialFirst(context.Background(), &net.Dialer{}, "tcp", strings.Split(m["blog.example:"+port], ","))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if got := conn.RemoteAddr().String(); got != ln.Addr().String() {
		t.Errorf("connected to %s, want %s", got, ln.Addr())
	}
}
