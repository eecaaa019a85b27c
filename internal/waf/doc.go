// Package waf replays one HTTP request through an in-process WAF — Coraza
// with the OWASP Core Rule Set embedded from coraza-coreruleset — and says
// which rules matched, on which target (ARGS:json.content), with what
// anomaly score, and whether the request would be blocked.
//
// It owns the engine configuration (paranoia level, anomaly threshold,
// body processor, the user's own rule or exclusion files loaded before or
// after the CRS), the build cache (one compiled WAF per configuration) and
// the translation of Coraza matches into record.WAFResult. It never sends
// anything on the network.
//
// The replay is CRS 4 as Coraza runs it. When the real server runs CRS 3
// or libmodsecurity / mod_security2, WAFResult.Approximate says so: rule
// ids usually agree, scores and messages may not, and ModSecurity v2 names
// JSON body arguments ARGS:content where Coraza says ARGS:json.content.
package waf
