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
	redact.MapStrings(reflect.ValueOf(cp).Elem(), fn)
	return cp
}
