package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/wp403/wp403/internal/signature"
)

// signaturesCmd lists the embedded signature database.
type signaturesCmd struct {
	Format string `short:"f" enum:"text,json" default:"text" help:"Output format: text or json."`
	Vendor string `placeholder:"NAME" help:"Only signatures whose vendor contains NAME (any case)."`
}

func (c *signaturesCmd) Run(rc *runContext) error {
	db, err := signature.Default()
	if err != nil {
		return fmt.Errorf("load signature database: %w", err)
	}
	var sigs []signature.Signature
	for _, s := range db.Signatures() {
		if c.Vendor == "" || strings.Contains(strings.ToLower(s.Vendor), strings.ToLower(c.Vendor)) {
			sigs = append(sigs, s)
		}
	}
	if c.Format == "json" {
		enc := json.NewEncoder(rc.io.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sigs); err != nil {
			return fmt.Errorf("write signatures: %w", err)
		}
		return nil
	}
	return writeSignatures(rc.io.Out, sigs, len(db.Vendors()))
}

func writeSignatures(w io.Writer, sigs []signature.Signature, vendors int) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tVENDOR\tLAYER\tKIND\tMECHANISM")
	for _, s := range sigs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.Vendor, s.Layer, s.Kind, orDash(string(s.Mechanism)))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write signatures: %w", err)
	}
	_, err := fmt.Fprintf(w, "%d signatures (%d vendors and components in the database)\n", len(sigs), vendors)
	return err
}
