package waf

import (
	"context"
	"testing"
)

// BenchmarkBuild measures compiling the full embedded CRS at PL1.
func BenchmarkBuild(b *testing.B) {
	for b.Loop() {
		if _, err := New(Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplay measures replays of a blocked block-editor save;
// replays/s = 1e9 / ns/op (per goroutine, see -cpu).
func BenchmarkReplay(b *testing.B) {
	e, err := Shared(Options{})
	if err != nil {
		b.Fatal(err)
	}
	req := jsonReq("POST", "/wp-json/wp/v2/posts/1", editorSave)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if res, err := e.Replay(ctx, req); err != nil || !res.Blocked {
				b.Fatalf("replay: blocked=%v err=%v", res != nil && res.Blocked, err)
			}
		}
	})
}
