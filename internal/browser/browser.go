package browser

import (
	"context"
	"errors"
	"os/exec"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// ErrNotFound says no Chromium binary is on PATH.
var ErrNotFound = errors.New("no chromium binary on PATH (Debian: apt-get install chromium)")

// names are the binaries tried, Debian's first.
var names = []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"}

// Find returns the path of the browser binary.
func Find() (string, error) {
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNotFound
}

// Options tunes one browser.
type Options struct {
	Exec       string // binary; "" means Find
	ProfileDir string // user data directory, private to this browser; required
	Width      int    // window size; 0 means 1280×900
	Height     int
	// ProxyServer, when set, routes the browser's traffic (--proxy-server).
	ProxyServer string
	// HostRules maps host names to addresses (--host-resolver-rules), as
	// --resolve does for probes.
	HostRules string
	// IgnoreCertErrors accepts any certificate (-k).
	IgnoreCertErrors bool
	// NoSandbox turns Chromium's sandbox off, which it needs to run as
	// root; everyone else keeps it.
	NoSandbox bool
	// SPKIPins accepts certificates whose public key has one of these
	// base64 SHA-256 hashes (comma-separated), verified elsewhere.
	SPKIPins string
}

// Start launches a headless browser, with downloads denied, and returns a
// context for chromedp actions and a function that stops it. The browser also stops when ctx
// ends.
func Start(ctx context.Context, o Options) (context.Context, context.CancelFunc, error) {
	if o.ProfileDir == "" {
		return nil, nil, errors.New("browser: a private profile directory is required")
	}
	path := o.Exec
	if path == "" {
		var err error
		if path, err = Find(); err != nil {
			return nil, nil, err
		}
	}
	w, h := o.Width, o.Height
	if w <= 0 || h <= 0 {
		w, h = 1280, 900
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "OptimizationHints,MediaRouter,Translate,AutofillServerCommunication"),
		chromedp.UserDataDir(o.ProfileDir),
		chromedp.WindowSize(w, h),
	}
	if o.NoSandbox {
		opts = append(opts, chromedp.NoSandbox)
	}
	if o.ProxyServer != "" {
		opts = append(opts, chromedp.ProxyServer(o.ProxyServer))
	}
	if o.HostRules != "" {
		opts = append(opts, chromedp.Flag("host-resolver-rules", o.HostRules))
	}
	if o.SPKIPins != "" {
		opts = append(opts, chromedp.Flag("ignore-certificate-errors-spki-list", o.SPKIPins))
	}
	if o.IgnoreCertErrors {
		opts = append(opts, chromedp.IgnoreCertErrors)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancel := chromedp.NewContext(allocCtx)
	err := chromedp.Do(bctx)
	if err == nil { // a site cannot drop files on the machine
		_, err = chromedp.CallBrowser(bctx, cdpbrowser.SetDownloadBehavior,
			cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorDeny})
	}
	if err != nil {
		cancel()
		cancelAlloc()
		return nil, nil, err
	}
	return bctx, func() { cancel(); cancelAlloc() }, nil
}
