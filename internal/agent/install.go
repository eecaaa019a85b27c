package agent

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Plugin is the mu-plugin's source (PHP 7.4+).
//
//go:embed php/wp403-agent.php
var Plugin []byte

// FileName is the plugin's name in mu-plugins; the leading 0 loads it
// before other mu-plugins (WordPress loads them in name order), so it sees
// one that answers while loading.
const FileName = "0-wp403-agent.php"

// ErrNoWordPress says a --wp-path holds no WordPress.
var ErrNoWordPress = errors.New("not a WordPress folder")

var defineDir = regexp.MustCompile(`define\(\s*['"](WPMU_PLUGIN_DIR|WP_CONTENT_DIR)['"]\s*,\s*['"]([^'"]+)['"]\s*\)`)

// MuPluginsDir finds the mu-plugins folder of the WordPress at wpPath. It
// honours WPMU_PLUGIN_DIR and WP_CONTENT_DIR defined as plain strings in
// wp-config.php, or in Debian's /etc/wordpress/config-*.php files when
// wp-config.php reads them (content in /var/lib/wordpress/wp-content). When
// the files disagree it asks for an explicit folder.
func MuPluginsDir(wpPath, etcDir string) (string, error) {
	if _, err := os.Stat(filepath.Join(wpPath, "wp-settings.php")); err != nil {
		return "", fmt.Errorf("%w: %s has no wp-settings.php", ErrNoWordPress, wpPath)
	}
	configs := []string{filepath.Join(wpPath, "wp-config.php"), filepath.Join(filepath.Dir(wpPath), "wp-config.php")}
	mu, content := map[string]bool{}, map[string]bool{}
	for _, c := range configs {
		text, err := readSmall(c)
		if err != nil {
			continue
		}
		if strings.Contains(text, "/etc/wordpress/config-") && etcDir != "" {
			extra, _ := filepath.Glob(filepath.Join(etcDir, "config-*.php"))
			sort.Strings(extra)
			for _, e := range extra {
				if t, err := readSmall(e); err == nil {
					collect(t, mu, content)
				}
			}
		}
		collect(text, mu, content)
		break
	}
	switch {
	case len(mu) == 1:
		return only(mu), nil
	case len(mu) > 1:
		return "", fmt.Errorf("WPMU_PLUGIN_DIR is defined as %s: give --mu-plugins-dir", strings.Join(keys(mu), " and "))
	case len(content) == 1:
		return filepath.Join(only(content), "mu-plugins"), nil
	case len(content) > 1:
		return "", fmt.Errorf("WP_CONTENT_DIR is defined as %s: give --mu-plugins-dir", strings.Join(keys(content), " and "))
	}
	return filepath.Join(wpPath, "wp-content", "mu-plugins"), nil
}

func collect(text string, mu, content map[string]bool) {
	for _, m := range defineDir.FindAllStringSubmatch(text, -1) {
		if !filepath.IsAbs(m[2]) {
			continue
		}
		if m[1] == "WPMU_PLUGIN_DIR" {
			mu[filepath.Clean(m[2])] = true
		} else {
			content[filepath.Clean(m[2])] = true
		}
	}
}

func readSmall(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b := make([]byte, 256<<10)
	n, err := f.Read(b)
	if err != nil && n == 0 {
		return "", err
	}
	return string(b[:n]), nil
}

func only(m map[string]bool) string { return keys(m)[0] }

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Install writes the plugin into dir (created if missing), atomically, and
// returns the file's path.
func Install(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, FileName)
	tmp, err := os.CreateTemp(dir, ".wp403-agent-*.tmp")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(Plugin); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(tmp.Name(), path)
}

// Uninstall removes the plugin from dir; it reports whether it was there.
func Uninstall(dir string) (bool, error) {
	err := os.Remove(filepath.Join(dir, FileName))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

var tablePrefix = regexp.MustCompile(`\$table_prefix\s*=\s*['"]([A-Za-z0-9_]{1,64})['"]`)

// TablePrefix is the database table prefix of the WordPress at wpPath, read
// from wp-config.php (or Debian's config files), "wp_" when not found.
func TablePrefix(wpPath, etcDir string) string {
	var files []string
	if etcDir != "" { // Debian's config-HOST.php set it before wp-config.php's default
		files, _ = filepath.Glob(filepath.Join(etcDir, "config-*.php"))
		sort.Strings(files)
	}
	files = append(files, filepath.Join(wpPath, "wp-config.php"), filepath.Join(filepath.Dir(wpPath), "wp-config.php"))
	for _, f := range files {
		if text, err := readSmall(f); err == nil {
			if m := tablePrefix.FindStringSubmatch(text); m != nil {
				return m[1]
			}
		}
	}
	return "wp_"
}

// PurgeSQL is the statement that deletes what the agent stores, for a
// table prefix (validated: letters, digits, underscore).
func PurgeSQL(prefix string) string {
	if !tablePrefix.MatchString("$table_prefix='" + prefix + "'") {
		prefix = "wp_"
	}
	return "DELETE FROM `" + prefix + "options` WHERE option_name LIKE 'wp403\\_agent\\_%';"
}
