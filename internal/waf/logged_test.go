package waf

import (
	"testing"

	"github.com/wp403/wp403/internal/record"
)

func TestFromLog(t *testing.T) {
	entries := []record.LogEntry{
		{Format: "nginx-combined", RequestID: "other", Method: "GET", URI: "/"},
		{Format: "nginx-combined", RequestID: "r1", Method: "POST", URI: "/wp-json/wp/v2/posts/1", Host: "blog.wp403.test", Status: 403, UserAgent: "ua"},
		{Format: "modsec3-json", RequestID: "r1", Engine: "ModSecurity v3.0.9", Blocked: true, Score: 5,
			Rules: []record.RuleHit{{ID: 941180, Target: "ARGS:json.content"}, {ID: 949110}}},
		{Format: "nginx-error", UniqueID: "u1", RequestID: "r1", Rules: []record.RuleHit{{ID: 941180, Target: "ARGS:json.content"}}},
	}
	req, e, err := FromLog(entries, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != "POST" || req.URL != "/wp-json/wp/v2/posts/1" || req.Header.Get("Host") != "blog.wp403.test" || req.Header.Get("User-Agent") != "ua" {
		t.Errorf("request = %+v", req)
	}
	if !e.Blocked || e.Score != 5 || e.Status != 403 || e.Engine != "ModSecurity v3.0.9" || len(e.Rules) != 2 {
		t.Errorf("merged entry = %+v", e)
	}
	if _, _, err := FromLog(entries, "u1"); err == nil {
		t.Error("an entry without a request line was accepted")
	}
	if _, _, err := FromLog(entries, "nope"); err == nil {
		t.Error("a missing id was accepted")
	}
}
