// Package redact owns secret handling for everything wp403 stores or
// prints: application passwords, login passwords, cookies and nonces.
// Sources redact what they record (headers, URLs, form bodies), and a
// Scrubber holding the run's known secrets is the last safety net applied
// to every rendered byte.
package redact
