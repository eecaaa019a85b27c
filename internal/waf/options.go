package waf

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Place says where a user rule file is loaded relative to the CRS rules.
type Place int

// The placements. PlaceAuto decides by file name: names containing
// "before" or "config" (CRS plugin and REQUEST-900 conventions) load
// before the CRS rules, everything else after them.
const (
	PlaceAuto Place = iota
	PlaceBefore
	PlaceAfter
)

// Body processors, as the target server is configured.
const (
	BodyJSON       = "json"       // modsecurity.conf-recommended: JSON for application/json (rule 200001)
	BodyURLEncoded = "urlencoded" // no JSON processor: JSON bodies are inspected as one blob
	BodyOff        = "off"        // SecRequestBodyAccess Off: bodies are not inspected
)

// RuleSource is a rule file or a directory of *.conf files.
type RuleSource struct {
	Path  string
	Place Place
}

// Server describes the real server the replay stands in for, so the
// result can say how far it is an approximation. Empty fields mean unknown.
type Server struct {
	Engine string // "modsecurity-v2", "modsecurity-v3", "coraza"
	CRS    string // "3.3.4", "4"
}

// Options configure one WAF build.
type Options struct {
	Paranoia      int          // blocking paranoia level 1–4; 0 means 1
	Threshold     int          // inbound anomaly score threshold; 0 means 5
	BodyProcessor string       // BodyJSON (default), BodyURLEncoded or BodyOff
	Rules         []RuleSource // the user's rule or exclusion files
	NoCRS         bool         // load only Rules (a full rule set of the user's own), not the embedded CRS
	Server        Server
}

// normalize fills defaults and checks ranges.
func (o Options) normalize() (Options, error) {
	if o.Paranoia == 0 {
		o.Paranoia = 1
	}
	if o.Threshold == 0 {
		o.Threshold = 5
	}
	if o.BodyProcessor == "" {
		o.BodyProcessor = BodyJSON
	}
	if o.Paranoia < 1 || o.Paranoia > 4 {
		return o, fmt.Errorf("paranoia level %d: want 1 to 4", o.Paranoia)
	}
	if o.Threshold < 1 {
		return o, fmt.Errorf("anomaly threshold %d: want at least 1", o.Threshold)
	}
	switch o.BodyProcessor {
	case BodyJSON, BodyURLEncoded, BodyOff:
	default:
		return o, fmt.Errorf("body processor %q: want json, urlencoded or off", o.BodyProcessor)
	}
	if o.NoCRS && len(o.Rules) == 0 {
		return o, fmt.Errorf("no rules to load: the embedded CRS is off and no rule files were given")
	}
	return o, nil
}

// ruleFile is one resolved user rule file.
type ruleFile struct {
	path   string // absolute
	before bool
	stamp  string // size and modification time, for the cache key
}

// resolve expands the rule sources into files in load order.
func resolve(srcs []RuleSource) ([]ruleFile, error) {
	var out []ruleFile
	for _, s := range srcs {
		abs, err := filepath.Abs(s.Path)
		if err != nil {
			return nil, fmt.Errorf("rules %s: %w", s.Path, err)
		}
		st, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
		paths := []string{abs}
		if st.IsDir() {
			if paths, err = filepath.Glob(filepath.Join(abs, "*.conf")); err != nil {
				return nil, fmt.Errorf("rules %s: %w", abs, err)
			}
			if len(paths) == 0 {
				return nil, fmt.Errorf("rules %s: no *.conf files", abs)
			}
			sort.Strings(paths)
		}
		for _, p := range paths {
			fi, err := os.Stat(p)
			if err != nil {
				return nil, fmt.Errorf("rules: %w", err)
			}
			out = append(out, ruleFile{
				path:   p,
				before: placeBefore(s.Place, filepath.Base(p)),
				stamp:  fmt.Sprintf("%d@%d", fi.Size(), fi.ModTime().UnixNano()),
			})
		}
	}
	return out, nil
}

func placeBefore(p Place, name string) bool {
	switch p {
	case PlaceBefore:
		return true
	case PlaceAfter:
		return false
	}
	n := strings.ToLower(name)
	return strings.Contains(n, "before") || strings.Contains(n, "config")
}

// directives is the SecLang program for one build.
func directives(o Options, files []ruleFile) string {
	var b strings.Builder
	b.WriteString("Include @coraza.conf-recommended\n")
	// The recommended configuration ships DetectionOnly: nothing would block.
	b.WriteString("SecRuleEngine On\nSecAuditEngine Off\nSecResponseBodyAccess Off\n")
	switch o.BodyProcessor {
	case BodyURLEncoded:
		b.WriteString("SecRuleRemoveById 200001 200006\n")
	case BodyOff:
		b.WriteString("SecRequestBodyAccess Off\n")
	}
	if !o.NoCRS {
		b.WriteString("Include @crs-setup.conf.example\n")
		fmt.Fprintf(&b, "SecAction \"id:900000,phase:1,pass,t:none,nolog,setvar:tx.blocking_paranoia_level=%d\"\n", o.Paranoia)
		fmt.Fprintf(&b, "SecAction \"id:900110,phase:1,pass,t:none,nolog,setvar:tx.inbound_anomaly_score_threshold=%d\"\n", o.Threshold)
	}
	for _, f := range files {
		if f.before {
			fmt.Fprintf(&b, "Include %s\n", f.path)
		}
	}
	if !o.NoCRS {
		b.WriteString("Include @owasp_crs/*.conf\n")
	}
	for _, f := range files {
		if !f.before {
			fmt.Fprintf(&b, "Include %s\n", f.path)
		}
	}
	// A user's own base configuration may say DetectionOnly again.
	b.WriteString("SecRuleEngine On\n")
	return b.String()
}

// cacheKey identifies a build: the options and every rule file's stamp.
func cacheKey(o Options, files []ruleFile) string {
	var b strings.Builder
	fmt.Fprintf(&b, "pl=%d th=%d body=%s nocrs=%t srv=%s/%s", o.Paranoia, o.Threshold, o.BodyProcessor, o.NoCRS, o.Server.Engine, o.Server.CRS)
	for _, f := range files {
		fmt.Fprintf(&b, " %s:%t:%s", f.path, f.before, f.stamp)
	}
	return b.String()
}
