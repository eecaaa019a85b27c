package labkit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// LockEnv is exported to child processes while this process holds the lab lock,
// so that lab/scenario does not wait for a lock its own parent holds.
const LockEnv = "WP403_LAB_LOCK_HELD"

// Lock takes the lab lock (lab/.state/lock, flock) so that no other process
// switches scenarios until unlock is called. Hold it around a Switch and the
// requests that depend on it; lab/verify holds it for its whole run. It waits
// until ctx is done.
func (l *Lab) Lock(ctx context.Context) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(l.dir, ".state", "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lab lock: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("wait for lab lock: %w", ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
	prev, had := os.LookupEnv(LockEnv)
	os.Setenv(LockEnv, "1")
	return func() {
		if had {
			os.Setenv(LockEnv, prev)
		} else {
			os.Unsetenv(LockEnv)
		}
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
