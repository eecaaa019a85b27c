package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/wp403/wp403/internal/browser"
	"github.com/wp403/wp403/internal/finish"
	"github.com/wp403/wp403/internal/har"
	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/report"
	"github.com/wp403/wp403/internal/signature"
	"github.com/wp403/wp403/internal/waf"
)

type crs struct{ eng *waf.Engine }

func (c crs) Replay(method, u string, h http.Header, body []byte) (*record.WAFResult, error) {
	return c.eng.Replay(context.Background(), waf.Request{Method: method, URL: u, Header: h, Body: body})
}

// verdictOf is what must not depend on the source: each finding's rule,
// layer, mechanism, product, request, confidence and remedies, in order
// (observation ids differ: a HAR's "har-3" is the browser's "e-3").
type verdictOf struct {
	Rule, Vendor, Product string
	Layer                 record.Layer
	Mechanism             record.Mechanism
	Confidence            record.Confidence
	Request               record.Request
	Rules                 []record.RuleHit
	Remedies              []record.Remedy
}

func verdicts(rep *record.Report) []verdictOf {
	var out []verdictOf
	for _, f := range rep.Findings {
		out = append(out, verdictOf{f.Rule, f.Vendor, f.Product, f.Layer, f.Mechanism, f.Confidence, f.Request, f.Rules, f.Remedies})
	}
	return out
}

func readGz(t *testing.T, name string) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "har", "testdata", name))
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

// TestSameObservationsSameVerdict: one real browser session (the block
// editor saving through ModSecurity + CRS, recorded from Chromium) read as
// a HAR file, as retest --browser's recording, and as a saved capture of
// the HAR run's observations gives identical findings and remedies. Before
// one finish, `wp403 har` did not replay refusals through the WAF and
// retest --browser did, with its own filter and origin flag.
func TestSameObservationsSameVerdict(t *testing.T) {
	db, err := signature.Default()
	if err != nil {
		t.Fatal(err)
	}
	eng, err := waf.New(waf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := finish.Stages{Replayer: crs{eng}}
	ctx := context.Background()
	for _, name := range []string{"chromium-waf-save.har.gz", "chromium-edge-deny-save.har.gz"} {
		t.Run(name, func(t *testing.T) {
			raw := readGz(t, name)
			res, err := har.Read(bytes.NewReader(raw), name, har.Options{Classifier: db})
			if err != nil {
				t.Fatal(err)
			}
			fromHAR := finish.Report(ctx, HAR(res, nil), st)

			site, _ := url.Parse(Site(res))
			ev, err := Browser([]browser.Result{{Vantage: string(record.VantageEdge), HAR: raw}}, browser.Config{Site: site}, db)
			if err != nil {
				t.Fatal(err)
			}
			fromBrowser := finish.Report(ctx, ev, st)

			saved, err := json.Marshal(fromHAR)
			if err != nil {
				t.Fatal(err)
			}
			decoded, err := report.Decode(bytes.NewReader(saved))
			if err != nil {
				t.Fatal(err)
			}
			fromCapture := finish.Report(ctx, Capture(decoded), st)

			want := verdicts(fromHAR)
			if len(want) == 0 {
				t.Fatal("the HAR source found nothing: the recording shows refusals")
			}
			for src, rep := range map[string]*record.Report{"browser": fromBrowser, "capture": fromCapture} {
				if got := verdicts(rep); !reflect.DeepEqual(got, want) {
					t.Errorf("%s source: findings differ from the HAR source's\n got %+v\nwant %+v", src, got, want)
				}
			}
			replayed := false
			for _, o := range fromHAR.Observations {
				replayed = replayed || o.WAF != nil
			}
			if name == "chromium-waf-save.har.gz" && !replayed {
				t.Error("the HAR source replayed no refusal through the WAF")
			}
		})
	}
}
