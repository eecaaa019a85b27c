// Package har owns reading browser HAR 1.2 exports (Chrome, Firefox,
// Safari): it streams the file entry by entry with bounded memory, keeps
// the WordPress REST requests (/wp-json/ or a discovered prefix,
// ?rest_route=, admin-ajax.php?action=rest-nonce), turns each into a
// redacted record.Observation (vantage "har"), labels what the block
// editor was doing (load, save, autosave, nonce refresh, media upload, …)
// and names the request that failed first.
//
// Memory is bounded whatever the export holds: a streaming JSON reader
// (jsonscan.go) never holds a skipped value and keeps only the first bytes
// of each string; at most MaxObservations requests are kept in detail
// (every one is counted in the route summaries), with bounded bodies; an
// entry with an out-of-range number is skipped and counted. Pick streams an
// export for the one entry a WAF replay needs.
//
// Cookies, nonces (headers, _wpnonce parameters, the rest-nonce body,
// wpApiSettings and apiFetch nonces inlined in HTML) and Authorization
// never leave this package. A truncated or invalid file is an error with
// its byte offset and entry index; what was readable is still returned.
package har
