package labtest

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/labkit"
)

// lockWait bounds the wait for another test or lab/verify to finish.
const lockWait = 20 * time.Minute

// Acquire returns the running lab with its lock held until t ends.
func Acquire(t testing.TB) *labkit.Lab {
	t.Helper()
	switch {
	case os.Getenv("WP403_LAB") == "0":
		t.Skip("integration tests skipped: WP403_LAB=0")
	case testing.Short():
		t.Skip("integration tests skipped: -short")
	}
	lab := load(t)
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	unlock, err := lab.Lock(ctx)
	if err != nil {
		t.Fatalf("lab lock: %v", err)
	}
	t.Cleanup(unlock)
	return load(t) // the lab may have gone down while we waited
}

func load(t testing.TB) *labkit.Lab {
	t.Helper()
	lab, err := labkit.Load()
	switch {
	case err == nil:
		return lab
	case errors.Is(err, labkit.ErrNotUp) && os.Getenv("WP403_LAB") != "1":
		t.Skipf("integration tests skipped: %v", err)
	default:
		t.Fatalf("lab: %v", err)
	}
	return nil
}
