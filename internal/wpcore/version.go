package wpcore

import (
	"strconv"
	"strings"
)

// Version is a WordPress major.minor version.
type Version struct{ Major, Minor int }

// V builds a Version.
func V(major, minor int) Version { return Version{major, minor} }

// Less reports whether v is older than w.
func (v Version) Less(w Version) bool {
	return v.Major < w.Major || v.Major == w.Major && v.Minor < w.Minor
}

func (v Version) String() string { return strconv.Itoa(v.Major) + "." + strconv.Itoa(v.Minor) }

// ParseVersion reads "6.1.9", "6.1" or "7.2-alpha-63338"; ok is false
// for anything else.
func ParseVersion(s string) (Version, bool) {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "-")
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts[0]) > 3 || len(parts[1]) > 3 {
		return Version{}, false
	}
	maj, err1 := strconv.Atoi(parts[0])
	mnr, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || maj < 0 || mnr < 0 {
		return Version{}, false
	}
	return Version{maj, mnr}, true
}
