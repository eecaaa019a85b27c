package signature

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wp403/wp403/internal/product"
	"github.com/wp403/wp403/internal/record"
)

// maxData caps one data document, so a hostile file cannot exhaust memory.
const maxData = 4 << 20

var (
	idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,63}$`)
	sigLayers = []record.Layer{record.LayerEdge, record.LayerWAF, record.LayerServer, record.LayerPHP, record.LayerWordPress, record.LayerPlugin}
)

func parse(data []byte) ([]Signature, error) {
	if len(data) > maxData {
		return nil, fmt.Errorf("signature data is %d bytes, more than %d", len(data), maxData)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty signature document")
		}
		return nil, fmt.Errorf("parse signatures: %w", err)
	}
	return f.Signatures, nil
}

// build validates every signature and compiles its matchers.
func build(sigs []Signature) (*DB, error) {
	if len(sigs) == 0 {
		return nil, errors.New("no signatures")
	}
	db := &DB{sigs: sigs, byID: make(map[string]int, len(sigs)), lits: newLitScanner()}
	var errs []error
	for i := range sigs {
		s := &sigs[i]
		if _, dup := db.byID[s.ID]; dup {
			errs = append(errs, fmt.Errorf("signature %q: duplicate id", s.ID))
			continue
		}
		db.byID[s.ID] = i
		if err := resolveProduct(s); err != nil {
			errs = append(errs, fmt.Errorf("signature %q: %w", s.ID, err))
			continue
		}
		if err := validate(s); err != nil {
			errs = append(errs, fmt.Errorf("signature %q: %w", s.ID, err))
			continue
		}
		c, err := compile(s, db.lits)
		if err != nil {
			errs = append(errs, fmt.Errorf("signature %q: %w", s.ID, err))
			continue
		}
		db.compiled = append(db.compiled, c)
	}
	for _, s := range sigs {
		for _, sup := range s.Supersedes {
			if _, ok := db.byID[sup]; !ok || sup == s.ID {
				errs = append(errs, fmt.Errorf("signature %q: supersedes unknown id %q", s.ID, sup))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	db.byCode = map[string][]*compiled{}
	for _, c := range db.compiled {
		if c.code != "" {
			db.byCode[c.code] = append(db.byCode[c.code], c)
		} else {
			db.general = append(db.general, c)
		}
	}
	return db, nil
}

// resolveProduct ties a signature to its registry entry: the product it
// names, or the one its vendor names exactly. A signature from a user's
// file may name a vendor the registry lacks (its remedies are then the
// generic ones); the embedded data may not (TestSignatureProducts).
func resolveProduct(s *Signature) error {
	if s.Product == "" {
		if p := product.Named(s.Vendor); p != nil {
			s.Product = p.ID
		}
		return nil
	}
	p := product.ByID(s.Product)
	if p == nil {
		return fmt.Errorf("product %q is not in the registry (internal/product/data)", s.Product)
	}
	if strings.TrimSpace(s.Vendor) == "" {
		s.Vendor = p.Name
	}
	return nil
}

func validate(s *Signature) error {
	switch {
	case !idPattern.MatchString(s.ID):
		return errors.New("id must be lower-case letters, digits and dashes")
	case strings.TrimSpace(s.Vendor) == "":
		return errors.New("vendor is empty")
	case !slices.Contains(sigLayers, s.Layer):
		return fmt.Errorf("layer %q is not one of edge, waf, server, php, wordpress, plugin", s.Layer)
	case s.Kind != record.KindPresence && s.Kind != record.KindRefusal:
		return fmt.Errorf("kind %q is not presence or refusal", s.Kind)
	case strings.TrimSpace(s.Meaning) == "":
		return errors.New("meaning is empty")
	case strings.TrimSpace(s.Source) == "":
		return errors.New("source is empty")
	case len(s.All)+len(s.Any) == 0:
		return errors.New("no conditions in all or any")
	case s.Page != "" && PageShapes[s.Page] == "":
		return fmt.Errorf("page %q is not a known shape", s.Page)
	}
	for _, st := range s.Status {
		if st < 100 || st > 999 {
			return fmt.Errorf("status %d is out of range", st)
		}
	}
	return validateMechanisms(s)
}

func validateMechanisms(s *Signature) error {
	if s.Kind == record.KindPresence {
		if s.Mechanism != "" || len(s.MechanismByStatus) > 0 {
			return errors.New("a presence signature has no mechanism")
		}
		return nil
	}
	if !slices.Contains(record.Mechanisms, s.Mechanism) {
		return fmt.Errorf("mechanism %q is not in the closed vocabulary", s.Mechanism)
	}
	for st, m := range s.MechanismByStatus {
		if st < 100 || st > 999 || !slices.Contains(record.Mechanisms, m) {
			return fmt.Errorf("mechanism_by_status %d: %q is not valid", st, m)
		}
	}
	return nil
}
