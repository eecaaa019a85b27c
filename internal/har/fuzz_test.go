package har

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// FuzzRead: any input either reads or fails with a FormatError; never a
// panic, and what was read is always returned.
func FuzzRead(f *testing.F) {
	raw := fixture(f, "chromium-waf-save.har.gz")
	var doc struct {
		Log struct{ Entries []json.RawMessage } `json:"log"`
	}
	json.Unmarshal(raw, &doc)
	for _, i := range []int{93, 110, 113} {
		f.Add([]byte(`{"log":{"creator":{"name":"WebInspector"},"entries":[` + string(doc.Log.Entries[i]) + `]}}`))
	}
	f.Add([]byte(`{"log":{"entries":[{"request":{"method":"GET","url":"/?rest_route=/"},"response":{"status":0,"_error":"net::ERR_BLOCKED_BY_CLIENT"}}]}}`))
	f.Add([]byte(`{"log":{"pages":[{"x":[1,2,{"y":null}]}],"entries":[]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Read(bytes.NewReader(b), "fuzz", Options{})
		var fe *FormatError
		if err != nil && !errors.As(err, &fe) {
			t.Fatalf("error is not a FormatError: %v", err)
		}
		if res == nil {
			t.Fatal("no result")
		}
		if res.FirstFailure != "" && byID(res, res.FirstFailure) == nil {
			t.Fatalf("first failure %s is not an observation", res.FirstFailure)
		}
	})
}

func FuzzParseEntry(f *testing.F) {
	raw := fixture(f, "chromium-waf-save.har.gz")
	var doc struct {
		Log struct{ Entries []json.RawMessage } `json:"log"`
	}
	json.Unmarshal(raw, &doc)
	for _, i := range []int{0, 110, 113} {
		f.Add([]byte(doc.Log.Entries[i]))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := ParseEntry(b)
		if err == nil && (o.Request.Method == "" || o.Vantage != "har") {
			t.Fatalf("parsed an incomplete observation: %+v", o)
		}
	})
}
