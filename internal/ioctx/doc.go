// Package ioctx stops reads when a context is done, so Ctrl-C ends the
// reading of a large file (a HAR export, a log) promptly.
package ioctx
