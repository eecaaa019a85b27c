package labkit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// Fixed lab topology (see lab/README.md).
const (
	Host       = "blog.wp403.test"
	EdgeAddr   = "127.0.80.1"
	NginxAddr  = "127.0.81.1"
	ApacheAddr = "127.0.82.1"
)

// ErrNotUp is wrapped by Load when the lab is not running; callers skip.
var ErrNotUp = errors.New("wp403 lab is not up")

// User holds one WordPress account of the lab.
type User struct {
	Login       string `json:"login"`
	Password    string `json:"password"`
	AppPassword string `json:"app_password"`
	ID          int    `json:"id"`
}

// Logs names the log files of the lab's daemons.
type Logs struct {
	NginxAccess       string `json:"nginx_access"`
	NginxError        string `json:"nginx_error"`
	ModsecAudit       string `json:"modsec_audit"`
	ApacheAccess      string `json:"apache_access"`
	ApacheError       string `json:"apache_error"`
	ApacheModsecAudit string `json:"apache_modsec_audit"`
	HAProxy           string `json:"haproxy"`
	PHPFPM            string `json:"php_fpm"`
	PHPError          string `json:"php_error"`
	Caddy             string `json:"caddy"` // the Caddy edge's JSON log (access and error loggers)
}

// Lab is the running lab as described by lab/.state/credentials.json.
type Lab struct {
	Host           string            `json:"host"`
	Edge           string            `json:"edge"`
	Origins        map[string]string `json:"origins"`
	Edges          map[string]string `json:"edges"` // edge server name → address (Edge is HAProxy's)
	CA             string            `json:"ca"`
	StateDir       string            `json:"state_dir"`
	Users          map[string]User   `json:"users"`
	Posts          map[string]int    `json:"posts"`
	ActiveScenario string            `json:"active_scenario"`
	Logs           Logs              `json:"logs"`
	// AgentKeyFile holds the key of the wp403 agent that lab/up installs
	// as a mu-plugin in every scenario (internal/agent).
	AgentKeyFile string `json:"agent_key_file"`

	dir     string // the lab/ folder
	clients map[string]*vantageClient
}

// Dir returns the lab/ folder: $WP403_LAB_DIR, or lab/ next to this package's module root.
func Dir() string {
	if d := os.Getenv("WP403_LAB_DIR"); d != "" {
		return d
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "lab"
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "lab")
}

// CredentialsPath is the lab's single state file.
func CredentialsPath() string { return filepath.Join(Dir(), ".state", "credentials.json") }

// Load reads the lab state and checks that the edge answers. The error wraps
// ErrNotUp when the lab is absent or stopped, with the reason.
func Load() (*Lab, error) {
	path := CredentialsPath()
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s missing (run lab/up as root)", ErrNotUp, path)
	}
	l := &Lab{dir: Dir()}
	if err := json.Unmarshal(data, l); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	if err := l.ping(); err != nil {
		return nil, fmt.Errorf("%w: %v (run lab/up as root)", ErrNotUp, err)
	}
	return l, nil
}

// Dir returns the lab/ folder this Lab was loaded from.
func (l *Lab) Dir() string { return l.dir }

// Creds returns the account of a role key: administrator, editor or author.
func (l *Lab) Creds(role string) (User, error) {
	u, ok := l.Users[role]
	if !ok {
		return User{}, fmt.Errorf("no lab user for role %q", role)
	}
	return u, nil
}

// Active reads the active scenario name from the state folder.
func (l *Lab) Active() string {
	data, err := os.ReadFile(filepath.Join(l.dir, ".state", "active_scenario"))
	if err != nil {
		return "healthy"
	}
	return strings.TrimSpace(string(data))
}

// OriginAddr returns the address of the origin flavour ("nginx" or "apache").
func (l *Lab) OriginAddr(flavour string) (string, error) {
	addr, ok := l.Origins[flavour]
	if !ok {
		return "", fmt.Errorf("unknown origin %q", flavour)
	}
	return addr, nil
}

// EdgeAddr returns the address of the scenario's edge server: HAProxy's
// (Edge) unless the scenario names another.
func (l *Lab) EdgeAddr(s Scenario) (string, error) {
	if s.Edge() == "haproxy" {
		return l.Edge, nil
	}
	addr, ok := l.Edges[s.Edge()]
	if !ok {
		return "", fmt.Errorf("edge server %q is not in credentials.json (run lab/up)", s.Edge())
	}
	return addr, nil
}

// Addr maps a vantage to an address: "edge" and "origin" (the active
// scenario's edge server and origin), or an origin by name ("nginx", …).
func (l *Lab) Addr(vantage string) (string, error) {
	switch vantage {
	case "edge", "origin":
		s, err := LoadScenario(l.dir, l.Active())
		if err != nil {
			return "", fmt.Errorf("active scenario: %w", err)
		}
		if vantage == "edge" {
			return l.EdgeAddr(s)
		}
		return l.OriginAddr(s.Origin)
	default:
		return l.OriginAddr(vantage)
	}
}

// LockEnv is exported to child processes while this process holds the lab lock,
// so that lab/scenario does not wait for a lock its own parent holds.
const LockEnv = "WP403_LAB_LOCK_HELD"

// Lock takes the lab lock (lab/.state/lock, flock) so that no other process
// switches scenarios until unlock is called. Hold it around a Switch and the
// requests that depend on it; lab/verify holds it for its whole run. It waits
// until ctx is done.
func (l *Lab) Lock(ctx context.Context) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(l.dir, ".state", "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lab lock: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("wait for lab lock: %w", ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
	prev, had := os.LookupEnv(LockEnv)
	os.Setenv(LockEnv, "1")
	return func() {
		if had {
			os.Setenv(LockEnv, prev)
		} else {
			os.Unsetenv(LockEnv)
		}
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// AgentKeyPath is the file holding the wp403 agent's key: credentials.json's
// agent_key_file, or lab/.state/agent.key for a lab set up before it was named there.
func (l *Lab) AgentKeyPath() string {
	if l.AgentKeyFile != "" {
		return l.AgentKeyFile
	}
	return filepath.Join(l.dir, ".state", "agent.key")
}
