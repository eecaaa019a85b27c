package ioctx

import (
	"context"
	"io"
)

// maxChunk bounds one Read, so cancellation is checked at least once a
// MiB however large the caller's buffer.
const maxChunk = 1 << 20

// Reader returns r that fails with the context's error once ctx is done.
func Reader(ctx context.Context, r io.Reader) io.Reader { return reader{ctx: ctx, r: r} }

type reader struct {
	ctx context.Context
	r   io.Reader
}

func (c reader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p[:min(len(p), maxChunk)])
}
