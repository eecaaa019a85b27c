package report

import (
	"encoding/json"
	"reflect"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// scrubReport returns a deep copy of r with every string, map key and
// slice element passed through s.
func scrubReport(r *record.Report, s *redact.Scrubber) *record.Report {
	return mapReport(r, s.String)
}

// mapReport returns a deep copy of r with every string, map key and slice
// element passed through fn. The copy goes through JSON so that no field
// is shared with the caller's report, then reflection rewrites the
// strings in place.
func mapReport(r *record.Report, fn func(string) string) *record.Report {
	cp := new(record.Report)
	if b, err := json.Marshal(r); err != nil || json.Unmarshal(b, cp) != nil {
		// Cannot happen for record types; fall back to a shallow copy so
		// scrubbing of the bytes still applies.
		*cp = *r
	}
	mapStrings(reflect.ValueOf(cp).Elem(), fn)
	return cp
}

// mapStrings replaces every settable string reachable from v, map keys
// included, with fn of it.
func mapStrings(v reflect.Value, fn func(string) string) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(fn(v.String()))
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			mapStrings(v.Elem(), fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				mapStrings(v.Field(i), fn)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			mapStrings(v.Index(i), fn)
		}
	case reflect.Map:
		mapKeysAndValues(v, fn)
	}
}

func mapKeysAndValues(v reflect.Value, fn func(string) string) {
	if v.IsNil() {
		return
	}
	out := reflect.MakeMapWithSize(v.Type(), v.Len())
	iter := v.MapRange()
	for iter.Next() {
		k := reflect.New(v.Type().Key()).Elem()
		k.Set(iter.Key())
		mapStrings(k, fn)
		e := reflect.New(v.Type().Elem()).Elem()
		e.Set(iter.Value())
		mapStrings(e, fn)
		out.SetMapIndex(k, e)
	}
	v.Set(out)
}
