package logscan

import (
	"strings"

	"github.com/wp403/wp403/internal/record"
)

// EdgeIDs returns the request ids an edge put on its answer to o, in the
// form the edge's own log records them (LogEntry.UniqueID):
//   - Cloudflare's Ray ID: the cf-ray header without its "-COLO" suffix,
//     or the Ray ID of its block page;
//   - CloudFront's x-amz-cf-id (AWS WAF's httpRequest.requestId for
//     CloudFront), an ALB's trace id (the Root of X-Amzn-Trace-Id, which
//     AWS WAF logs for an ALB), API Gateway's x-amzn-RequestId;
//   - Azure Front Door's x-azure-ref (the WAF log's trackingReference);
//   - Akamai's reference number "18.<edge>.<time>.<request id>": its last
//     field, the SIEM event's httpMessage.requestId;
//   - Fastly Next-Gen WAF's x-sigsci-requestid.
//
// Sucuri's "Block ID" names a rule, not a request, so it is no id here.
func EdgeIDs(o *record.Observation) []string {
	var out []string
	add := func(v string) {
		v = strings.TrimSpace(v)
		if v != "" && len(v) <= 200 {
			out = append(out, v)
		}
	}
	if o.Response != nil {
		h := o.Response.Header
		get := func(k string) string {
			for name, v := range h {
				if strings.EqualFold(name, k) && len(v) > 0 {
					return v[0]
				}
			}
			return ""
		}
		if ray := get("cf-ray"); ray != "" {
			id, _, _ := strings.Cut(ray, "-")
			add(id)
		}
		add(get("x-amz-cf-id"))
		add(get("x-amzn-requestid"))
		for _, part := range strings.Split(get("x-amzn-trace-id"), ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(part), "Root="); ok {
				add(v)
			}
		}
		add(get("x-azure-ref"))
		add(get("x-sigsci-requestid"))
	}
	if o.Class != nil && o.Class.Incident != "" {
		inc := strings.ReplaceAll(o.Class.Incident, "&#46;", ".")
		add(inc)
		if strings.HasPrefix(inc, "18.") && strings.Count(inc, ".") == 3 {
			add(inc[strings.LastIndexByte(inc, '.')+1:])
		}
	}
	return out
}
