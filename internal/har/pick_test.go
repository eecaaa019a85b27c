package har

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestPick(t *testing.T) {
	raw := fixture(t, "chromium-waf-save.har.gz")
	p, err := Pick(bytes.NewReader(raw), -1, 16<<20)
	if err != nil || p.Method == "" || p.URL == "" {
		t.Fatalf("first refused: %+v %v", p, err)
	}
	if _, err := Pick(bytes.NewReader(raw), 1<<20, 16<<20); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing entry: %v", err)
	}
	// a body larger than the limit is cut and said so, never held whole
	pre, post, _ := strings.Cut(fmt.Sprintf(restEntry, 1, "403", "x", "1", "1"), `"request":{`)
	doc := io.MultiReader(strings.NewReader(`{"log":{"entries":[`+pre+`"request":{"postData":{"text":"`), &repeat{c: 'B', n: 64 << 20},
		strings.NewReader(`"},`+post+`]}}`))
	w := &heapWatch{r: doc}
	p, err = Pick(w, 0, 1<<20)
	if err != nil || !p.BodyCut || len(p.Body) != 1<<20 {
		t.Fatalf("cut %v, body %d bytes, err %v", p.BodyCut, len(p.Body), err)
	}
	if w.peak > 24<<20 {
		t.Errorf("live heap reached %d MiB picking from a 64 MiB body", w.peak>>20)
	}
}
