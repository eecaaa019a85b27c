package remedy

import "github.com/wp403/wp403/internal/record"

func unreachable(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{noNarrowFix(record.LayerNetwork, "network",
		"no HTTP answer came back, so there is no rule to relax",
		"check that the name resolves to the right address, the server listens on that port, and no firewall drops the connection; then run again")}
}

func tlsFailure(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{{
		Layer: record.LayerNetwork, Product: orDefault(c.Server, "web server") + " TLS", Narrow: true,
		Title: "Serve a certificate for the site's name with its full chain",
		Scope: "the TLS setup only; no rule changes.",
		Snippet: "# nginx\nssl_certificate     /path/fullchain.pem;   # leaf + intermediates\nssl_certificate_key /path/privkey.pem;\n" +
			"# Apache\nSSLCertificateFile    /path/fullchain.pem\nSSLCertificateKeyFile /path/privkey.pem\n",
		Caveat: "never switch certificate checks off in the client; if the client lacks a private CA, add that CA to the client's trust store.",
	}}
}

func badResponse(f *record.Finding, c Context) []record.Remedy {
	return []record.Remedy{{
		Layer: record.LayerWordPress, Product: "WordPress / PHP", Narrow: true,
		Title:   "Keep PHP notices and stray output out of REST responses",
		Scope:   "error display only; errors are still logged.",
		Snippet: "define('WP_DEBUG_DISPLAY', false);\n@ini_set('display_errors', '0');\ndefine('WP_DEBUG_LOG', true);\n",
		Where:   "wp-config.php; then fix the notice in wp-content/debug.log, and look for a BOM or whitespace before <?php in the theme's functions.php or a plugin",
	}}
}

func unknown(f *record.Finding, c Context) []record.Remedy {
	next := f.Next
	if next == "" {
		next = "run again with --origin (to compare edge and origin) and the server's logs (--log), which usually name the layer"
	}
	return []record.Remedy{noNarrowFix(f.Layer, "unknown",
		"the refusing layer or mechanism is not determined, and a fix that guesses would be broader than needed", next)}
}
