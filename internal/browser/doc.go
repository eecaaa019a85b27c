// Package browser starts Debian's headless Chromium for wp403: the
// real-browser retest of the block editor (wp403 retest --browser) and the
// checks that render reports in a real browser. It owns finding the binary
// and the flags that keep the browser quiet: a private profile, no
// background traffic, no component updates, no sync, so that the only
// requests it sends are the ones the page makes.
package browser
