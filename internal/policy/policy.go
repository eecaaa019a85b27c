package policy

import (
	"net/http"
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// Anonymous is the identity without credentials; it always exists.
const Anonymous = "anonymous"

// Policy is one REST access policy file.
type Policy struct {
	Site       Site
	Identities []Identity // in file order, Anonymous first
	Rules      []Rule     // profile rules expanded, in file order
}

// Site says where the site is.
type Site struct {
	URL     string
	Origin  string
	Resolve []string
}

// AuthMode is how an identity authenticates.
type AuthMode string

// The auth modes.
const (
	ModeAnonymous   AuthMode = "anonymous"    // no credentials
	ModeAppPassword AuthMode = "app-password" // user + application password
	ModeLogin       AuthMode = "login"        // user + password: cookie login and REST nonce
	ModeIntegration AuthMode = "integration"  // headers (bearer tokens, API keys)
)

// Secret says where a secret lives: an environment variable or a file.
type Secret struct {
	Env  string
	File string
}

// String names the secret's source without its value.
func (s Secret) String() string {
	if s.Env != "" {
		return "$" + s.Env
	}
	return s.File
}

// HeaderSecret is one header of an integration.
type HeaderSecret struct {
	Name  string
	Value Secret
}

// Identity is who sends a rule's requests.
type Identity struct {
	Name    string
	Role    string // the WordPress role, for people reading the policy
	User    string
	Mode    AuthMode
	Secret  Secret         // the application password or the login password
	Headers []HeaderSecret // integrations
}

// AuthKind is the auth kind the identity's requests carry.
func (id Identity) AuthKind() record.AuthKind {
	switch id.Mode {
	case ModeAppPassword:
		return record.AuthAppPassword
	case ModeLogin:
		return record.AuthCookieNonce
	case ModeIntegration:
		for _, h := range id.Headers {
			if strings.EqualFold(h.Name, "Authorization") {
				return record.AuthCustom
			}
		}
	}
	return record.AuthNone
}

// Reach is what an allow rule counts as allowed.
type Reach string

// The reaches.
const (
	Reach2xx       Reach = ""          // a 2xx answer
	ReachWordPress Reach = "wordpress" // WordPress's REST server answered without a 401/403
)

// Rule is one line of the policy: route × methods × identities → expect.
type Rule struct {
	Name        string
	Route       string // REST route, optionally with ?query
	Methods     []string
	Identities  []string
	Expect      record.Expectation
	Reach       Reach
	Header      http.Header // non-secret extra headers
	Body        string
	ContentType string
	Write       bool   // creates something (deleted afterwards); sent only with --write
	Line        int    // where the rule starts in the file, 0 when built in code
	Note        string // a comment written above the rule by policy init
}

// Identity returns the identity with the given name.
func (p *Policy) Identity(name string) (Identity, bool) {
	for _, id := range p.Identities {
		if id.Name == name {
			return id, true
		}
	}
	return Identity{}, false
}
