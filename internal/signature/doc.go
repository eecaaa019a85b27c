// Package signature owns the signature database and the classification of
// one HTTP response: which layer (edge, WAF, web server, PHP handler,
// WordPress core, plugin) provably wrote it, whether it is a refusal, which
// vendor markers matched and the vendor's incident id.
//
// The database is data, not code: YAML files under data/ are embedded in
// the binary, loaded and validated once by Default, and compiled into
// matchers (status lists, header and cookie markers, body literals and
// regexes, WordPress WP_Error codes and messages). Each signature is either
// a presence marker (the layer is on the path; never a refusal on its own)
// or a refusal marker (the layer itself refused), and cites its source.
//
// Generic reasoning covers what no signature names: whether WordPress's REST
// server headers are present, the WP_Error JSON shape, wp_die pages, the
// stock error templates of common servers recognised by their structure,
// empty bodies and custom HTML. Classify is pure and reads at most
// MaxBody bytes of a body.
//
// Precision: a page's text proves a vendor refusal only on an error status
// (or a status the signature declares, for vendors that serve challenges
// with 200) and never inside a WordPress theme page (theme.go); phrases are
// matched after case folding and HTML-entity and typographic normalisation
// (text.go). An error page that loads one plugin's assets names that
// plugin; an unbranded page relayed by a CDN or proxy is not theirs.
package signature
