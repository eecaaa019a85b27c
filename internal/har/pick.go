package har

import (
	"errors"
	"fmt"
	"io"
)

// Field is a name and a value (a header, a form parameter).
type Field struct {
	Name, Value string
}

// Picked is one entry's request as the export recorded it, for replaying
// it elsewhere (wp403 waf replay --har).
type Picked struct {
	Index    int // 0-based
	Method   string
	URL      string
	Headers  []Field
	MimeType string  // of the posted body
	Body     string  // posted text, at most the maxBody given to Pick
	BodyCut  bool    // the posted text was longer than maxBody
	Params   []Field // posted form parameters when the text is absent
}

var errPicked = errors.New("picked")

// Pick streams an export and returns entry n (0-based); n < 0 picks the
// first entry answered 401, 403 or 406. One entry is held at a time, each
// of its strings at most maxBody bytes, whatever the size of the file.
func Pick(r io.Reader, n int, maxBody int) (Picked, error) {
	r, err := gunzip(r)
	if err != nil {
		return Picked{}, err
	}
	var got Picked
	found := false
	w := &walker{sc: newScanner(r), entryBudget: func() *budget {
		return &budget{bytes: maxBody + maxEntryBytes, members: 16 * maxMembers, str: maxBody}
	}}
	w.fn = func(i int, e *entry, why string) error {
		s := e.Response.Status
		if i == n && why != "" {
			return fmt.Errorf("entry %d cannot be used: %s", i, why)
		}
		if why != "" || !(i == n || n < 0 && (s == 401 || s == 403 || s == 406)) {
			return nil
		}
		got, found = picked(i, e), true
		return errPicked
	}
	err = w.document()
	switch {
	case found:
		return got, nil
	case err != nil && err != errPicked:
		return Picked{}, fmt.Errorf("parse har: %w", err)
	case n < 0:
		return Picked{}, fmt.Errorf("har: none of %d entries was refused (401/403/406); pick one with --entry", w.index)
	}
	return Picked{}, fmt.Errorf("har: entry %d does not exist (%d entries)", n, w.index)
}

func picked(i int, e *entry) Picked {
	p := Picked{Index: i, Method: e.Request.Method, URL: e.Request.URL}
	for _, h := range e.Request.Headers {
		p.Headers = append(p.Headers, Field(h))
	}
	if pd := e.Request.PostData; pd != nil {
		p.MimeType, p.Body, p.BodyCut = pd.MimeType, pd.Text.S, pd.Text.Truncated
		for _, f := range pd.Params {
			p.Params = append(p.Params, Field(f))
		}
	}
	return p
}
