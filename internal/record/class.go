package record

// SignatureKind says whether a signature proves a layer is on the path
// (presence) or that the layer itself refused (refusal).
type SignatureKind string

// The signature kinds.
const (
	KindPresence SignatureKind = "presence"
	KindRefusal  SignatureKind = "refusal"
)

// Match is one signature that fired on a response.
type Match struct {
	ID         string        `json:"id"`
	Vendor     string        `json:"vendor"`
	Product    string        `json:"product,omitempty"` // internal/product registry id
	Layer      Layer         `json:"layer"`
	Kind       SignatureKind `json:"kind"`
	Mechanism  Mechanism     `json:"mechanism,omitempty"`
	Meaning    string        `json:"meaning"`
	Markers    []string      `json:"markers"`
	IncidentID string        `json:"incident_id,omitempty"`
}

// WPError is a WordPress WP_Error JSON body: {"code","message","data":{"status"}}.
type WPError struct {
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
	Status  int    `json:"status,omitempty"`
}

// Class is the classification of one response: who produced it and
// whether it is a refusal. Producer is the innermost layer that provably
// wrote this response.
type Class struct {
	Producer Layer  `json:"producer"`
	Vendor   string `json:"vendor,omitempty"`
	// Product is the vendor's internal/product registry id, when known.
	Product string  `json:"product,omitempty"`
	Refusal bool    `json:"refusal"`
	Matches []Match `json:"matches,omitempty"`
	// REST is true when WordPress's REST server headers are present.
	REST bool `json:"rest"`
	// WPError is the WordPress error in the body, when there is one.
	WPError *WPError `json:"wp_error,omitempty"`
	// Page names the generic shape of a non-WordPress body, for example
	// "stock-nginx", "stock-apache", "empty", "custom-html", "php-page",
	// "json", "wordpress-html".
	Page string `json:"page,omitempty"`
	// ThemePage is true when WordPress rendered the body through its theme
	// (theme assets, the api.w.org link, body classes): its text is
	// content, and no vendor phrase in it counts as a refusal.
	ThemePage bool `json:"theme_page,omitempty"`
	// Plugin is the plugin directory an error page loads its assets from
	// (/wp-content/plugins/<slug>/): that plugin wrote the page. Empty
	// when the page loads none, or several plugins' assets.
	Plugin string `json:"plugin,omitempty"`
	// Challenge is true when the body is a browser check (a script that
	// sets a cookie and reloads, or a CAPTCHA), which API clients cannot pass.
	Challenge bool `json:"challenge,omitempty"`
	// Incident is the incident or reference id a refusal page shows.
	Incident string `json:"incident,omitempty"`
	// AppCode is true when application code (PHP, a plugin, WordPress's
	// wp_die) rather than the web server wrote the refusal.
	AppCode bool `json:"app_code,omitempty"`
	// CoreWouldServe is true when the refusal speaks core's words (a
	// core-looking WP_Error code) on a route and method WordPress core
	// serves to anyone (internal/wpcore): core would have answered 200, so
	// a plugin or theme filter wrote it.
	CoreWouldServe bool `json:"core_would_serve,omitempty"`
	// Gateway is true when an edge or proxy wrote its own "cannot reach
	// the origin" page (52x, first byte timeout, backend fetch failed): a
	// gateway problem, not a policy refusal (Refusal stays true: the
	// request did not get through; verdict and classify say which).
	Gateway bool `json:"gateway,omitempty"`
	// Reasons are human-readable one-liners that explain the class.
	Reasons []string `json:"reasons,omitempty"`
}

// Top returns the first refusal match, or the first match, or nil.
func (c *Class) Top() *Match {
	if c == nil {
		return nil
	}
	for i := range c.Matches {
		if c.Matches[i].Kind == KindRefusal {
			return &c.Matches[i]
		}
	}
	if len(c.Matches) > 0 {
		return &c.Matches[0]
	}
	return nil
}

// WordPressWrote reports whether WordPress (core or code inside it) wrote
// the response, as the classifier decided: WordPress's REST server headers
// or a WP_Error body. The one definition verdict and policy use.
func (c *Class) WordPressWrote() bool { return c != nil && (c.REST || c.WPError != nil) }
