// Package record owns the single output schema of wp403: the types that
// every source (live probes, HAR files, logs) fills in, that the verdict
// engine reasons over, and that every renderer (text, JSON, Markdown, HTML,
// JUnit) reads. It holds types and their closed vocabularies only, no logic
// beyond small helpers, and imports nothing else from this module.
//
// The JSON form of Report is versioned by SchemaVersion and documented in
// docs/schema.md. Additive changes keep the version; anything that changes
// the meaning of an existing field bumps it.
package record
