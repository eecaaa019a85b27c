package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/wp403/wp403/internal/record"
)

// maxReportBytes bounds what Decode reads; real reports are far smaller.
const maxReportBytes = 64 << 20

// Decode reads a JSON report, as the json renderer writes it, and checks
// that it is one this version understands: the schema is
// record.SchemaVersion, every finding has an id, a known severity and a
// layer, and every observation a finding cites is in the report. Unknown
// fields are ignored, since additive changes keep the schema version.
func Decode(r io.Reader) (*record.Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxReportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	if len(data) > maxReportBytes {
		return nil, fmt.Errorf("read report: larger than %d MiB", maxReportBytes>>20)
	}
	var probe struct {
		Schema *string `json:"schema"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("decode report: %w", err)
	}
	switch {
	case probe.Schema == nil:
		return nil, errors.New("decode report: no \"schema\" field; not a wp403 JSON report")
	case *probe.Schema != record.SchemaVersion:
		return nil, fmt.Errorf("decode report: schema %q is not supported (this wp403 reads %s)", *probe.Schema, record.SchemaVersion)
	}
	rep := new(record.Report)
	if err := json.Unmarshal(data, rep); err != nil {
		return nil, fmt.Errorf("decode report: %w", err)
	}
	if err := validate(rep); err != nil {
		return nil, fmt.Errorf("decode report: %w", err)
	}
	return rep, nil
}

var severities = []record.Severity{record.SevBlock, record.SevWarn, record.SevInfo}

func validate(r *record.Report) error {
	ids := make(map[string]bool, len(r.Observations))
	for i, o := range r.Observations {
		if o.ID == "" {
			return fmt.Errorf("observation %d: empty id", i+1)
		}
		if ids[o.ID] {
			return fmt.Errorf("observation %d: duplicate id %q", i+1, o.ID)
		}
		ids[o.ID] = true
	}
	for i, f := range r.Findings {
		switch {
		case f.ID == "":
			return fmt.Errorf("finding %d: empty id", i+1)
		case !slices.Contains(severities, f.Severity):
			return fmt.Errorf("finding %s: unknown severity %q (want block, warn or info)", f.ID, f.Severity)
		case f.Layer == "":
			return fmt.Errorf("finding %s: empty layer", f.ID)
		}
		for _, id := range f.Observations {
			if !ids[id] {
				return fmt.Errorf("finding %s: cites observation %q, which is not in the report", f.ID, id)
			}
		}
	}
	return nil
}
