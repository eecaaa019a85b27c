package har

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// FormatError says where a HAR file stopped being readable.
type FormatError struct {
	Offset int64 // byte offset in the file
	Entry  int   // index of the entry being read (0-based); -1 outside entries
	Err    error
}

func (e *FormatError) Error() string {
	where := fmt.Sprintf("at byte %d", e.Offset)
	if e.Entry >= 0 {
		where += fmt.Sprintf(" (entry %d)", e.Entry)
	}
	return "invalid HAR " + where + ": " + e.Err.Error()
}

func (e *FormatError) Unwrap() error { return e.Err }

// walker streams a HAR document: log.creator/browser are decoded, each
// log.entries element is decoded alone and handed to fn, everything else
// is skipped token by token. Memory is bounded by the largest entry, not
// by the file.
type walker struct {
	dec   *json.Decoder
	meta  harLog
	index int // entries decoded so far
	fn    func(i int, e *entry) error
	fnErr error // an error of fn, returned as it is
}

// walk reads the document and calls fn for every entry, in file order.
func walk(r io.Reader, fn func(i int, e *entry) error) (harLog, int, error) {
	w := &walker{dec: json.NewDecoder(bufio.NewReaderSize(r, 256<<10)), fn: fn}
	err := w.document()
	var fe *FormatError
	if err != nil && err != w.fnErr && !errors.As(err, &fe) {
		err = w.fail(err)
	}
	return w.meta, w.index, err
}

func (w *walker) fail(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return &FormatError{Offset: w.dec.InputOffset(), Entry: -1, Err: err}
}

func (w *walker) document() error {
	if err := w.delim('{'); err != nil {
		return err
	}
	found := false
	err := w.object(func(key string) error {
		if key != "log" {
			return w.skip()
		}
		found = true
		return w.log()
	})
	if err == nil && !found {
		return w.fail(errors.New(`no "log" object: not a HAR file`))
	}
	return err
}

func (w *walker) log() error {
	if err := w.delim('{'); err != nil {
		return err
	}
	return w.object(func(key string) error {
		switch key {
		case "creator":
			return w.dec.Decode(&w.meta.Creator)
		case "browser":
			return w.dec.Decode(&w.meta.Browser)
		case "entries":
			return w.entries()
		}
		return w.skip()
	})
}

func (w *walker) entries() error {
	if err := w.delim('['); err != nil {
		return err
	}
	for w.dec.More() {
		var e entry
		if err := w.dec.Decode(&e); err != nil {
			return &FormatError{Offset: w.dec.InputOffset(), Entry: w.index, Err: unexpected(err)}
		}
		i := w.index
		w.index++
		if err := w.fn(i, &e); err != nil {
			w.fnErr = err
			return err
		}
	}
	_, err := w.dec.Token() // ]
	return err
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// object calls fn for each key, with the decoder before the value.
func (w *walker) object(fn func(key string) error) error {
	for w.dec.More() {
		t, err := w.dec.Token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		if err := fn(key); err != nil {
			return err
		}
	}
	_, err := w.dec.Token() // }
	return err
}

func (w *walker) delim(want json.Delim) error {
	t, err := w.dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q, found %v", want, t)
	}
	return nil
}

// skip consumes one value token by token, so a large "pages" array or an
// unknown extension does not have to fit in memory.
func (w *walker) skip() error {
	depth := 0
	for {
		t, err := w.dec.Token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}
