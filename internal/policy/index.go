package policy

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/wp403/wp403/internal/diagnose"
	"github.com/wp403/wp403/internal/probe"
	"github.com/wp403/wp403/internal/record"
)

// RouteIndex is the site's REST route index: every registered route
// pattern and the methods it accepts.
type RouteIndex struct {
	Routes     []IndexRoute
	Namespaces []string
	partial    bool // some patterns could not be compiled
}

// IndexRoute is one registered route.
type IndexRoute struct {
	Pattern   string
	Namespace string
	Methods   []string
	re        *regexp.Regexp
}

// indexLimit bounds the index body (a site with many plugins sends MBs).
const indexLimit = 16 << 20

// FetchIndex reads the full route index anonymously from the REST root,
// with the network settings of cfg.
func FetchIndex(ctx context.Context, cfg diagnose.Config, restRoot string) (*RouteIndex, error) {
	u, err := url.Parse(restRoot)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("route index: bad REST root %q", restRoot)
	}
	// the same client settings as a diagnosis (system roots plus --cacert)
	pc, err := diagnose.ClientConfig(cfg, u.Hostname())
	if err != nil {
		return nil, fmt.Errorf("route index: %w", err)
	}
	pc.MaxBody, pc.ReadLimit = indexLimit, indexLimit
	client, err := probe.New(pc)
	if err != nil {
		return nil, fmt.Errorf("route index: %w", err)
	}
	defer client.Close()
	ua := cfg.UserAgent
	if ua == "" {
		ua = probe.DefaultUserAgent
	}
	o := client.Do(ctx, probe.Request{ID: "index", Probe: "route-index", Vantage: record.VantageEdge, Method: http.MethodGet,
		URL: restRoot, Header: http.Header{"Accept": {"application/json"}, "User-Agent": {ua}}})
	if o.Status() != http.StatusOK || o.Response.BodyTruncated {
		return nil, fmt.Errorf("route index: %s answered %s", restRoot, statusText(&o))
	}
	return ParseIndex([]byte(o.Response.Body))
}

// ParseIndex reads the JSON of the REST index.
func ParseIndex(body []byte) (*RouteIndex, error) {
	var doc struct {
		Namespaces []string `json:"namespaces"`
		Routes     map[string]struct {
			Namespace string   `json:"namespace"`
			Methods   []string `json:"methods"`
		} `json:"routes"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("route index: %w", err)
	}
	ix := &RouteIndex{Namespaces: doc.Namespaces}
	for pattern, r := range doc.Routes {
		re, err := regexp.Compile("^" + pattern + "$")
		if err != nil {
			ix.partial = true
			continue
		}
		ix.Routes = append(ix.Routes, IndexRoute{Pattern: pattern, Namespace: r.Namespace, Methods: r.Methods, re: re})
	}
	sort.Slice(ix.Routes, func(i, j int) bool { return ix.Routes[i].Pattern < ix.Routes[j].Pattern })
	return ix, nil
}

// Has reports whether a route (query ignored) is registered, and is true
// when that cannot be told.
func (ix *RouteIndex) Has(route string) bool {
	path, _, _ := strings.Cut(route, "?")
	for _, r := range ix.Routes {
		if r.re.MatchString(path) {
			return true
		}
	}
	return ix.partial
}

// Count returns how many routes a namespace registers.
func (ix *RouteIndex) Count(ns string) int {
	n := 0
	for _, r := range ix.Routes {
		if r.Namespace == ns {
			n++
		}
	}
	return n
}
