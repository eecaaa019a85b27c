package har

import (
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

// walker streams a HAR document: log.creator/browser are read, each
// log.entries element is read alone (bounded: see jsonscan.go) and handed
// to fn, everything else is skipped without being held. Memory is bounded
// whatever the file holds.
type walker struct {
	sc    *scanner
	meta  harLog
	index int // entries read so far
	fn    func(i int, e *entry, why string) error
	fnErr error // an error of fn, returned as it is
	// entryBudget, when set, bounds each entry instead of the default.
	entryBudget func() *budget
}

// walk reads the document and calls fn for every entry, in file order;
// why is non-empty for an entry that could not be used (a number out of
// range, a field of the wrong type).
func walk(r io.Reader, fn func(i int, e *entry, why string) error) (harLog, int, error) {
	w := &walker{sc: newScanner(r), fn: fn}
	err := w.document()
	var fe *FormatError
	if err != nil && err != w.fnErr && !errors.As(err, &fe) {
		err = w.fail(err)
	}
	return w.meta, w.index, err
}

func (w *walker) fail(err error) error {
	return &FormatError{Offset: w.sc.off, Entry: -1, Err: unexpected(err)}
}

func (w *walker) document() error {
	if err := w.sc.expect('{'); err != nil {
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
	if err := w.sc.expect('{'); err != nil {
		return err
	}
	return w.object(func(key string) error {
		switch key {
		case "creator":
			return w.nameVersion(&w.meta.Creator)
		case "browser":
			return w.nameVersion(&w.meta.Browser)
		case "entries":
			return w.entries()
		}
		return w.skip()
	})
}

func (w *walker) nameVersion(nv *nameVersion) error {
	v, err := w.sc.value(0, &budget{bytes: 4096, members: 64})
	d := &decoder{}
	nv.Name, nv.Version = d.str(v.member("name"), "name"), d.str(v.member("version"), "version")
	return err
}

func (w *walker) entries() error {
	if err := w.sc.expect('['); err != nil {
		return err
	}
	for first := true; ; first = false {
		more, err := w.sc.more(']', first)
		if err != nil || !more {
			return err
		}
		b := &budget{bytes: maxEntryBytes, members: 16 * maxMembers}
		if w.entryBudget != nil {
			b = w.entryBudget()
		}
		v, err := w.sc.value(1, b)
		if err != nil {
			return &FormatError{Offset: w.sc.off, Entry: w.index, Err: unexpected(err)}
		}
		e, why := entryOf(&v)
		i := w.index
		w.index++
		if err := w.fn(i, &e, why); err != nil {
			w.fnErr = err
			return err
		}
	}
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// object calls fn for each key, with the scanner before the value.
func (w *walker) object(fn func(key string) error) error {
	for first := true; ; first = false {
		more, err := w.sc.more('}', first)
		if err != nil || !more {
			return err
		}
		if err := w.sc.expect('"'); err != nil {
			return err
		}
		k, err := w.sc.str(256)
		if err != nil {
			return err
		}
		if err := w.sc.expect(':'); err != nil {
			return err
		}
		if err := fn(k.s); err != nil {
			return err
		}
	}
}

// skip reads one value without keeping any of it, so a large "pages"
// array, an unknown extension or one huge string costs no memory.
func (w *walker) skip() error {
	_, err := w.sc.value(0, nil)
	return err
}
