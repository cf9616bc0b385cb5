package vcapi

import (
	"strconv"

	"github.com/microcred/openbadges/internal/jcs"
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
			dst = jcs.AppendJSONString(dst, c.Name)
			if c.Path != "" {
				dst = append(dst, `,"path":`...)
				dst = jcs.AppendJSONString(dst, c.Path)
			}
			dst = append(dst, `,"outcome":`...)
			dst = jcs.AppendJSONString(dst, string(c.Outcome))
			if c.Detail != "" {
				dst = append(dst, `,"detail":`...)
				dst = jcs.AppendJSONString(dst, c.Detail)
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
			dst = jcs.AppendJSONString(dst, p.Path)
			dst = append(dst, `,"verificationMethod":`...)
			dst = jcs.AppendJSONString(dst, p.VerificationMethod)
			dst = append(dst, `,"controller":`...)
			dst = jcs.AppendJSONString(dst, p.Controller)
			dst = append(dst, `,"proofPurpose":`...)
			dst = jcs.AppendJSONString(dst, p.Purpose)
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
		dst = jcs.AppendJSONString(dst, p.Type)
		if p.Code != 0 {
			dst = append(dst, `,"code":`...)
			dst = strconv.AppendInt(dst, int64(p.Code), 10)
		}
		dst = append(dst, `,"title":`...)
		dst = jcs.AppendJSONString(dst, p.Title)
		dst = append(dst, `,"detail":`...)
		dst = jcs.AppendJSONString(dst, p.Detail)
		if p.Check != "" {
			dst = append(dst, `,"check":`...)
			dst = jcs.AppendJSONString(dst, p.Check)
		}
		if p.Path != "" {
			dst = append(dst, `,"path":`...)
			dst = jcs.AppendJSONString(dst, p.Path)
		}
		if p.Conformance != "" {
			dst = append(dst, `,"conformance":`...)
			dst = jcs.AppendJSONString(dst, p.Conformance)
		}
		if p.Relaxed {
			dst = append(dst, `,"relaxed":true`...)
		}
		dst = append(dst, '}')
	}
	return append(dst, ']')
}
