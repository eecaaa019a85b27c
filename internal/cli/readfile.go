package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/wp403/wp403/internal/ioctx"
)

// readLimited reads a user-given file whole, but never more than limit
// bytes (it reads limit+1 to tell a larger file), and stops when ctx is
// done: /dev/zero or a huge file is refused at once instead of filling
// memory.
func readLimited(ctx context.Context, path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(ioctx.Reader(ctx, f), limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %s", path, sizeName(limit))
	}
	return b, nil
}

func sizeName(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
