package cli

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wp403/wp403/internal/record"
)

func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), Env{Vars: map[string]string{}, Dir: dir}, strings.NewReader(""), &out, &errb, args)
	return code, out.String(), errb.String()
}

// TestOutputRule: one rule for every command: --format wins, else the
// extension of -o, else text.
func TestOutputRule(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		file string
		want string // a prefix of the file
	}{
		{[]string{"demo", "-o", "r.html"}, "r.html", "<!DOCTYPE html>"},
		{[]string{"demo", "-o", "r.json"}, "r.json", "{"},
		{[]string{"demo", "-o", "r.md"}, "r.md", "# "},
		{[]string{"demo", "-o", "r.txt"}, "r.txt", "wp403 diagnose"},
		{[]string{"demo", "-o", "r2.html", "--format", "json"}, "r2.html", "{"},
		{[]string{"report", "r.json", "-o", "again.xml"}, "again.xml", "<?xml"},
		{[]string{"diff", "r.json", "r.json", "-o", "d.json"}, "d.json", "{"},
		{[]string{"signatures", "-o", "s.json"}, "s.json", "["},
		{[]string{"signatures", "-o", "s.txt"}, "s.txt", "ID"},
	}
	for _, c := range cases {
		code, _, errs := runIn(t, dir, c.args...)
		if code != ExitOK {
			t.Fatalf("%q: exit %d: %s", c.args, code, errs)
		}
		b, err := os.ReadFile(filepath.Join(dir, c.file))
		if err != nil || !strings.HasPrefix(strings.TrimSpace(string(b)), c.want) {
			t.Errorf("%q: %s starts %.40q, want %q (%v)", c.args, c.file, b, c.want, err)
		}
	}
	code, _, errs := runIn(t, dir, "signatures", "-o", "s.html")
	if code != ExitUsage || !strings.Contains(errs, "writes text or json") {
		t.Errorf("signatures -o s.html: exit %d %q, want 2 and what it writes", code, errs)
	}
	code, _, errs = runIn(t, dir, "demo", "--format", "xml")
	if code != ExitUsage || !strings.Contains(errs, "want one of text, json, markdown, html, junit") {
		t.Errorf("--format xml: exit %d %q", code, errs)
	}
}

// TestOutputAtomic: a render that fails leaves no file, and never
// truncates the one that was there.
func TestOutputAtomic(t *testing.T) {
	dir := t.TempDir()
	rep := &record.Report{Schema: record.SchemaVersion, DurationMS: math.Inf(1)}
	rc := &runContext{ctx: context.Background(), io: IO{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}, Env: Env{Dir: dir}}}
	err := writeReport(rc, rep, outputFlags{Output: "new.json"}, nil)
	if err == nil || exitCode(err) != ExitError {
		t.Fatalf("JSON of +Inf: err %v", err)
	}
	old := filepath.Join(dir, "old.json")
	if err := os.WriteFile(old, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeReport(rc, rep, outputFlags{Output: "old.json"}, nil); err == nil {
		t.Fatal("no error")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "old.json" {
		t.Errorf("files left: %v", entries)
	}
	if b, _ := os.ReadFile(old); string(b) != "previous" {
		t.Errorf("old.json now %q", b)
	}
	if err := writeReport(rc, &record.Report{Schema: record.SchemaVersion}, outputFlags{Output: "old.json"}, nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(old); !bytes.HasPrefix(b, []byte("{")) {
		t.Errorf("old.json not replaced: %q", b)
	}
}

// TestOutputDevice: -o naming a device or pipe is written in place, never
// replaced by a renamed file (-o /dev/null must leave /dev/null a device).
func TestOutputDevice(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	got := make(chan []byte, 1)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- b
	}()
	if code, _, errb := runCLI(t, "demo", "-o", fifo); code != ExitOK {
		t.Fatalf("demo -o FIFO: exit %d: %s", code, errb)
	}
	select {
	case b := <-got:
		if !strings.Contains(string(b), "BLOCK") {
			t.Errorf("the pipe got %d bytes without the report", len(b))
		}
	case <-time.After(10 * time.Second):
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close() // unblock the reader
		}
		t.Error("nothing was written to the pipe")
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("-o replaced the pipe: %v %v", fi.Mode(), err)
	}
}
