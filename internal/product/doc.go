// Package product is the registry of the products wp403 names: CDNs and
// proxies, cloud and origin WAFs, web servers, hosts, WordPress itself and
// plugins. It is data, not code: YAML files under data/ are embedded and
// loaded once by Default, on the pattern of internal/signature's database.
//
// One entry per product holds everything wp403 knows about it: its id (the
// key every other package uses), its display name and the other spellings a
// signature or a log may use, the layer it runs at, the REST namespaces and
// WP_Error codes only it registers, the plugin directories its assets load
// from, its own narrow control and where that is in its UI (or, explicitly,
// that it has none), the config language wp403 writes its exceptions in,
// its fixes per mechanism as text, and a documentation link.
//
// A signature match carries the product id; remedies, the verdict's
// namespace knowledge and the exporter's vendor label read the registry by
// id, never by a substring of a display name.
package product
