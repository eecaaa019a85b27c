package report

import (
	"encoding/json"
	"reflect"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// scrubReport returns a deep copy of r with every string, map key and
// slice element passed through s. The copy goes through JSON so that no
// field is shared with the caller's report, then reflection rewrites the
// strings in place.
func scrubReport(r *record.Report, s *redact.Scrubber) *record.Report {
	cp := new(record.Report)
	if b, err := json.Marshal(r); err != nil || json.Unmarshal(b, cp) != nil {
		// Cannot happen for record types; fall back to a shallow copy so
		// scrubbing of the bytes still applies.
		*cp = *r
	}
	scrubValue(reflect.ValueOf(cp).Elem(), s)
	return cp
}

func scrubValue(v reflect.Value, s *redact.Scrubber) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(s.String(v.String()))
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			scrubValue(v.Elem(), s)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				scrubValue(v.Field(i), s)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			scrubValue(v.Index(i), s)
		}
	case reflect.Map:
		scrubMap(v, s)
	}
}

func scrubMap(v reflect.Value, s *redact.Scrubber) {
	if v.IsNil() {
		return
	}
	out := reflect.MakeMapWithSize(v.Type(), v.Len())
	iter := v.MapRange()
	for iter.Next() {
		k := reflect.New(v.Type().Key()).Elem()
		k.Set(iter.Key())
		scrubValue(k, s)
		e := reflect.New(v.Type().Elem()).Elem()
		e.Set(iter.Value())
		scrubValue(e, s)
		out.SetMapIndex(k, e)
	}
	v.Set(out)
}
