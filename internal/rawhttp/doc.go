// Package rawhttp reads one saved HTTP exchange as a support engineer
// receives it: the raw response printed by `curl -i` (optionally after
// 1xx, proxy CONNECT or redirect blocks), a `curl -v` trace with "> "
// request lines and "< " response lines, or one HAR entry (a bare entry or
// a HAR file holding exactly one, converted by internal/har). It returns
// record types.
//
// Every read is bounded: the input, the header block, the number of header
// lines and the body are capped, and errors name the line they refer to.
package rawhttp
