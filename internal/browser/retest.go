package browser

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net"
	"net/url"
	"os"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/wp403/wp403/internal/redact"
)

// Vantage is where the browser's requests go: the edge (DNS or --resolve)
// or the origin (every request to the site's host dialled to --origin).
type Vantage struct {
	Name string // "edge" or "origin"
	Addr string // the address the host resolves to; "" means DNS
}

// Config is one real-browser retest.
type Config struct {
	Site     *url.URL
	User     string
	Password string
	RunID    string
	Vantages []Vantage
	Step     time.Duration
	// RootCAs verifies the site's certificate (system roots plus
	// --cacert); Insecure accepts any (-k).
	RootCAs  *x509.CertPool
	Insecure bool
	Scrub    *redact.Scrubber
	Version  string
	// MaxTime bounds the whole walk, every vantage and cleanup included
	// (--max-time); 0 means no bound but the steps'.
	MaxTime time.Duration
	// Note says something once to the person running the walk.
	Note func(format string, a ...any)
}

// Result is the business path as one browser at one vantage walked it.
type Result struct {
	Vantage    string
	Steps      []StepResult
	Notice     string // the editor's notice after saving
	Screenshot []byte // JPEG of the editor after saving
	Deleted    []string
	Left       []string
	HAR        []byte // redacted HAR 1.2
	Dropped    int
	Pass       bool
}

// FailedStep is the first step that did not pass, or "".
func (r *Result) FailedStep() *StepResult {
	for i := range r.Steps {
		if !r.Steps[i].Pass {
			return &r.Steps[i]
		}
	}
	return nil
}

// Walk runs the business path once per vantage. Ctrl-C (ctx) stops the
// steps; cleanup still runs, on its own bound, in the same browser. With
// MaxTime the steps stop in time for cleanup to end by the deadline too.
func Walk(ctx context.Context, cfg Config) ([]Result, error) {
	if os.Geteuid() == 0 && cfg.Note != nil {
		cfg.Note("running as root: Chromium runs without its sandbox (it refuses to start as root with it); run as another user to keep it")
	}
	var deadline time.Time
	if cfg.MaxTime > 0 {
		deadline = time.Now().Add(cfg.MaxTime)
	}
	var out []Result
	for _, v := range cfg.Vantages {
		res, err := walkOne(ctx, cfg, v, deadline)
		if err != nil {
			return out, err
		}
		out = append(out, *res)
		if ctx.Err() != nil || !deadline.IsZero() && time.Now().After(deadline) {
			break
		}
	}
	return out, nil
}

// bounds are the contexts of one vantage's steps and of its cleanup: the
// steps end with ctx (Ctrl-C) or at the deadline less cleanup's share;
// cleanup, made when it starts, gets cleanupBound, cut to the deadline.
func bounds(ctx, bctx context.Context, deadline time.Time) (steps context.Context, clean func() (context.Context, context.CancelFunc), cancel func()) {
	stepCtx, stepCancel := context.WithCancel(bctx)
	if !deadline.IsZero() {
		share := min(cleanupBound, time.Until(deadline)/3)
		stepCancel()
		stepCtx, stepCancel = context.WithDeadline(bctx, deadline.Add(-share))
	}
	stop := context.AfterFunc(ctx, stepCancel)
	clean = func() (context.Context, context.CancelFunc) {
		at := time.Now().Add(cleanupBound)
		if !deadline.IsZero() && deadline.Before(at) {
			at = deadline
		}
		return context.WithDeadline(bctx, at)
	}
	return stepCtx, clean, func() { stop(); stepCancel() }
}

func walkOne(ctx context.Context, cfg Config, v Vantage, deadline time.Time) (*Result, error) {
	opts, err := browserOptions(ctx, cfg, v)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(opts.ProfileDir)
	// The browser lives on its own context so that cleanup can still use
	// it after Ctrl-C; the steps run on one that ends with ctx.
	bctx, stop, err := Start(context.Background(), opts)
	if err != nil {
		return nil, err
	}
	defer stop()
	rec := NewRecorder(cfg.Site.Hostname(), cfg.Scrub)
	if err := rec.Attach(bctx); err != nil {
		return nil, err
	}
	guard := NewGuard(cfg.Site)
	if err := guard.Attach(bctx); err != nil {
		return nil, err
	}
	ed := &Editor{Site: cfg.Site, User: cfg.User, Password: cfg.Password, RunID: cfg.RunID, Step: cfg.Step, Rec: rec, Guard: guard}
	stepCtx, cleanCtx, cancel := bounds(ctx, bctx, deadline)
	defer cancel()
	res := &Result{Vantage: v.Name}
	post, media := ed.walk(stepCtx, res)
	cctx, ccancel := cleanCtx() // its bound starts now, after the steps
	defer ccancel()
	clean := ed.run(cctx, StepClean, func(c context.Context) (string, error) {
		var detail string
		res.Deleted, res.Left, detail = ed.Cleanup(c, post, media)
		if len(res.Left) > 0 {
			return detail, errStep{"cleanup could not delete everything"}
		}
		return detail, nil
	})
	res.Steps = append(res.Steps, clean)
	var buf bytes.Buffer
	if err := writeHAR(&buf, rec.HAR(cfg.Version)); err != nil {
		return nil, err
	}
	res.HAR, res.Dropped = buf.Bytes(), rec.Dropped()
	res.Pass = res.FailedStep() == nil
	return res, nil
}

// walk runs the steps until one fails; it returns what was created.
func (ed *Editor) walk(ctx context.Context, res *Result) (post, media int) {
	steps := []struct {
		name string
		fn   func(context.Context) (string, error)
	}{
		{StepLogin, ed.Login},
		{StepEditor, ed.OpenEditor},
		{StepType, ed.Type},
		{StepSave, func(c context.Context) (string, error) {
			st, err := ed.Save(c)
			post = st.PostID
			res.Notice = st.Notice()
			res.Screenshot = screenshot(c)
			if err == nil && !st.OK {
				err = errStep{"the editor could not save the draft: " + orNone(res.Notice)}
			}
			return fmt.Sprintf("post %d: %s", st.PostID, orNone(res.Notice)), err
		}},
		{StepUpload, func(c context.Context) (string, error) {
			id, detail, err := ed.Upload(c)
			media = id
			return detail, err
		}},
	}
	for _, s := range steps {
		r := ed.run(ctx, s.name, s.fn)
		res.Steps = append(res.Steps, r)
		if !r.Pass {
			if s.name == StepEditor || s.name == StepType {
				post = currentPost(ctx)
			}
			return post, media
		}
	}
	return post, media
}

func orNone(s string) string {
	if s == "" {
		return "no notice"
	}
	return s
}

// currentPost is the editor's post id (the auto-draft post-new.php made).
func currentPost(ctx context.Context) int {
	c, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	id, err := chromedp.Run(c, chromedp.Evaluate[int](`(window.wp && wp.data && wp.data.select('core/editor')) ? wp.data.select('core/editor').getCurrentPostId() || 0 : 0`))
	if err != nil {
		return 0
	}
	return id
}

// screenshot is the visible editor, notices included, as a JPEG.
func screenshot(ctx context.Context) []byte {
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	q := int64(70)
	res, err := chromedp.Call(c, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatJpeg, Quality: &q})
	if err != nil || len(res.Data) > 2<<20 {
		return nil
	}
	return res.Data
}

// browserOptions maps the vantage onto Chromium: the host resolves to the
// vantage's address, and the site's certificate is verified here, with
// Go's verifier and the run's roots, then pinned by its public key so that
// Chromium accepts exactly that certificate and no other.
func browserOptions(ctx context.Context, cfg Config, v Vantage) (Options, error) {
	dir, err := os.MkdirTemp("", "wp403-browser-")
	if err != nil {
		return Options{}, err
	}
	o := Options{ProfileDir: dir, Width: 1280, Height: 900, IgnoreCertErrors: cfg.Insecure, NoSandbox: os.Geteuid() == 0}
	host := cfg.Site.Hostname()
	if v.Addr != "" {
		o.HostRules = "MAP " + host + " " + v.Addr + ", EXCLUDE localhost"
	}
	if cfg.Site.Scheme == "https" && !cfg.Insecure {
		pin, err := spkiPin(ctx, cfg, v)
		if err != nil {
			os.RemoveAll(dir)
			return Options{}, err
		}
		o.SPKIPins = pin
	}
	return o, nil
}

// spkiPin connects once, verifies the chain for the site's host name, and
// returns the base64 SHA-256 of the leaf's public key.
func spkiPin(ctx context.Context, cfg Config, v Vantage) (string, error) {
	host := cfg.Site.Hostname()
	port := cfg.Site.Port()
	if port == "" {
		port = "443"
	}
	addr := host
	if v.Addr != "" {
		addr = v.Addr
	}
	d := tls.Dialer{NetDialer: &net.Dialer{Timeout: 10 * time.Second},
		Config: &tls.Config{ServerName: host, RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12}}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(addr, port))
	if err != nil {
		return "", fmt.Errorf("browser: TLS to %s (%s): %w", host, v.Name, err)
	}
	defer conn.Close()
	certs := conn.(*tls.Conn).ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return "", fmt.Errorf("browser: %s sent no certificate", host)
	}
	sum := sha256.Sum256(certs[0].RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:]), nil
}
