package labkit

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// BodyCap bounds how much of a response body Do keeps.
const BodyCap = 1 << 20

// BrowserUA is the default User-Agent of lab requests (edge-ua-block lets it pass).
const BrowserUA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

type vantageClient struct {
	addr string
	http *http.Client
}

// client returns an HTTP client pinned to addr for both ports, trusting the lab CA.
func (l *Lab) client(addr string) (*vantageClient, error) {
	if c, ok := l.clients[addr]; ok {
		return c, nil
	}
	pem, err := os.ReadFile(l.CA)
	if err != nil {
		return nil, fmt.Errorf("read lab ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no certificate in %s", l.CA)
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, hostport string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(hostport)
			if err != nil {
				return nil, fmt.Errorf("split %s: %w", hostport, err)
			}
			return dialer.DialContext(ctx, "tcp", net.JoinHostPort(addr, port))
		},
		TLSClientConfig:       &tls.Config{RootCAs: pool, ServerName: l.Host, MinVersion: tls.VersionTLS12},
		DisableKeepAlives:     true, // a scenario switch must never meet an old worker's connection
		ResponseHeaderTimeout: 30 * time.Second,
		Proxy:                 nil,
	}
	c := &vantageClient{addr: addr, http: &http.Client{
		Transport:     tr,
		Timeout:       60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	if l.clients == nil {
		l.clients = map[string]*vantageClient{}
	}
	l.clients[addr] = c
	return c, nil
}

// send performs req on the pinned client and returns the response with its body read (capped).
func (c *vantageClient) send(req *http.Request) (*http.Response, []byte, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s via %s: %w", req.Method, req.URL, c.addr, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, BodyCap))
	if err != nil {
		return nil, nil, fmt.Errorf("read body of %s via %s: %w", req.URL, c.addr, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, body, nil
}

// ping checks that the edge answers HTTPS for the site.
func (l *Lab) ping() error {
	c, err := l.client(l.Edge)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, "https://"+l.Host+"/", nil)
	if err != nil {
		return fmt.Errorf("build ping: %w", err)
	}
	req.Header.Set("User-Agent", BrowserUA)
	if _, _, err := c.send(req); err != nil {
		return fmt.Errorf("edge does not answer: %w", err)
	}
	return nil
}

// URL builds the request URL of a truth request (route placeholders already expanded).
func (l *Lab) URL(r TruthRequest, route string) string {
	scheme := r.Scheme
	if scheme == "" {
		scheme = "https"
	}
	base := scheme + "://" + l.Host
	if r.Style == "rest_route" {
		path, query, _ := strings.Cut(route, "?")
		u := base + "/?rest_route=" + path
		if query != "" {
			u += "&" + query
		}
		return u
	}
	return base + "/wp-json" + route
}

// newRequest builds a bare lab request with the default headers.
func (l *Lab) newRequest(ctx context.Context, method, url string, body []byte) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("User-Agent", BrowserUA)
	req.Header.Set("Accept", "application/json, */*;q=0.1")
	req.Header.Set("X-WP403-Request-Id", newRequestID())
	return req, nil
}

func newRequestID() string {
	return fmt.Sprintf("labkit-%d", time.Now().UnixNano())
}
