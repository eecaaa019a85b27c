package redact

import "reflect"

// Struct masks the known secrets in every string reachable from v (a
// pointer to a struct, slice or map): fields, slice elements and map
// values. Values derived from a body before it was scrubbed (a WordPress
// error message, a rule hit's data) go through it before they are kept.
func (s *Scrubber) Struct(v any) {
	if s == nil || s.empty() || v == nil {
		return
	}
	walkStrings(reflect.ValueOf(v), s.String)
}

// MapStrings replaces every settable string reachable from v (fields,
// slice elements, map keys and values) with fn of it. The report
// renderers and Scrubber.Struct share it.
func MapStrings(v reflect.Value, fn func(string) string) { walkStrings(v, fn) }

func walkStrings(v reflect.Value, fn func(string) string) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(fn(v.String()))
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walkStrings(v.Field(i), fn)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(v.Index(i), fn)
		}
	case reflect.Map:
		walkMap(v, fn)
	}
}

// walkMap rebuilds the map so that keys are rewritten too; a map that
// cannot be replaced (reached by value) gets its values rewritten in place.
func walkMap(v reflect.Value, fn func(string) string) {
	if v.IsNil() {
		return
	}
	if !v.CanSet() {
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			walkStrings(e, fn)
			v.SetMapIndex(k, e)
		}
		return
	}
	out := reflect.MakeMapWithSize(v.Type(), v.Len())
	iter := v.MapRange()
	for iter.Next() {
		k := reflect.New(v.Type().Key()).Elem()
		k.Set(iter.Key())
		walkStrings(k, fn)
		e := reflect.New(v.Type().Elem()).Elem()
		e.Set(iter.Value())
		walkStrings(e, fn)
		out.SetMapIndex(k, e)
	}
	v.Set(out)
}
