// Package probe owns sending one HTTP request and recording what happened
// as a record.Observation: dialing the edge (optionally pinned with
// --resolve) or the origin address while keeping the site's Host header and
// TLS server name, never following redirects, reading bounded bodies within
// a deadline, timing with httptrace, classifying transport failures into
// record's closed Failure vocabulary, and being polite to the site
// (per-host concurrency, 429/Retry-After).
//
// Credentials are only attached to requests whose host is the target host;
// the caller decides what to send, this package enforces where.
package probe
