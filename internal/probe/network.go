package probe

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"net"
	"net/url"
	"strings"
)

// Network is the one network configuration of a run, read by the probe
// client and by the browser alike: the certificates to trust (system
// roots plus --cacert), --resolve, -k, and the run id that tags every
// request and everything a run creates.
type Network struct {
	CACertPEM []byte
	Insecure  bool
	Resolve   []string
	RunID     string
}

// NewRunID returns a fresh run id: 8 random hex digits. Requests carry
// X-WP403-Request-Id "wp403-<run id>-<n>"; what a run creates carries
// the run id in its name.
func NewRunID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// RootCAs is the pool to verify the site with: the system roots plus
// CACertPEM; nil (the system roots) when no certificate was given.
func (n Network) RootCAs() (*x509.CertPool, error) {
	if len(n.CACertPEM) == 0 {
		return nil, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(n.CACertPEM) {
		return nil, errors.New("--cacert: no PEM certificate found")
	}
	return pool, nil
}

// AddrFor is the first address --resolve gives for the site's host and
// port (the scheme's default port when the URL has none), or "" when
// --resolve does not name it.
func (n Network) AddrFor(site *url.URL) (string, error) {
	m, err := ParseResolve(n.Resolve)
	if err != nil {
		return "", err
	}
	port := site.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[site.Scheme]
	}
	for key, dial := range m {
		host, p, _ := net.SplitHostPort(key)
		if strings.EqualFold(host, site.Hostname()) && p == port {
			first, _, _ := strings.Cut(dial, ",")
			addr, _, err := net.SplitHostPort(first)
			return addr, err
		}
	}
	return "", nil
}
