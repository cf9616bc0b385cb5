package vcapi

import (
	"strconv"
	"unicode/utf8"

	"github.com/microcred/openbadges/verifier"
)

// appendResult appends res's JSON form, byte for byte what encoding/json
// writes for it without HTML escaping, and says whether it could: a Result
// with embedded endorsements or credentials (a map of Results) is left to
// encoding/json. Every verify answer is a Result, and encoding/json's
// reflection over it was the largest cost of writing the answer;
// TestAppendResult and FuzzAppendResult hold the two to the same bytes, and
// TestAppendResultFields fails when the verifier's types gain a field that
// this does not write.
func appendResult(dst []byte, res *verifier.Result) ([]byte, bool) {
	if len(res.Endorsements) > 0 || len(res.Credentials) > 0 {
		return dst, false
	}
	dst = append(dst, `{"verified":`...)
	dst = strconv.AppendBool(dst, res.Verified)
	dst = append(dst, `,"authentic":`...)
	dst = strconv.AppendBool(dst, res.Authentic)
	dst = append(dst, `,"conformant":`...)
	dst = strconv.AppendBool(dst, res.Conformant)
	dst = append(dst, `,"checks":`...)
	if res.Checks == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i, c := range res.Checks {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"check":`...)
			dst = appendJSONString(dst, c.Name)
			if c.Path != "" {
				dst = append(dst, `,"path":`...)
				dst = appendJSONString(dst, c.Path)
			}
			dst = append(dst, `,"outcome":`...)
			dst = appendJSONString(dst, string(c.Outcome))
			if c.Detail != "" {
				dst = append(dst, `,"detail":`...)
				dst = appendJSONString(dst, c.Detail)
			}
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"errors":`...)
	dst = appendProblems(dst, res.Errors)
	dst = append(dst, `,"warnings":`...)
	dst = appendProblems(dst, res.Warnings)
	if len(res.Proofs) > 0 {
		dst = append(dst, `,"proofs":[`...)
		for i, p := range res.Proofs {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"path":`...)
			dst = appendJSONString(dst, p.Path)
			dst = append(dst, `,"verificationMethod":`...)
			dst = appendJSONString(dst, p.VerificationMethod)
			dst = append(dst, `,"controller":`...)
			dst = appendJSONString(dst, p.Controller)
			dst = append(dst, `,"proofPurpose":`...)
			dst = appendJSONString(dst, p.Purpose)
			dst = append(dst, `,"issuer":`...)
			dst = strconv.AppendBool(dst, p.Issuer)
			dst = append(dst, `,"verified":`...)
			dst = strconv.AppendBool(dst, p.Verified)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	return append(dst, '}'), true
}

func appendProblems(dst []byte, ps []verifier.ProblemDetail) []byte {
	if ps == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, p := range ps {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"type":`...)
		dst = appendJSONString(dst, p.Type)
		if p.Code != 0 {
			dst = append(dst, `,"code":`...)
			dst = strconv.AppendInt(dst, int64(p.Code), 10)
		}
		dst = append(dst, `,"title":`...)
		dst = appendJSONString(dst, p.Title)
		dst = append(dst, `,"detail":`...)
		dst = appendJSONString(dst, p.Detail)
		if p.Check != "" {
			dst = append(dst, `,"check":`...)
			dst = appendJSONString(dst, p.Check)
		}
		if p.Path != "" {
			dst = append(dst, `,"path":`...)
			dst = appendJSONString(dst, p.Path)
		}
		if p.Conformance != "" {
			dst = append(dst, `,"conformance":`...)
			dst = appendJSONString(dst, p.Conformance)
		}
		if p.Relaxed {
			dst = append(dst, `,"relaxed":true`...)
		}
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

// appendJSONString appends s as encoding/json writes a string without
// HTML escaping: quotes, backslashes and control characters escaped
// (\b \f \n \r \t by name), invalid UTF-8 as \ufffd, and U+2028 and
// U+2029 escaped for JavaScript.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
