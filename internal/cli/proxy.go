package cli

import (
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/http/httpproxy"
)

// proxyFunc picks the proxy for edge probes as curl does: --proxy URL,
// else HTTPS_PROXY / HTTP_PROXY (either case), skipping hosts NO_PROXY
// names. Origin probes never use it: they go straight to --origin. It
// returns nil when no proxy is configured, and the proxy to name in the
// report (credentials hidden).
func proxyFunc(env Env, flag string) (func(*http.Request) (*url.URL, error), string, error) {
	get := func(k string) string {
		if v := env.Get(k); v != "" {
			return v
		}
		return env.Get(strings.ToLower(k))
	}
	cfg := httpproxy.Config{HTTPSProxy: get("HTTPS_PROXY"), HTTPProxy: get("HTTP_PROXY"), NoProxy: get("NO_PROXY")}
	if flag != "" {
		u, err := url.Parse(flag)
		if err != nil || u.Host == "" || !(u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "socks5") {
			return nil, "", usagef("--proxy %q: want http://HOST:PORT (or https://, socks5://)", redactedURL(flag))
		}
		cfg.HTTPSProxy, cfg.HTTPProxy = flag, flag
	}
	if cfg.HTTPSProxy == "" && cfg.HTTPProxy == "" {
		return nil, "", nil
	}
	name := cfg.HTTPSProxy
	if name == "" {
		name = cfg.HTTPProxy
	}
	f := cfg.ProxyFunc()
	return func(r *http.Request) (*url.URL, error) { return f(r.URL) }, redactedURL(name), nil
}

// redactedURL hides the password of a proxy URL.
func redactedURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// proxyNote says in the report which probes went through the proxy.
func proxyNote(proxy, origin string) string {
	s := "edge probes went through the proxy " + proxy + " (unless NO_PROXY names the host)"
	if origin != "" {
		s += "; origin probes went straight to " + origin + ", never through it"
	}
	return s
}
