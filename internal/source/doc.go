// Package source turns what a reader produced — a HAR file (internal/har),
// retest --browser's recordings (internal/browser), a saved capture of
// observations — into finish.Evidence: the target, the observations and
// the focus. Live probing (internal/diagnose) is the other source. Every
// source hands its evidence to the one finish (internal/finish), so the
// same observations give the same findings whatever read them.
package source
