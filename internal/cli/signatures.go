package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/wp403/wp403/internal/signature"
)

// signaturesCmd lists the embedded signature database.
type signaturesCmd struct {
	Format string `short:"f" name:"format" placeholder:"FORMAT" complete:"text,json" help:"Output format: text or json (default: from the -o extension, else text)."`
	Output string `short:"o" name:"output" placeholder:"FILE" help:"Write to FILE (atomically) instead of standard output."`
	Vendor string `placeholder:"NAME" help:"Only signatures whose vendor contains NAME (any case)."`
}

func (c *signaturesCmd) Run(rc *runContext) error {
	format, err := pickFormat(c.Format, c.Output, dataFormats)
	if err != nil {
		return err
	}
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
	out, err := openOutput(rc, c.Output)
	if err != nil {
		return err
	}
	if format == "json" {
		if err = writeJSON(out.w, sigs); err != nil {
			err = fmt.Errorf("write signatures: %w", err)
		}
	} else {
		err = writeSignatures(out.text(), sigs, len(db.Vendors()))
	}
	return out.finish(err)
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
