// Package har owns reading browser HAR 1.2 exports (Chrome, Firefox,
// Safari): it streams the file entry by entry with bounded memory, keeps
// the WordPress REST requests (/wp-json/ or a discovered prefix,
// ?rest_route=, admin-ajax.php?action=rest-nonce), turns each into a
// redacted record.Observation (vantage "har"), labels what the block
// editor was doing (load, save, autosave, nonce refresh, media upload, …)
// and names the request that failed first.
//
// Cookies, nonces (headers, _wpnonce parameters, the rest-nonce body,
// wpApiSettings and apiFetch nonces inlined in HTML) and Authorization
// never leave this package. A truncated or invalid file is an error with
// its byte offset and entry index; what was readable is still returned.
package har
