package ioctx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
)

// TestReaderStops: reads pass through in chunks of at most a MiB until
// the context is done, then fail with its error.
func TestReaderStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := Reader(ctx, bytes.NewReader(make([]byte, 3<<20)))
	buf := make([]byte, 2<<20)
	if n, err := r.Read(buf); n != maxChunk || err != nil {
		t.Fatalf("first read: %d, %v; want %d bytes", n, err, maxChunk)
	}
	cancel()
	if _, err := io.ReadAll(r); !errors.Is(err, context.Canceled) {
		t.Fatalf("read after cancel: %v, want context.Canceled", err)
	}
}
