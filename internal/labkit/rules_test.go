package labkit

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestRulesFor(t *testing.T) {
	log := `{"transaction":{"request":{"headers":{"x-wp403-request-id":"labkit-1"}},"messages":[{"details":{"ruleId":"941180"}},{"details":{"ruleId":"949110"}}]}}
{"transaction":{"request":{"headers":{"x-wp403-request-id":"labkit-2"}},"messages":[{"details":{"ruleId":"911100"}}]}}
{"request":{"headers":{"X-WP403-Request-Id":"labkit-3"}},"audit_data":{"messages":["Warning. Matched [id \"920420\"] [msg \"x\"]","Access denied [id \"949110\"]"]}}
`
	path := filepath.Join(t.TempDir(), "audit.log")
	if err := os.WriteFile(path, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]int{"labkit-1": {941180, 949110}, "labkit-3": {920420, 949110}, "labkit-9": {}}
	for rid, want := range cases {
		got, err := rulesFor(path, rid)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("rulesFor(%s) = %v, want %v", rid, got, want)
		}
	}
}
