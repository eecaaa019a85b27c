package verdict

import "github.com/wp403/wp403/internal/record"

// noAnswer: the primary observation got no usable HTTP answer.
func noAnswer(f *Facts) bool { return f.Primary.ID != "" && (!f.Primary.HTTP || f.Primary.ReadFailure) }

var networkRules = []Rule{
	{ID: "network-edge-side", Doc: "No usable answer through the edge, but the origin answered the same request: the edge's side fails.",
		When: func(f *Facts) bool { return noAnswer(f) && f.Origin != nil && f.Origin.Met },
		Then: func(f *Facts) attribution {
			a := network(f)
			a.layer = record.LayerEdge
			a.summary += " The origin answered the same request directly, so the failure is on the edge's side."
			a.cite("origin answered", f.Origin.obs())
			return a
		}},
	{ID: "tls-failure", Doc: "The TLS handshake failed: no HTTP request reached the site.",
		When: func(f *Facts) bool { return noAnswer(f) && tlsFailure(f.Primary.Failure) }, Then: network},
	{ID: "bad-response", Doc: "An answer came but was not usable HTTP (cut off, garbage, undecodable).",
		When: func(f *Facts) bool { return noAnswer(f) && badResponse(f.Primary.Failure) }, Then: network},
	{ID: "unreachable", Doc: "No HTTP answer at all (DNS, refused, timeout).",
		When: noAnswer, Then: network},
}

func tlsFailure(fl record.Failure) bool {
	switch fl {
	case record.FailTLSHandshake, record.FailTLSInvalidCert, record.FailTLSInvalidHost, record.FailTLSUnknownAuth:
		return true
	}
	return false
}

func badResponse(fl record.Failure) bool {
	switch fl {
	case record.FailNotHTTP, record.FailDecompression, record.FailBodyTimeout, record.FailEOF, record.FailConnReset:
		return true
	}
	return false
}

// network explains a request that got no usable HTTP answer.
func network(f *Facts) attribution {
	e := f.Primary
	a := attribution{layer: record.LayerNetwork, conf: record.ConfHigh, mech: record.MechUnreachable}
	switch {
	case tlsFailure(e.Failure):
		a.mech = record.MechTLS
		a.summary = "The TLS handshake failed (" + string(e.Failure) + "): no HTTP request reached the site."
		a.next = "Check the certificate the site presents for this host name; pass --cacert for a private CA."
	case badResponse(e.Failure):
		a.mech = record.MechBadResponse
		a.summary = "The server's answer was not a usable HTTP response (" + string(e.Failure) + ")."
		if e.Failure == record.FailBodyTimeout {
			a.summary = "The server sent headers (" + itoa(e.Status) + ") but the body never finished within the timeout (" + string(e.Failure) + ")."
		}
		a.next = "Something on the path answers with broken HTTP; compare with --origin to see which hop."
	default:
		a.summary = "No HTTP answer (" + string(e.Failure) + "): the request never reached a layer that could refuse it."
		a.next = "Check that the host name, port and --resolve/--origin address are right and reachable."
	}
	a.cite("", e.obs())
	return a
}
