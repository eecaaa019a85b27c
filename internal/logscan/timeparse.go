package logscan

import (
	"strconv"
	"strings"
	"sync"
	"time"
)

var months = map[string]time.Month{
	"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6,
	"Jul": 7, "Aug": 8, "Sep": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}

// clfTime parses the common log format time "26/Nov/2026:17:29:41 +0000",
// with optional fractional seconds ("…:41.123 +0000", HAProxy and
// ModSecurity v2) and an optional zone (HAProxy has none: UTC is assumed
// unless loc says otherwise). It avoids time.Parse, which dominates the
// cost of an access log line.
func clfTime(s string) (time.Time, bool) {
	if len(s) < 20 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':' {
		return time.Time{}, false
	}
	mon, ok := months[s[3:6]]
	day, ok1 := atoi2(s[0:2])
	year, err := strconv.Atoi(s[7:11])
	hh, ok2 := atoi2(s[12:14])
	mm, ok3 := atoi2(s[15:17])
	ss, ok4 := atoi2(s[18:20])
	if !ok || !ok1 || err != nil || !ok2 || !ok3 || !ok4 {
		return time.Time{}, false
	}
	rest := s[20:]
	nsec := 0
	if len(rest) > 1 && rest[0] == '.' {
		frac := rest[1:]
		if i := strings.IndexByte(frac, ' '); i >= 0 {
			frac, rest = frac[:i], frac[i:]
		} else {
			rest = ""
		}
		nsec = fracNanos(frac)
	}
	loc := time.UTC
	if z := strings.TrimSpace(rest); z != "" {
		if loc, ok = zone(z); !ok {
			return time.Time{}, false
		}
	}
	return time.Date(year, mon, day, hh, mm, ss, nsec, loc), true
}

func atoi2(s string) (int, bool) {
	if len(s) != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}

func fracNanos(f string) int {
	n := 0
	for i := 0; i < 9; i++ {
		n *= 10
		if i < len(f) && f[i] >= '0' && f[i] <= '9' {
			n += int(f[i] - '0')
		}
	}
	return n
}

var zones sync.Map // "+0200" → *time.Location

// zone parses "+0000" / "-0700" into a fixed zone (cached: logs have one).
func zone(z string) (*time.Location, bool) {
	if loc, ok := zones.Load(z); ok {
		return loc.(*time.Location), true
	}
	if len(z) != 5 || (z[0] != '+' && z[0] != '-') {
		return nil, false
	}
	h, ok1 := atoi2(z[1:3])
	m, ok2 := atoi2(z[3:5])
	if !ok1 || !ok2 {
		return nil, false
	}
	off := (h*60 + m) * 60
	if z[0] == '-' {
		off = -off
	}
	loc := time.UTC
	if off != 0 {
		loc = time.FixedZone(z, off)
	}
	zones.Store(z, loc)
	return loc, true
}

// anyTime tries the layouts the other formats use. Times written without
// a zone (error logs, libmodsecurity's JSON, Coraza) are read in loc,
// the zone of the server that wrote them (UTC when nil).
func anyTime(s string, loc *time.Location) (time.Time, bool) {
	if t, ok := clfTime(s); ok {
		return t, true
	}
	if loc == nil {
		loc = time.UTC
	}
	for _, layout := range []string{
		time.RFC3339Nano,
		"2006/01/02 15:04:05",             // nginx error log, Coraza
		"Mon Jan _2 15:04:05.000000 2006", // Apache error log
		"Mon Jan _2 15:04:05 2006",        // ModSecurity v3 JSON
		"2006-01-02 15:04:05",
	} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
