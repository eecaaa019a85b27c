package main

import (
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	in := `{"Action":"run","Package":"p","Test":"TestLab"}
{"Action":"output","Package":"p","Test":"TestLab","Output":"=== RUN   TestLab\n"}
{"Action":"output","Package":"p","Test":"TestLab","Output":"    lab_test.go:12: integration tests skipped: lab is not up\n"}
{"Action":"output","Package":"p","Test":"TestLab","Output":"--- SKIP: TestLab (0.00s)\n"}
{"Action":"skip","Package":"p","Test":"TestLab"}
{"Action":"output","Package":"p","Test":"TestBad","Output":"    x_test.go:3: boom\n"}
{"Action":"fail","Package":"p","Test":"TestBad"}
{"Action":"output","Package":"p","Output":"FAIL\n"}
{"Action":"fail","Package":"p","Elapsed":0.5}
{"Action":"pass","Package":"q","Elapsed":1.25}
`
	var out strings.Builder
	failed, err := summarize(strings.NewReader(in), &out)
	want := "    x_test.go:3: boom\nFAIL p 0.5s\n     skipped 1: integration tests skipped: lab is not up\nok   q 1.2s\n"
	if err != nil || !failed || out.String() != want {
		t.Errorf("failed=%v err=%v\n%s\nwant\n%s", failed, err, out.String(), want)
	}
}
