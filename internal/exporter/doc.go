// Package exporter watches a fleet of WordPress sites: a Prometheus
// exporter in the multi-target pattern (as blackbox_exporter), and the
// one-off fleet run behind wp403 check --targets.
//
// # Design
//
// Prometheus is the scheduler and the database. Each scrape of
// /probe?target=NAME runs one configured site's REST access policy
// (policy.Runner, the code behind wp403 check) or, for a site without
// rules, diagnose's default plan, into a fresh registry, and answers with
// that probe's metrics only. Only configured sites can be probed: an
// unknown target is refused before any request is sent. Scaling out is
// more exporter replicas sharded by Prometheus relabelling (hashmod).
//
// Label values are bounded: rule, identity and route names come from the
// configuration (a route a probe saw but the policy does not name is
// "other"), and layer, mechanism and vendor from closed vocabularies
// (record.Layers, record.Mechanisms, the signature database's vendors).
//
// Reports of recent probes are kept, scrubbed and compressed, in a
// bounded ring (and the newest failing one per site), and rendered by
// the report package's HTML renderer on the status page.
//
// Concurrency is bounded twice: at most MaxProbes probes run at once,
// and at most PerHost probes per host (the address a site's requests go
// to), each of which keeps diagnose's own per-host request limit.
package exporter
