// Package policy owns "keep it fixed": the REST access policy file (which
// routes × methods × identities must be allowed and which must stay
// denied), its loader and validation, the built-in profiles (block
// editor, integration, public), running a policy against a site through
// the diagnose engine (wp403 check), drafting a policy from what holds now
// (wp403 policy init), sending the failing requests of an earlier report
// again (wp403 retest), and comparing two reports (wp403 diff).
//
// Secrets are never part of a policy: identities name environment
// variables or files, which the caller resolves.
package policy
