package cli

import (
	"reflect"
	"testing"

	"github.com/alecthomas/kong"
)

// TestRepeatableFlagsTakeValuesWhole: like curl, a value holding commas
// is one value (-H 'Accept: a, b', --resolve h:p:a1,a2), for every
// repeatable flag and argument of every command.
func TestRepeatableFlagsTakeValuesWhole(t *testing.T) {
	var cli root
	k, err := kong.New(&cli, append(parserOptions(), kong.Exit(func(int) {}))...)
	if err != nil {
		t.Fatal(err)
	}
	slices := 0
	err = kong.Visit(k.Model, func(n kong.Visitable, next kong.Next) error {
		var v *kong.Value
		switch x := n.(type) {
		case *kong.Flag:
			v = x.Value
		case *kong.Value:
			v = x
		}
		if v != nil && v.Target.Kind() == reflect.Slice {
			slices++
			if v.Tag.Sep != -1 {
				t.Errorf("%s splits its values at %q", v.Name, v.Tag.Sep)
			}
		}
		return next(nil)
	})
	if err != nil || slices < 10 {
		t.Fatalf("visited %d repeatable values (err %v)", slices, err)
	}
	_, err = k.Parse([]string{"diagnose", "https://x.example/", "-H", "Accept: a, b", "--resolve", "h:443:a1,a2",
		"--log", "a,b.log", "--request", "GET /x?a=1,2"})
	if err != nil {
		t.Fatal(err)
	}
	d := cli.Diagnose
	if len(d.Header) != 1 || d.Header[0] != "Accept: a, b" || len(d.Resolve) != 1 || d.Resolve[0] != "h:443:a1,a2" ||
		len(d.Log) != 1 || len(d.Request) != 1 {
		t.Errorf("values split: %q %q %q %q", d.Header, d.Resolve, d.Log, d.Request)
	}
}
