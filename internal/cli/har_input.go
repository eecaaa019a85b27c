package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/wp403/wp403/internal/finish"
	"github.com/wp403/wp403/internal/har"
	"github.com/wp403/wp403/internal/report"
	"github.com/wp403/wp403/internal/source"
)

// Help is the detail 'wp403 har --help' prints: how to export a HAR.
func (harCmd) Help() string {
	return `Recording: open the browser's developer tools on the Network panel before you reproduce the failure, keep the log across page loads (Chrome and Edge: "Preserve log"; Firefox: "Persist Logs"; Safari: "Preserve Log"), do what fails (save the post), then export.

Chrome, Edge: right-click the request list, "Save all as HAR (sanitized)". Since Chrome 130 that is the default export: it drops the Cookie, Set-Cookie and Authorization headers, so wp403 cannot see whether the login cookie or an application password was sent (statuses, the X-WP-Nonce header and bodies stay, and most verdicts need only those). To include them, enable "Allow to generate HAR with sensitive data" in DevTools Settings > Preferences > Network and use "Save all as HAR (with sensitive data)".

Firefox: right-click the request list (or the gear menu), "Save All As HAR"; cookies and headers are included.

Safari: Develop > Show Web Inspector > Network, "Export"; cookies and headers are included.

A full export holds your session: wp403 masks cookies, nonces and passwords in everything it prints or writes, but delete the file when done. .har.gz is read too.

The report lists the failed write (what the editor reported as failing) first. Exit 3 when a REST request was refused, 0 when none was, 2 when the file is not a HAR.`
}

// read reads the HAR. Input that is not a HAR at all (another JSON
// document, a wp403 report, an empty file, a HAR with no entries) is a
// usage error; a HAR damaged after some entries is reported as far as
// it goes, with the error.
func (c *harCmd) read(rc *runContext) (*har.Result, error) {
	path := resolvePath(rc.io.Env, c.File)
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, usagef("%v; want a HAR file exported from the browser (see wp403 har --help)", err)
	case fi.IsDir():
		return nil, usagef("%s is a directory; want a HAR file exported from the browser", c.File)
	}
	res, readErr := har.ReadFile(path, har.Options{Prefix: c.RESTPrefix, Classifier: classifier(), Context: ctxOf(rc)})
	var fe *har.FormatError
	switch {
	case errors.Is(readErr, context.Canceled):
		return nil, errInterrupted
	case res == nil:
		return nil, usagef("%s: not a HAR file (%v)", c.File, readErr)
	case readErr != nil && !errors.As(readErr, &fe):
		return nil, readErr
	case readErr != nil && res.Entries == 0:
		return nil, usagef("%s: not a HAR file (%s)%s", c.File, harReason(fe), wp403Hint(path))
	case res.Entries == 0:
		return nil, usagef("%s: the HAR holds no requests; record again with the network panel open while you reproduce the failure", c.File)
	}
	return res, readErr
}

// harReason says briefly why a file is not a HAR.
func harReason(fe *har.FormatError) string {
	msg := fe.Err.Error()
	switch {
	case strings.HasPrefix(msg, "gzip header"):
		return "a truncated or damaged gzip file"
	case strings.Contains(msg, "EOF") && fe.Offset == 0:
		return "the file is empty"
	case strings.Contains(msg, "expected \"{\", found [") || strings.Contains(msg, "expected '{', found '['"):
		return "a JSON array, not a HAR object"
	case strings.Contains(msg, "expected \"{\"") || strings.Contains(msg, "expected '{'"):
		return "not JSON; a HAR export is a JSON document starting with {\"log\": …}"
	case strings.Contains(msg, "no \"log\" object"):
		return "JSON without a \"log\" object"
	}
	return fmt.Sprintf("at byte %d: %s", fe.Offset, msg)
}

// wp403Hint recognises a wp403 report given where a HAR belongs.
func wp403Hint(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	if strings.Contains(string(head[:n]), `"schema": "wp403.report/`) || strings.Contains(string(head[:n]), `"schema":"wp403.report/`) {
		return "; it is a wp403 report: re-render it with wp403 report, or send it again with wp403 retest"
	}
	return ""
}

// noREST answers a HAR that holds no REST request: there is nothing to
// diagnose, which is not the same as "nothing was refused".
func (c *harCmd) noREST(rc *runContext, res *har.Result) error {
	prefix := res.Prefix
	msg := fmt.Sprintf("%s: %s, none of them a WordPress REST request (%s… or ?rest_route=); nothing to diagnose. "+
		"If the site's REST prefix is not %s, give --rest-prefix; if the export was filtered, export all requests.",
		c.File, count(res.Entries, "request"), prefix, prefix)
	if c.Format != "" && c.Format != "text" || (c.Output != "" && formatFromExt(c.Output) != "text") {
		rep := finish.Report(rc.ctx, source.HAR(res, nil), finish.Stages{})
		rep.Notes = append([]string{msg}, rep.Notes...)
		return renderReport(rc, rep, c.outputFlags, envScrubber(rc.io.Env))
	}
	_, err := fmt.Fprintln(rc.io.Out, report.EscapeControl(msg))
	return err
}
