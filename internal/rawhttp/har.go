package rawhttp

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// harHeader, harEntry and harFile hold the few HAR 1.2 fields classify
// needs; unknown fields are ignored.
type harHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harEntry struct {
	Request *struct {
		Method  string      `json:"method"`
		URL     string      `json:"url"`
		Headers []harHeader `json:"headers"`
	} `json:"request"`
	Response *struct {
		Status      int         `json:"status"`
		HTTPVersion string      `json:"httpVersion"`
		Headers     []harHeader `json:"headers"`
		Content     struct {
			Size     int64  `json:"size"`
			Text     string `json:"text"`
			Encoding string `json:"encoding"`
		} `json:"content"`
	} `json:"response"`
}

type harFile struct {
	Log *struct {
		Entries []json.RawMessage `json:"entries"`
	} `json:"log"`
}

// parseHAR reads a HAR file with exactly one entry, or one bare entry.
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
	var e harEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, fmt.Errorf("parse HAR entry: %w", jsonErr(raw, err))
	}
	if e.Response == nil {
		return nil, errors.New("HAR entry has no response")
	}
	return harExchange(&e)
}

func harExchange(e *harEntry) (*Exchange, error) {
	r := e.Response
	if r.Status < 100 || r.Status > 999 {
		return nil, fmt.Errorf("HAR response status %d is not an HTTP status (blocked or failed in the browser?)", r.Status)
	}
	resp := &record.HTTPResponse{Status: r.Status, Proto: r.HTTPVersion, Header: harHeaders(r.Headers)}
	body := []byte(r.Content.Text)
	if strings.EqualFold(r.Content.Encoding, "base64") {
		dec, err := base64.StdEncoding.DecodeString(r.Content.Text)
		if err != nil {
			return nil, fmt.Errorf("decode HAR base64 body: %w", err)
		}
		body = dec
	}
	setBody(resp, body)
	x := &Exchange{Format: FormatHAR, Response: resp}
	if q := e.Request; q != nil {
		x.Request = &record.HTTPRequest{Method: q.Method, URL: q.URL, Header: harHeaders(q.Headers), Auth: record.AuthNone}
	}
	return finish(x), nil
}

func harHeaders(hs []harHeader) map[string][]string {
	h := make(map[string][]string, len(hs))
	for i, x := range hs {
		if i >= MaxHeaderLines {
			break
		}
		if x.Name == "" || strings.HasPrefix(x.Name, ":") { // HTTP/2 pseudo-headers
			continue
		}
		h[x.Name] = append(h[x.Name], x.Value)
	}
	return h
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
