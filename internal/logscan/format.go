package logscan

import "github.com/wp403/wp403/internal/record"

// Format names, as LogEntry.Format and --format values use them.
const (
	FmtAccess       = "access"       // combined or common, nginx or Apache
	FmtCustom       = "nginx-custom" // a --log-format
	FmtNginxError   = "nginx-error"  // with ModSecurity lines
	FmtApacheError  = "apache-error" // with ModSecurity lines
	FmtModsec2      = "modsec2-native"
	FmtModsec3      = "modsec3-native"
	FmtCorazaNative = "coraza-native"
	FmtModsec2JSON  = "modsec2-json"
	FmtModsec3JSON  = "modsec3-json"
	FmtCorazaJSON   = "coraza-json"
	FmtCloudflare   = "cloudflare-firewall"
	FmtHAProxy      = "haproxy-http"

	// Edge, CDN, cloud WAF and reverse-proxy logs (JSON lines; edge*.go).
	FmtCloudflareHTTP = "cloudflare-http-requests"
	FmtCloudflareCSV  = "cloudflare-events-csv"
	FmtAWSWAF         = "aws-waf"
	FmtCloudArmor     = "cloud-armor"
	FmtAzureWAF       = "azure-frontdoor-waf"
	FmtAzureAppGW     = "azure-appgw-waf"
	FmtAkamai         = "akamai-siem"
	FmtFastly         = "fastly-json"
	FmtFastlyNGWAF    = "fastly-ngwaf"
	FmtSucuri         = "sucuri-audit"
	FmtCaddy          = "caddy-json"
	FmtTraefik        = "traefik-json"
)

// KnownFormat reports whether name is a format Options.Format accepts.
func KnownFormat(name string) bool {
	switch name {
	case FmtAccess, FmtCustom, FmtNginxError, FmtApacheError, FmtModsec2, FmtModsec3, FmtCorazaNative,
		FmtModsec2JSON, FmtModsec3JSON, FmtCorazaJSON, FmtCloudflare, FmtHAProxy, FmtCloudflareCSV:
		return true
	}
	return edgeFormatNamed(name) != nil
}

// emitFunc receives a finished entry. The entry is the caller's to keep.
type emitFunc func(record.LogEntry)

// parser reads one format line by line. Multi-line formats keep state
// between calls and finish their last entry in end.
type parser interface {
	name() string
	// line consumes one line (without its line ending) numbered n. It
	// returns false when the line is not in this format.
	line(b []byte, n int, emit emitFunc) bool
	end(emit emitFunc)
}

// refusalStatus reports whether an HTTP status is a refusal worth
// reporting when no WAF says so: auth, forbidden, method, rate limit, and
// nginx's 444 close.
func refusalStatus(s int) bool {
	switch s {
	case 401, 403, 405, 406, 429, 444, 451:
		return true
	}
	return false
}
