// Package logscan owns reading the evidence that servers, WAFs and CDNs
// already wrote: nginx and Apache access and error logs, ModSecurity (v2
// and v3) and Coraza audit logs, HAProxy's HTTP log, and the logs of edges,
// CDNs and cloud WAFs (edge*.go: Cloudflare http_requests, firewall
// events and their CSV export, AWS WAF, Google Cloud Armor, Azure Front
// Door and Application Gateway WAF, Akamai SIEM, Fastly and its Next-Gen
// WAF, Sucuri, Caddy, Traefik; Varnish and LiteSpeed write the access
// format). An edge's record is matched to a refusal by the request id the
// edge put on its answer (EdgeIDs), and names the edge rule. It detects the format of each file (plain or gzip),
// streams it with bounded memory, turns each request into a
// record.LogEntry, summarises refused REST requests, and attaches entries
// to live observations (Correlate; a Matcher keeps, while logs stream
// past, only the entries that can belong to given observations, so
// diagnose --log and har --log never hold a whole log).
//
// Lines that do not parse are counted and sampled, never fatal. Secrets
// (cookies, nonces, Authorization) never leave this package: request
// headers are reduced to Host, User-Agent and the request id, secret
// query parameters (_wpnonce, passwords) are masked in URIs, rule data
// that quotes a secret variable is masked, and samples of unparsed lines
// are scrubbed.
//
// It imports only record and redact from this module.
package logscan
