// Command testsum reads `go test -json` on standard input and prints what
// `go test` prints without -v (one line per package, the output of failed
// tests) plus one line per skipped test with the reason it gave, so that
// `make unit` shows why the lab integration tests did not run. Skipped
// subtests with the same reason are counted on one line. It exits 1 when a
// test or a build failed.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

type key struct{ pkg, test string }

func main() {
	failed, err := summarize(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}

func summarize(in io.Reader, out io.Writer) (bool, error) {
	s := &state{out: out, logs: map[key][]string{}, skips: map[string]map[string]int{}}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Fprintln(out, sc.Text()) // a build error printed as text
			s.failed = true
			continue
		}
		s.handle(e)
	}
	return s.failed, sc.Err()
}

type state struct {
	out    io.Writer
	logs   map[key][]string
	skips  map[string]map[string]int // package → reason → tests
	failed bool
}

func (s *state) handle(e event) {
	k := key{e.Package, e.Test}
	switch e.Action {
	case "build-output":
		fmt.Fprint(s.out, e.Output)
	case "build-fail":
		s.failed = true
	case "output":
		if e.Test == "" {
			if strings.HasPrefix(e.Output, "ok ") || strings.HasPrefix(e.Output, "FAIL") ||
				strings.HasPrefix(e.Output, "?") || strings.HasPrefix(e.Output, "---") {
				return // the pass/fail events print the package line
			}
		}
		if !strings.HasPrefix(e.Output, "=== ") {
			s.logs[k] = append(s.logs[k], e.Output)
		}
	case "skip":
		if e.Test != "" {
			s.skip(e.Package, reason(s.logs[k]))
		}
		delete(s.logs, k)
	case "pass":
		if e.Test == "" {
			fmt.Fprintf(s.out, "ok   %s %.1fs\n", e.Package, e.Elapsed)
			s.printSkips(e.Package)
		}
		delete(s.logs, k)
	case "fail":
		s.failed = true
		fmt.Fprint(s.out, strings.Join(s.logs[k], ""))
		if e.Test == "" {
			fmt.Fprintf(s.out, "FAIL %s %.1fs\n", e.Package, e.Elapsed)
			s.printSkips(e.Package)
		}
		delete(s.logs, k)
	}
}

// reason is the last line a skipped test logged (t.Skip's message).
func reason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "--- SKIP") {
			continue
		}
		if _, msg, ok := strings.Cut(l, ": "); ok && strings.Contains(l[:strings.Index(l, ": ")], ".go:") {
			return msg
		}
		return l
	}
	return "(no reason given)"
}

func (s *state) skip(pkg, why string) {
	if s.skips[pkg] == nil {
		s.skips[pkg] = map[string]int{}
	}
	s.skips[pkg][why]++
}

func (s *state) printSkips(pkg string) {
	reasons := make([]string, 0, len(s.skips[pkg]))
	for r := range s.skips[pkg] {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(s.out, "     skipped %d: %s\n", s.skips[pkg][r], r)
	}
	delete(s.skips, pkg)
}
