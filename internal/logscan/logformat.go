package logscan

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/wp403/wp403/internal/record"
)

// LogFormat is an nginx log_format compiled to a regexp whose groups are
// the format's variables.
type LogFormat struct {
	Spec string
	re   *regexp.Regexp
	vars []string // variable name per group, in order
}

var reVar = regexp.MustCompile(`\$(?:\{([a-z0-9_]+)\}|([a-z0-9_]+))`)

// CompileLogFormat compiles an nginx log_format string such as
// `$remote_addr - $remote_user [$time_local] "$request" $status …`.
// Apache LogFormat directives (%h %t "%r" %>s …) are translated first.
func CompileLogFormat(spec string) (*LogFormat, error) {
	nginx := spec
	if strings.Contains(spec, "%") && !strings.Contains(spec, "$") {
		nginx = fromApache(spec)
	}
	var b strings.Builder
	b.WriteString("^")
	f := &LogFormat{Spec: spec}
	last := 0
	for _, m := range reVar.FindAllStringSubmatchIndex(nginx, -1) {
		lit := nginx[last:m[0]]
		b.WriteString(regexp.QuoteMeta(lit))
		var name string
		if m[2] >= 0 { // ${name}
			name = nginx[m[2]:m[3]]
		} else {
			name = nginx[m[4]:m[5]]
		}
		inQuotes := strings.HasSuffix(lit, `"`) && strings.HasPrefix(nginx[m[1]:], `"`)
		b.WriteString("(" + varPattern(name, inQuotes) + ")")
		f.vars = append(f.vars, name)
		last = m[1]
	}
	if len(f.vars) == 0 {
		return nil, fmt.Errorf("log format %q has no $variables", spec)
	}
	b.WriteString(regexp.QuoteMeta(nginx[last:]))
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("compile log format: %w", err)
	}
	f.re = re
	return f, nil
}

func varPattern(name string, inQuotes bool) string {
	switch name {
	case "status":
		return `\d{3}`
	case "body_bytes_sent", "bytes_sent", "request_length":
		return `\d+|-`
	case "time_local":
		return `[^\]]+`
	case "request_time", "upstream_response_time", "msec":
		return `[\d.,: -]*`
	}
	if inQuotes {
		return `(?:[^"\\]|\\.)*`
	}
	return `\S*`
}

// apacheDirectives maps Apache LogFormat directives to nginx variables.
var apacheDirectives = strings.NewReplacer(
	"%h", "$remote_addr", "%a", "$remote_addr", "%l", "-", "%u", "$remote_user",
	"%t", "[$time_local]", "%r", "$request", "%>s", "$status", "%s", "$status",
	"%b", "$body_bytes_sent", "%O", "$bytes_sent", "%B", "$body_bytes_sent",
	"%{Referer}i", "$http_referer", "%{User-Agent}i", "$http_user_agent",
	"%{X-WP403-Request-Id}i", "$http_x_wp403_request_id", "%v", "$server_name",
	"%{Host}i", "$http_host", "%D", "$request_time", "%T", "$request_time",
	"%{UNIQUE_ID}e", "$request_id", `\"`, `"`,
)

func fromApache(spec string) string { return apacheDirectives.Replace(spec) }

// Parse matches one line. ok is false when the line does not fit.
func (f *LogFormat) Parse(line string) (record.LogEntry, bool) {
	var e record.LogEntry
	m := f.re.FindStringSubmatch(line)
	if m == nil {
		return e, false
	}
	for i, name := range f.vars {
		if !f.set(&e, name, m[i+1]) {
			return e, false
		}
	}
	return e, true
}

// set stores one variable; false when its value is malformed.
func (f *LogFormat) set(e *record.LogEntry, name, v string) bool {
	if v == "-" {
		return true
	}
	var ok = true
	switch name {
	case "remote_addr":
		e.Client = v
	case "time_local":
		e.Time, ok = clfTime(v)
	case "time_iso8601", "msec":
		e.Time, ok = isoOrMsec(v)
	case "request":
		e.Method, e.URI = splitRequest(v)
	case "request_method":
		e.Method = v
	case "request_uri":
		e.URI = v
	case "status":
		e.Status, _ = strconv.Atoi(v)
	case "body_bytes_sent", "bytes_sent":
		e.Bytes, _ = strconv.ParseInt(v, 10, 64)
	case "http_user_agent":
		e.UserAgent = v
	case "host", "http_host", "server_name":
		e.Host = v
	case "http_x_wp403_request_id":
		e.RequestID = v
	case "request_id", "http_x_request_id", "unique_id":
		e.UniqueID = v
	}
	return ok
}

// isoOrMsec parses $time_iso8601 or $msec (seconds.millis since epoch).
func isoOrMsec(v string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, true
	}
	sec, frac, _ := strings.Cut(v, ".")
	n, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(n, int64(fracNanos(frac))).UTC(), true
}

// customParser reads lines in a compiled --log-format.
type customParser struct {
	f      *LogFormat
	source string
	prefix string
	all    bool
	skip   int
}

func (p *customParser) name() string { return FmtCustom }
func (p *customParser) end(emitFunc) {}

func (p *customParser) line(b []byte, n int, emit emitFunc) bool {
	if !p.all && !restMarker(b, p.prefix) {
		p.skip++
		return true
	}
	e, ok := p.f.Parse(string(b))
	if !ok {
		return false
	}
	e.Source, e.Line, e.Format = p.source, n, FmtCustom
	if !fillRoute(&e, p.prefix) && !p.all {
		p.skip++
		return true
	}
	emit(e)
	return true
}
