package rawhttp

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/wp403/wp403/internal/har"
)

// harFile holds the entries of a HAR 1.2 file; everything else is ignored.
type harFile struct {
	Log *struct {
		Entries []json.RawMessage `json:"entries"`
	} `json:"log"`
}

// parseHAR reads a HAR file with exactly one entry, or one bare entry,
// and converts the entry with internal/har (bounded body, secrets
// redacted, REST route recognised).
func parseHAR(data []byte) (*Exchange, error) {
	var f harFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("parse HAR: %w", jsonErr(data, err))
	}
	raw := data
	if f.Log != nil {
		if n := len(f.Log.Entries); n != 1 {
			return nil, fmt.Errorf("HAR has %d entries; classify takes a HAR with exactly one (export the failing request only)", n)
		}
		raw = f.Log.Entries[0]
	}
	o, err := har.ParseEntry(raw)
	if err != nil {
		return nil, err
	}
	if o.Response == nil {
		why := "no HTTP status"
		if o.Error != "" {
			why = string(o.Failure) + ": " + o.Error
		}
		return nil, fmt.Errorf("HAR entry has no response (%s): the browser got no answer to classify", why)
	}
	if o.Response.Status < 100 || o.Response.Status > 999 {
		return nil, fmt.Errorf("HAR response status %d is not an HTTP status", o.Response.Status)
	}
	req := o.Request
	dropPseudo(req.Header)
	dropPseudo(o.Response.Header)
	return finish(&Exchange{Format: FormatHAR, Request: &req, Response: o.Response}), nil
}

// dropPseudo removes HTTP/2 pseudo-headers (":status") from a header map.
func dropPseudo(h map[string][]string) {
	for k := range h {
		if strings.HasPrefix(k, ":") {
			delete(h, k)
		}
	}
}

// jsonErr adds the line number of a JSON syntax error.
func jsonErr(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset <= int64(len(data)) {
		line := 1 + strings.Count(string(data[:se.Offset]), "\n")
		return fmt.Errorf("line %d: %w", line, err)
	}
	return err
}
