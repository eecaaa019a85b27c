package probe

import (
	"net/url"
	"testing"
)

func TestNetworkAddrFor(t *testing.T) {
	n := Network{Resolve: []string{"other.example:443:192.0.2.9", "blog.example:443:[2001:db8::1],192.0.2.1", "blog.example:80:192.0.2.2"}}
	for raw, want := range map[string]string{
		"https://blog.example/":      "2001:db8::1",
		"http://blog.example/":       "192.0.2.2",
		"https://BLOG.example:443/x": "2001:db8::1",
		"https://blog.example:8443/": "",
		"https://third.example/":     "",
	} {
		u, _ := url.Parse(raw)
		if got, err := n.AddrFor(u); err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", raw, got, err, want)
		}
	}
	if _, err := (Network{Resolve: []string{"blog.example:443"}}).AddrFor(&url.URL{Host: "blog.example"}); err == nil {
		t.Error("a malformed --resolve was accepted")
	}
}

func TestNetworkRootCAs(t *testing.T) {
	if p, err := (Network{}).RootCAs(); p != nil || err != nil {
		t.Errorf("no --cacert: %v, %v; want the system roots (nil)", p, err)
	}
	if _, err := (Network{CACertPEM: []byte("not a certificate")}).RootCAs(); err == nil {
		t.Error("a file without a PEM certificate was accepted")
	}
	if id := NewRunID(); len(id) != 8 || id == NewRunID() {
		t.Errorf("run id %q", id)
	}
}
