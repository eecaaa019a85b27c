package exporter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/exporter-toolkit/web"
)

// Options configure an Exporter.
type Options struct {
	// ConfigPath is the configuration file, read again on reload.
	ConfigPath string
	Runner     *Runner
	Vocab      Vocab
	// MaxProbes bounds the probes running at once; 0 means 8.
	MaxProbes int
	// History is how many recent probes the status page keeps; 0 means 100.
	History int
	// Timeout bounds a probe when Prometheus sends no scrape timeout; 0 means 2 minutes.
	Timeout time.Duration
	// Reload receives SIGHUP (or anything else that should reload).
	Reload <-chan os.Signal
	// Log receives one line per reload and per failed probe.
	Log io.Writer
	// WebConfig is the Prometheus web configuration file (TLS, basic
	// auth), read by the exporter-toolkit as every official exporter does.
	WebConfig string
	// Lifecycle enables POST /-/reload (off by default, as Prometheus's
	// --web.enable-lifecycle).
	Lifecycle bool
	// AllowedHosts are Host names answered besides localhost and IP
	// literals (see guard).
	AllowedHosts []string
}

// Exporter serves /probe, /metrics, /-/reload, /-/healthy and the
// status page.
type Exporter struct {
	opts   Options
	config atomic.Pointer[Config]
	hist   *history
	slots  chan struct{}
	log    *slog.Logger
	self   *prometheus.Registry
	m      selfMetrics
	reload sync.Mutex
}

// New loads the configuration and builds an Exporter.
func New(opts Options) (*Exporter, error) {
	if opts.MaxProbes <= 0 {
		opts.MaxProbes = 8
	}
	if opts.History <= 0 {
		opts.History = 100
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 2 * time.Minute
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	e := &Exporter{opts: opts, hist: newHistory(opts.History), slots: make(chan struct{}, opts.MaxProbes),
		log: slog.New(slog.NewTextHandler(opts.Log, nil)), self: prometheus.NewRegistry()}
	e.m = newSelfMetrics(e.self)
	e.self.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	c, err := LoadConfig(opts.ConfigPath)
	if err != nil {
		return nil, err
	}
	e.setConfig(c)
	return e, nil
}

func (e *Exporter) setConfig(c *Config) {
	e.config.Store(c)
	e.hist.keep(c)
	e.m.sites.Set(float64(len(c.Sites)))
}

// Reload reads the configuration again; on error the old one stays.
func (e *Exporter) Reload() error {
	e.reload.Lock()
	defer e.reload.Unlock()
	c, err := LoadConfig(e.opts.ConfigPath)
	if err != nil {
		e.m.reloads.WithLabelValues("failure").Inc()
		e.m.lastReload.Set(0)
		e.log.Error("reload failed, keeping the previous configuration", "err", err)
		return err
	}
	e.setConfig(c)
	e.m.reloads.WithLabelValues("success").Inc()
	e.m.lastReload.Set(1)
	e.log.Info("configuration reloaded", "sites", len(c.Sites))
	return nil
}

// Handler routes the exporter's endpoints.
func (e *Exporter) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/probe", e.probe)
	mux.Handle("/metrics", promhttp.HandlerFor(e.self, promhttp.HandlerOpts{}))
	mux.HandleFunc("/-/healthy", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "Healthy") })
	if e.opts.Lifecycle {
		mux.HandleFunc("/-/reload", e.reloadHandler)
	}
	mux.HandleFunc("/report", e.reportPage)
	mux.HandleFunc("/{$}", e.statusPage)
	return mux
}

func (e *Exporter) reloadHandler(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodPut {
		w.Header().Set("Allow", "POST")
		http.Error(w, "POST to reload the configuration", http.StatusMethodNotAllowed)
		return
	}
	if err := e.Reload(); err != nil {
		http.Error(w, "reload failed, previous configuration kept:\n"+err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintln(w, "reloaded")
}

// Serve serves on ln until ctx is done, reloading on opts.Reload, with
// the web configuration's TLS and basic auth.
func (e *Exporter) Serve(ctx context.Context, ln net.Listener) error {
	if e.opts.WebConfig != "" {
		if err := web.Validate(e.opts.WebConfig); err != nil {
			return fmt.Errorf("web configuration %s: %w", e.opts.WebConfig, err)
		}
	}
	srv := &http.Server{Handler: newGuard(e.Handler(), ln.Addr(), e.opts.AllowedHosts),
		ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 64 << 10}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				_ = srv.Shutdown(sctx)
				cancel()
				return
			case <-e.opts.Reload:
				_ = e.Reload()
			}
		}
	}()
	e.log.Info("serving", "sites", len(e.config.Load().Sites), "web_config", e.opts.WebConfig, "reload_endpoint", e.opts.Lifecycle)
	noSocket := false
	err := web.Serve(ln, srv, &web.FlagConfig{WebConfigFile: &e.opts.WebConfig, WebSystemdSocket: &noSocket,
		WebListenAddresses: &[]string{ln.Addr().String()}}, e.log)
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
