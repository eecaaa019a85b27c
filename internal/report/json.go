package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/wp403/wp403/internal/record"
)

// jsonRenderer writes the report itself, indented, in struct field order
// (map keys sorted), with the schema version set and HTML characters
// left as they are so that bodies stay readable.
type jsonRenderer struct{}

func (jsonRenderer) Render(w io.Writer, r *record.Report) error {
	out := *r
	if out.Schema == "" {
		out.Schema = record.SchemaVersion
	}
	if out.Findings == nil {
		out.Findings = []record.Finding{}
	}
	if out.Observations == nil {
		out.Observations = []record.Observation{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&out); err != nil {
		return fmt.Errorf("encode json report: %w", err)
	}
	return nil
}
