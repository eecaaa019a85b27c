package verdict

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestFactsGolden: the facts of every replayed capture (site facts, then
// each subject's) as JSON in testdata/facts, so that a change in a fact
// shows in review even when no finding changes. -update rewrites them.
func TestFactsGolden(t *testing.T) {
	for name := range captureRules {
		t.Run(name, func(t *testing.T) {
			site, subjects := FactsOf(loadRun(t, name))
			got, err := json.MarshalIndent(struct {
				Site     *SiteFacts `json:"site"`
				Subjects []*Facts   `json:"subjects"`
			}{site, subjects}, "", " ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "facts", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./internal/verdict -run TestFactsGolden -args -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("the facts of %s differ from %s: review the change, then go test ./internal/verdict -run TestFactsGolden -args -update", name, path)
			}
		})
	}
}
