package har

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/wp403/wp403/internal/record"
)

// fixture returns the decompressed recording of the real block editor
// on the lab (see testdata/README.md).
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func byID(res *Result, id string) *record.Observation {
	for i := range res.Observations {
		if res.Observations[i].ID == id {
			return &res.Observations[i]
		}
	}
	return nil
}

func TestChromiumWAFSave(t *testing.T) {
	res, err := ReadFile("testdata/chromium-waf-save.har.gz", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Entries != 115 || len(res.Observations) != 16 || !strings.HasPrefix(res.Browser, "Chromium 156") {
		t.Fatalf("entries %d, REST %d, browser %q", res.Entries, len(res.Observations), res.Browser)
	}
	save := byID(res, res.FirstFailedWrite)
	if save == nil || save.Purpose != ActSave || save.Request.Method != "POST" || save.Request.Route != "/wp/v2/posts/5" || save.Status() != 403 {
		t.Fatalf("first failed write: %+v", save)
	}
	if !strings.Contains(save.Response.Body, "<center>nginx</center>") && !strings.Contains(save.Response.Body, "403 Forbidden") {
		t.Errorf("save body is not the nginx page: %q", save.Response.Body)
	}
	if save.Request.Auth != record.AuthCookieNonce || save.Request.BodyKind != "editor-save" || save.Vantage != record.VantageHAR {
		t.Errorf("save request: %+v", save.Request)
	}
	// the editor loaded the site-editor template first: WordPress said no, as it does to editors
	first := byID(res, res.FirstFailure)
	if first == nil || first.Purpose != ActLoad || !strings.Contains(first.Response.Body, "rest_cannot_manage_templates") {
		t.Errorf("first failure: %+v", first)
	}
	var purposes []string
	nonceProbe := false
	for _, o := range res.Observations {
		purposes = append(purposes, o.Purpose)
		nonceProbe = nonceProbe || (o.Purpose == ActNonceRefresh && o.Probe == "rest-nonce")
	}
	for _, want := range []string{ActLoad, ActSave, ActAutosave, ActNonceRefresh, ActDiscovery, ActPreferences} {
		if !strings.Contains(strings.Join(purposes, " "), want) {
			t.Errorf("no %s among %v", want, purposes)
		}
	}
	if !nonceProbe || len(res.Recovered) != 1 {
		t.Errorf("nonce refresh probe %v, recovered %v", nonceProbe, res.Recovered)
	}
}

// TestEdgeDeny: a recording in which HAProxy's own deny page answered.
func TestEdgeDeny(t *testing.T) {
	res, err := ReadFile("testdata/chromium-edge-deny-save.har.gz", Options{})
	if err != nil {
		t.Fatal(err)
	}
	save := byID(res, res.FirstFailedWrite)
	if save == nil || save.Purpose != ActSave || !strings.Contains(save.Response.Body, "Request forbidden by administrative rules") {
		t.Fatalf("first failed write: %+v", save)
	}
}

// secretsIn lists the secret values a raw HAR holds, found independently
// of the package: cookie values, nonce headers, nonce parameters and the
// rest-nonce answer.
func secretsIn(t *testing.T, raw []byte) []string {
	var doc struct {
		Log struct {
			Entries []struct {
				Request struct {
					URL     string    `json:"url"`
					Headers []nameVal `json:"headers"`
				} `json:"request"`
				Response struct {
					Headers []nameVal `json:"headers"`
					Content struct {
						Text string `json:"text"`
					} `json:"content"`
				} `json:"response"`
			} `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	nonceParam := regexp.MustCompile(`nonce=([0-9a-f]{10})`)
	for _, e := range doc.Log.Entries {
		for _, h := range append(e.Request.Headers, e.Response.Headers...) {
			switch strings.ToLower(h.Name) {
			case "cookie":
				for _, v := range cookieValues(h.Value, ";") {
					if len(v) >= 8 {
						set[v] = true
					}
				}
			case "x-wp-nonce":
				set[h.Value] = true
			}
		}
		for _, m := range nonceParam.FindAllStringSubmatch(e.Request.URL, -1) {
			set[m[1]] = true
		}
		if strings.Contains(e.Request.URL, "action=rest-nonce") {
			set[strings.TrimSpace(e.Response.Content.Text)] = true
		}
	}
	var out []string
	for s := range set {
		if strings.Trim(s, s[:1]) != "" { // "0000000000" (a stale nonce the recorder set) would match any number
			out = append(out, s)
		}
	}
	if len(out) < 3 {
		t.Fatalf("the fixture holds only %d secrets: the test would prove nothing", len(out))
	}
	return out
}

func TestNoSecretsInResult(t *testing.T) {
	for _, name := range []string{"chromium-waf-save.har.gz", "chromium-edge-deny-save.har.gz"} {
		raw := fixture(t, name)
		res, err := Read(bytes.NewReader(raw), name, Options{})
		if err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(res)
		replay, _ := json.Marshal(res.Failed(nil))
		for _, r := range res.Failed(nil) {
			replay = append(replay, r.Body...)
		}
		for _, s := range secretsIn(t, raw) {
			if bytes.Contains(out, []byte(s)) || bytes.Contains(replay, []byte(s)) {
				t.Errorf("%s: secret %q leaked", name, s)
			}
		}
		if !bytes.Contains(raw, []byte("wpApiSettings")) || bytes.Contains(out, []byte(`createNonceMiddleware( \"c9ea`)) {
			t.Errorf("%s: inline nonce check is vacuous or failed", name)
		}
	}
}

func TestTruncatedFileKeepsWhatWasRead(t *testing.T) {
	raw := fixture(t, "chromium-waf-save.har.gz")
	cut := raw[:len(raw)*9/10]
	res, err := Read(bytes.NewReader(cut), "cut.har", Options{})
	var fe *FormatError
	if !errors.As(err, &fe) || fe.Entry < 90 || fe.Offset < int64(len(cut))/2 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v", err)
	}
	if res == nil || len(res.Observations) == 0 || res.Entries != fe.Entry {
		t.Fatalf("partial result: %+v", res)
	}
	if !strings.Contains(err.Error(), "entry") || !strings.Contains(err.Error(), "byte") {
		t.Errorf("error does not say where: %v", err)
	}
	if _, err := Read(strings.NewReader(`{"foo": 1}`), "x", Options{}); err == nil || !strings.Contains(err.Error(), "not a HAR") {
		t.Errorf("non-HAR: %v", err)
	}
	if _, err := Read(strings.NewReader(`<html>`), "x", Options{}); !errors.As(err, &fe) {
		t.Errorf("HTML: %v", err)
	}
}

// reshape rewrites the recording the way another browser's export looks.
func reshape(t *testing.T, raw []byte, fn func(log map[string]any, e map[string]any)) []byte {
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	log := doc["log"].(map[string]any)
	for _, e := range log["entries"].([]any) {
		fn(log, e.(map[string]any))
	}
	b, _ := json.Marshal(doc)
	return b
}

// TestSafariShapeWithoutBodies: Safari's creator, and an export without
// any request or response body still finds the failed save.
func TestSafariShapeWithoutBodies(t *testing.T) {
	raw := reshape(t, fixture(t, "chromium-waf-save.har.gz"), func(log, e map[string]any) {
		log["creator"] = map[string]any{"name": "WebKit Web Inspector", "version": "1.0"}
		delete(log, "browser")
		delete(e["response"].(map[string]any)["content"].(map[string]any), "text")
		if pd, ok := e["request"].(map[string]any)["postData"].(map[string]any); ok {
			delete(pd, "text")
		}
	})
	res, err := Read(bytes.NewReader(raw), "safari.har", Options{})
	if err != nil {
		t.Fatal(err)
	}
	save := byID(res, res.FirstFailedWrite)
	if res.Browser != "Safari" || save == nil || save.Purpose != ActSave || save.Status() != 403 || save.Response.Body != "" {
		t.Fatalf("browser %q save %+v", res.Browser, save)
	}
	for _, f := range res.Failed(nil) {
		if f.Purpose == ActSave && !f.BodyMissing {
			t.Errorf("replay of a save without its body: %+v", f)
		}
	}
}

// TestFirefoxShapeBase64: Firefox's creator and browser, bodies base64.
func TestFirefoxShapeBase64(t *testing.T) {
	raw := reshape(t, fixture(t, "chromium-waf-save.har.gz"), func(log, e map[string]any) {
		log["creator"] = map[string]any{"name": "Firefox", "version": "128.0"}
		log["browser"] = map[string]any{"name": "Firefox", "version": "128.0"}
		c := e["response"].(map[string]any)["content"].(map[string]any)
		if s, ok := c["text"].(string); ok && c["encoding"] == nil {
			c["text"], c["encoding"] = base64.StdEncoding.EncodeToString([]byte(s)), "base64"
		}
	})
	res, err := Read(bytes.NewReader(raw), "firefox.har", Options{})
	if err != nil {
		t.Fatal(err)
	}
	save := byID(res, res.FirstFailedWrite)
	if res.Browser != "Firefox 128.0" || save == nil || !strings.Contains(save.Response.Body, "403 Forbidden") {
		t.Fatalf("browser %q save %+v", res.Browser, save)
	}
}

func TestFailedForReplay(t *testing.T) {
	res, err := ReadFile("testdata/chromium-waf-save.har.gz", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Failed(nil) {
		got = append(got, r.Method+" "+r.Purpose)
		if r.Purpose == ActSave && (r.Method != "PUT" || !bytes.Contains(r.Body, []byte("wp:paragraph")) || r.ContentType != "application/json") {
			t.Errorf("save replay %+v %s", r, r.Body)
		}
	}
	// the template load, the save (its override applied) and the autosave;
	// not the stale-nonce request the editor recovered from
	if strings.Join(got, ",") != "GET load,PUT save,POST autosave" {
		t.Errorf("replayable: %v", got)
	}
}
