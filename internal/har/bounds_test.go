package har

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// repeat yields n bytes of c without holding them.
type repeat struct {
	c byte
	n int64
}

func (r *repeat) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := int(min(int64(len(p)), r.n))
	for i := range p[:k] {
		p[i] = r.c
	}
	r.n -= int64(k)
	return k, nil
}

// heapWatch samples the live heap every few MB read.
type heapWatch struct {
	r    io.Reader
	read int64
	peak uint64
}

func (h *heapWatch) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if h.read/(8<<20) != (h.read+int64(n))/(8<<20) {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		h.peak = max(h.peak, ms.HeapAlloc)
	}
	h.read += int64(n)
	return n, err
}

const restEntry = `{"startedDateTime":"2026-11-26T17:00:0%dZ","time":1,"request":{"method":"GET","url":"https://s.example/wp-json/wp/v2/posts","headers":[]},"response":{"status":%s,"headers":[],"content":{"size":1,"mimeType":"application/json","text":"%s"}},"timings":{"wait":%s,"send":%s}}`

// TestHugeStringBounded: one 96 MB string in a kept field (a response body)
// and one in a skipped one (pages) are read without being held.
func TestHugeStringBounded(t *testing.T) {
	huge := func() io.Reader { return &repeat{c: 'A', n: 96 << 20} }
	pre, post, _ := strings.Cut(fmt.Sprintf(restEntry, 1, "200", "@", "1", "1"), "@")
	doc := io.MultiReader(strings.NewReader(`{"log":{"pages":[{"title":"`), huge(), strings.NewReader(`"}],"entries":[`+pre),
		huge(), strings.NewReader(post+`]}}`))
	w := &heapWatch{r: doc}
	res, err := Read(w, "huge", Options{})
	if err != nil || len(res.Observations) != 1 {
		t.Fatalf("read: %v, %d observations", err, len(res.Observations))
	}
	r := res.Observations[0].Response
	if !r.BodyTruncated || len(r.Body) > MaxBody || r.BodyBytes < 96<<20 {
		t.Errorf("body kept %d bytes (truncated %v) of %d", len(r.Body), r.BodyTruncated, r.BodyBytes)
	}
	if w.peak > 32<<20 {
		t.Errorf("live heap reached %d MiB reading 192 MiB of strings", w.peak>>20)
	}
}

// TestHostileNumbers: an out-of-range integer skips its entry (and says
// so) without stopping the file; huge timings stay finite and render.
func TestHostileNumbers(t *testing.T) {
	doc := `{"log":{"entries":[` + fmt.Sprintf(restEntry, 1, "1e400", "x", "1", "1") + "," +
		fmt.Sprintf(restEntry, 2, "99999999999999999999", "x", "1", "1") + "," +
		fmt.Sprintf(restEntry, 3, "403", "x", "1e308", "1e308") + `]}}`
	res, err := Read(strings.NewReader(doc), "numbers", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped != 2 || len(res.SkipNotes) != 2 || len(res.Observations) != 1 || res.Entries != 3 {
		t.Fatalf("skipped %d %q, kept %d of %d", res.Skipped, res.SkipNotes, len(res.Observations), res.Entries)
	}
	if _, err := json.Marshal(res.Observations); err != nil {
		t.Errorf("observations do not render: %v", err)
	}
}

// TestManyRequestsBounded: past MaxObservations only the route totals grow.
func TestManyRequestsBounded(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{"log":{"entries":[`)
	n := MaxObservations + 500
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		status := "200"
		if i%100 == 99 {
			status = "403"
		}
		fmt.Fprintf(&b, restEntry, i%10, status, "x", "1", "1")
	}
	b.WriteString(`]}}`)
	res, err := Read(&b, "many", Options{})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, r := range res.Routes() {
		for _, c := range r.Statuses {
			total += c
		}
	}
	if len(res.Observations) > MaxObservations || total != n || len(res.Observations)+res.Omitted != n || res.OmittedNote() == "" {
		t.Errorf("kept %d, omitted %d, counted %d of %d", len(res.Observations), res.Omitted, total, n)
	}
	failures := 0
	for i := range res.Observations {
		if failed(&res.Observations[i]) {
			failures++
		}
	}
	if failures != n/100 {
		t.Errorf("kept %d failures of %d", failures, n/100)
	}
}

// FuzzScanner: on valid JSON the bounded scanner reads what encoding/json
// reads (strings it kept whole are equal); on anything it never panics.
func FuzzScanner(f *testing.F) {
	for _, s := range []string{`{"a":[1,"x\u00e9\ud83d\ude00",true,null,{"b":-1.5e3}]}`, `"\ud800"`, `[[[]]]`, `{"a":"\\\"\/\b\f\n\r\t"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sc := newScanner(bytes.NewReader(b))
		v, err := sc.value(0, &budget{bytes: 1 << 20, members: 1 << 16})
		var want any
		if json.Unmarshal(b, &want) != nil {
			return
		}
		if err != nil && hasLongNumber(b) {
			return // valid JSON past the scanner's deliberate bound on number literals
		}
		if _, trailing := sc.peek(); err != nil || trailing == nil {
			t.Fatalf("scanner rejected valid JSON %q: %v", b, err)
		}
		if got := plain(&v); !reflect.DeepEqual(got, normalize(want)) {
			t.Fatalf("scanner read %#v, encoding/json %#v", got, want)
		}
	})
}

// hasLongNumber reports whether b holds a run of number characters
// longer than maxNumber, which the scanner refuses on purpose.
func hasLongNumber(b []byte) bool {
	run := 0
	for _, c := range b {
		if c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' {
			run++
			if run >= maxNumber {
				return true
			}
			continue
		}
		run = 0
	}
	return false
}

// plain turns a kept value into what encoding/json yields (numbers as text).
func plain(v *jvalue) any {
	switch v.kind {
	case 'o':
		m := map[string]any{}
		for i, k := range v.keys {
			m[k] = plain(&v.items[i])
		}
		return m
	case 'a':
		out := []any{}
		for i := range v.items {
			out = append(out, plain(&v.items[i]))
		}
		return out
	case 's':
		return v.s
	case 'n':
		var f float64
		json.Unmarshal([]byte(v.s), &f)
		return f
	case 't', 'f':
		return v.kind == 't'
	}
	return nil
}

func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
	case []any:
		if x == nil {
			return []any{}
		}
		for i, e := range x {
			x[i] = normalize(e)
		}
	}
	return v
}

// TestReadStopsOnCancel: a cancelled context ends the reading of an endless
// export at once, with the context's error.
func TestReadStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Read(&entriesReader{n: 1 << 40}, "endless", Options{Context: ctx})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}
