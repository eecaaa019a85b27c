package cli

import (
	"fmt"
	"io"
	"sync"

	"github.com/wp403/wp403/internal/diagnose"
)

// meter shows progress on a terminal: the step lines the engine prints,
// and below them one line that is rewritten in place with the probes
// sent so far, those planned, and the current wave. It exists only when
// standard error is a terminal and --quiet is not given.
type meter struct {
	mu   sync.Mutex
	w    io.Writer
	live bool // the progress line is on screen
}

// progress returns the run's meter, or nil for silence.
func (rc *runContext) progress() *meter {
	if rc.quiet || !rc.io.Env.StderrTTY {
		return nil
	}
	return &meter{w: rc.io.Err}
}

// attach wires the meter into a diagnosis config.
func (m *meter) attach(cfg *diagnose.Config) {
	if m == nil {
		return
	}
	cfg.Progress, cfg.OnProbe = m, m.probe
}

// Write prints step lines above the progress line.
func (m *meter) Write(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.clear()
	return m.w.Write(p)
}

func (m *meter) probe(wave string, done, planned int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintf(m.w, "\r\x1b[Kwp403: %d/%d probes · wave %s", done, planned, safeWave(wave))
	m.live = true
}

// finish removes the progress line before the report is written.
func (m *meter) finish() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.clear()
}

func (m *meter) clear() {
	if m.live {
		io.WriteString(m.w, "\r\x1b[K")
		m.live = false
	}
}

// safeWave keeps a wave name printable (they are ours, but a terminal
// gets no control characters from anywhere).
func safeWave(s string) string {
	b := []rune(s)
	for i, r := range b {
		if r < 0x20 || r == 0x7f {
			b[i] = '?'
		}
	}
	return string(b)
}
