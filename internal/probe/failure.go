package probe

import (
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/wp403/wp403/internal/record"
)

// Classify maps a Go error to the closed failure vocabulary.
func Classify(err error) record.Failure {
	if err == nil {
		return record.FailNone
	}
	if f := classifyTLS(err); f != "" {
		return f
	}
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, context.Canceled):
		return record.FailCanceled
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return record.FailTimeout
	case errors.Is(err, syscall.ECONNREFUSED):
		return record.FailConnRefused
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return record.FailConnReset
	case errors.As(err, &dnsErr):
		return record.FailDNS
	case errors.Is(err, gzip.ErrHeader), errors.Is(err, gzip.ErrChecksum):
		return record.FailDecompression
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return record.FailEOF
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return record.FailTimeout
	}
	return classifyText(err.Error())
}

func classifyTLS(err error) record.Failure {
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	var rh tls.RecordHeaderError
	var ve *tls.CertificateVerificationError
	switch {
	case errors.As(err, &ua):
		return record.FailTLSUnknownAuth
	case errors.As(err, &he):
		return record.FailTLSInvalidHost
	case errors.As(err, &ci):
		return record.FailTLSInvalidCert
	case errors.As(err, &ve):
		return record.FailTLSInvalidCert
	case errors.As(err, &rh):
		return record.FailTLSHandshake
	}
	return ""
}

func classifyText(s string) record.Failure {
	switch {
	case strings.Contains(s, "malformed HTTP"), strings.Contains(s, "server gave HTTP response to HTTPS"),
		strings.Contains(s, "http: server sent"), strings.Contains(s, "invalid header"),
		strings.Contains(s, "response headers exceeded"):
		return record.FailNotHTTP
	case strings.Contains(s, "tls:"), strings.Contains(s, "handshake"):
		return record.FailTLSHandshake
	case strings.Contains(s, "gzip"), strings.Contains(s, "flate"):
		return record.FailDecompression
	case strings.Contains(s, "stopped after") && strings.Contains(s, "redirects"):
		return record.FailRedirectLoop
	case strings.Contains(s, "connection reset"):
		return record.FailConnReset
	case strings.Contains(s, "EOF"):
		return record.FailEOF
	}
	return record.FailOther
}
