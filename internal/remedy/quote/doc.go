// Package quote validates and quotes the server- and file-derived values
// that wp403 puts into snippets people paste into a shell or a server
// configuration.
//
// Every such value is hostile: a WordPress error code, a REST route, a
// host name or a header comes from a server that may be compromised, or
// from a HAR export or access log anyone can write into. The rule for
// remedy code is:
//
//  1. Validate the value against the syntax it must have (ErrorCode,
//     Route, Path, Host, HeaderName, HeaderValue, Slug, ProductName,
//     RuleID, ModSecTarget, ContentType, Method, SiteURL). A value that
//     fails is not put in a snippet; the remedy says why (the error
//     messages here never repeat the value, so they are safe to print).
//  2. Quote the valid value for the snippet's language: Shell (POSIX
//     single quotes), Nginx, Apache, ModSec (operator arguments, regexes
//     and action values), HAProxy, VCL, PHP and Cloudflare expression
//     strings. The *Regex quoters take a regular expression and keep its
//     meaning; the others take a literal.
//
// Validation and quoting are both required: the validated alphabets are
// inert in every target language, and the quoters keep a snippet inert
// even if a caller forgets to validate (they are total functions: any
// byte that a language cannot hold literally is hex-escaped or replaced).
package quote
