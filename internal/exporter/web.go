package exporter

import (
	"net"
	"net/http"
	"strings"
)

// guard wraps the exporter's endpoints with what keeps browsers and other
// hosts out of them (TLS and basic auth come from the web configuration,
// see Serve):
//   - a Host header the exporter does not answer to is refused, so a DNS
//     name rebound to a loopback exporter reaches nothing;
//   - a probe asked for by another site's page (an <img> pointing at
//     /probe, told by the browser's Sec-Fetch-Site) is refused: probes send
//     credentials to the sites;
//   - a cross-origin POST (/-/reload) is refused (http.CrossOriginProtection).
type guard struct {
	hosts map[string]bool // answered Host names; nil answers any
	next  http.Handler
	cop   *http.CrossOriginProtection
}

// newGuard answers the Host names in allowed and, on a loopback listener,
// localhost and IP literals; on another listener with no allowed names,
// any Host (a replica behind its DNS name), as the web configuration's
// basic auth is what protects it.
func newGuard(next http.Handler, listen net.Addr, allowed []string) *guard {
	g := &guard{next: next, cop: http.NewCrossOriginProtection()}
	if len(allowed) > 0 || isLoopback(listen) {
		g.hosts = map[string]bool{"localhost": true}
		for _, h := range allowed {
			g.hosts[strings.ToLower(h)] = true
		}
	}
	return g
}

func isLoopback(a net.Addr) bool {
	if a == nil {
		return false
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (g *guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !g.hostAllowed(r.Host) {
		http.Error(w, "unknown Host: this exporter answers to its address (see --web.allowed-host)", http.StatusMisdirectedRequest)
		return
	}
	if r.URL.Path == "/probe" && crossSite(r) {
		http.Error(w, "probes are not run for another site's page", http.StatusForbidden)
		return
	}
	g.cop.Handler(g.next).ServeHTTP(w, r)
}

func (g *guard) hostAllowed(hostport string) bool {
	if g.hosts == nil {
		return true
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	return net.ParseIP(host) != nil || g.hosts[host]
}

// crossSite: a browser says the request comes from another site's page.
func crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return true
	}
	return false
}
