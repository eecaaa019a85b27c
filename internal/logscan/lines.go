package logscan

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// DefaultMaxLine is the longest line kept whole. Longer lines are skipped
// (and counted), so one runaway line cannot grow memory.
const DefaultMaxLine = 1 << 20

// lineReader reads lines with a hard cap on their length. The returned
// slice is only valid until the next call.
type lineReader struct {
	br      *bufio.Reader
	max     int
	buf     []byte
	n       int // line number of the last line returned
	tooLong int // lines skipped because they exceeded max
}

func newLineReader(r io.Reader, max int) *lineReader {
	if max <= 0 {
		max = DefaultMaxLine
	}
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10), max: max}
}

// next returns the next line without its line ending, or io.EOF.
func (lr *lineReader) next() ([]byte, error) {
	for {
		line, err := lr.br.ReadSlice('\n')
		if err == nil || (err == io.EOF && len(line) > 0) {
			lr.n++
			if len(line) > lr.max+2 {
				lr.tooLong++
				continue
			}
			return trimEOL(line), nil
		}
		if err != bufio.ErrBufferFull {
			return nil, err
		}
		full, ok, err := lr.long(line)
		if err != nil && err != io.EOF {
			return nil, err
		}
		lr.n++
		if ok {
			return trimEOL(full), nil
		}
		lr.tooLong++
	}
}

// long assembles a line longer than the bufio buffer, up to max; beyond
// that it discards the rest of the line and reports ok=false.
func (lr *lineReader) long(first []byte) ([]byte, bool, error) {
	lr.buf = append(lr.buf[:0], first...)
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if len(lr.buf)+len(chunk) <= lr.max {
			lr.buf = append(lr.buf, chunk...)
		} else {
			lr.buf = lr.buf[:0]
			return nil, false, lr.discard(err)
		}
		switch err {
		case nil, io.EOF:
			return lr.buf, true, err
		case bufio.ErrBufferFull:
			continue
		default:
			return nil, false, err
		}
	}
}

func (lr *lineReader) discard(err error) error {
	for err == bufio.ErrBufferFull {
		_, err = lr.br.ReadSlice('\n')
	}
	if err == io.EOF {
		return nil
	}
	return err
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// decompress wraps r in a gzip reader when it starts with the gzip magic.
func decompress(br *bufio.Reader) (io.Reader, error) {
	magic, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read header: %w", err)
	}
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("a truncated or damaged gzip file (%w)", err)
		}
		zr.Multistream(true)
		return zr, nil
	}
	return br, nil
}
