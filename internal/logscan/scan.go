package logscan

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"time"

	"github.com/wp403/wp403/internal/record"
	"github.com/wp403/wp403/internal/redact"
)

// Options control a scan.
type Options struct {
	Format    string     // force a format (a Fmt… name); "" detects it
	LogFormat *LogFormat // a custom access-log format (--log-format)
	Prefix    string     // the REST prefix, "/wp-json/" when empty
	All       bool       // keep requests that are not REST-related
	Since     time.Time  // drop entries before (zero: no bound)
	Until     time.Time  // drop entries after (zero: no bound)
	MaxLine   int        // longest line read whole (DefaultMaxLine)
	Samples   int        // unparsed lines kept as samples (default 5)
	// Zone is where the logs were written, for the formats whose times
	// carry no zone (nginx and Apache error logs, libmodsecurity's JSON,
	// Coraza); UTC when nil.
	Zone *time.Location
}

// Sample is one line that did not parse, shortened and scrubbed.
type Sample struct {
	Line int    `json:"line"`
	Text string `json:"text"`
}

// Stats says what a scan read.
type Stats struct {
	Source   string   `json:"source"`
	Format   string   `json:"format"`
	Lines    int      `json:"lines"`
	Entries  int      `json:"entries"`
	Skipped  int      `json:"skipped,omitempty"`  // lines of requests that are not REST-related
	Filtered int      `json:"filtered,omitempty"` // entries outside --since/--until
	Unparsed int      `json:"unparsed"`
	TooLong  int      `json:"too_long,omitempty"`
	Samples  []Sample `json:"samples,omitempty"`
	Error    string   `json:"error,omitempty"` // why the file could not be read
}

// ScanFile opens a plain or gzip file and scans it.
func ScanFile(ctx context.Context, path string, opt Options, emit func(record.LogEntry)) (Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return Stats{Source: path}, fmt.Errorf("open log: %w", err)
	}
	defer f.Close()
	return Scan(ctx, f, path, opt, emit)
}

// Scan reads one log from r, detecting its format unless opt.Format is
// set, and calls emit for every entry kept. Lines that do not parse are
// counted and sampled; only I/O errors and an undetectable format fail.
func Scan(ctx context.Context, r io.Reader, source string, opt Options, emit func(record.LogEntry)) (Stats, error) {
	st := Stats{Source: source}
	dr, err := decompress(bufio.NewReaderSize(r, 64<<10))
	if err != nil {
		return st, fmt.Errorf("%s: %w", source, err)
	}
	br := bufio.NewReaderSize(dr, sniffBytes)
	format, doc := opt.Format, false
	if format == "" {
		if format, doc, err = detect(br, &opt); err != nil {
			return st, fmt.Errorf("%s: %w", source, err)
		}
	}
	st.Format = format
	keep := opt.keeper(&st)
	out := func(e record.LogEntry) {
		if keep(&e) {
			st.Entries++
			emit(e)
		}
	}
	if doc {
		st.Unparsed, err = scanCloudflareDoc(br, source, func(*record.LogEntry) bool { return true }, out)
		if err != nil {
			return st, fmt.Errorf("%s: %w", source, err)
		}
		return st, nil
	}
	return st, scanLines(ctx, br, &opt, &st, out)
}

func scanLines(ctx context.Context, br *bufio.Reader, opt *Options, st *Stats, out emitFunc) error {
	p, err := newParser(st.Format, opt, st.Source)
	if err != nil {
		return err
	}
	lr := newLineReader(br, opt.MaxLine)
	for {
		line, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			p.end(out) // what was read before the damage still counts
			st.Lines, st.TooLong = lr.n, lr.tooLong
			return fmt.Errorf("%s: line %d: %w", st.Source, lr.n+1, err)
		}
		if lr.n&0xffff == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if len(line) == 0 || p.line(line, lr.n, out) {
			continue
		}
		st.Unparsed++
		if len(st.Samples) < opt.samples() {
			st.Samples = append(st.Samples, Sample{Line: lr.n, Text: scrubSample(string(line))})
		}
	}
	p.end(out)
	st.Lines, st.TooLong = lr.n, lr.tooLong
	st.Unparsed += lr.tooLong
	st.Skipped = skipped(p)
	if st.Format != p.name() {
		st.Format = p.name() // the dialect the first record named
	}
	return nil
}

func (o *Options) samples() int {
	if o.Samples == 0 {
		return 5
	}
	return o.Samples
}

// keeper applies --since/--until, counting what it drops.
func (o *Options) keeper(st *Stats) func(*record.LogEntry) bool {
	return func(e *record.LogEntry) bool {
		if e.Time.IsZero() {
			return true
		}
		if (!o.Since.IsZero() && e.Time.Before(o.Since)) || (!o.Until.IsZero() && e.Time.After(o.Until)) {
			st.Filtered++
			return false
		}
		return true
	}
}

func skipped(p parser) int {
	switch p := p.(type) {
	case *accessParser:
		return p.skip
	case *customParser:
		return p.skip
	case *edgeParser:
		return p.skip
	case *cfCSVParser:
		return p.skip
	}
	return 0
}

var reSecretText = regexp.MustCompile(`(?i)((?:cookie|authorization|x-wp-nonce)"?\s*[:=]\s*"?)[^"\r\n]*|((?:_wpnonce|_ajax_nonce|pwd|password)=)[^&\s"]*`)

// scrubSample shortens an unparsed line and masks anything secret in it.
func scrubSample(s string) string {
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return reSecretText.ReplaceAllString(s, "${1}${2}"+redact.Mask)
}

// ReadFiles scans several files and returns their entries in file order.
// An unreadable file is reported in its Stats and the error, and the
// other files are still read.
func ReadFiles(ctx context.Context, paths []string, opt Options) ([]record.LogEntry, []Stats, error) {
	var all []record.LogEntry
	var stats []Stats
	var firstErr error
	for _, p := range paths {
		st, err := ScanFile(ctx, p, opt, func(e record.LogEntry) { all = append(all, e) })
		stats = append(stats, st)
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return all, stats, firstErr
}
