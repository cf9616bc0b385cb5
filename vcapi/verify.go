package vcapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/microcred/openbadges/verifier"
)

// verifyRequest is the body of POST /credentials/verify (VC-API
// VerifyCredentialRequest). Options (checks, the legacy list of checks
// to run, expectedProofPurpose, …) are tolerated and not read: every
// check always runs.
type verifyRequest struct {
	VerifiableCredential json.RawMessage `json:"verifiableCredential"`
	Options              json.RawMessage `json:"options"`
}

// verifyResponse is the verification result: the VC-API members verified,
// checks (the names of the checks that passed, as the legacy VC-API
// listed them), warnings and errors, plus results (every check with its
// outcome) and problemDetails (the errors as RFC 9457 problem details).
type verifyResponse struct {
	Verified       bool                     `json:"verified"`
	Checks         []string                 `json:"checks"`
	Results        []verifier.Check         `json:"results"`
	Warnings       []verifier.ProblemDetail `json:"warnings"`
	Errors         []verifier.ProblemDetail `json:"errors"`
	ProblemDetails []verifier.ProblemDetail `json:"problemDetails"`
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	var req verifyRequest
	fail := func(code int, typ, title, detail string) {
		pd := verifier.ProblemDetail{Type: typ, Title: title, Detail: detail}
		writeProblem(w, &problem{Status: code, Type: typ, Title: title, Detail: detail,
			Extra: map[string]any{
				"verified":       false,
				"checks":         []string{},
				"results":        []verifier.Check{},
				"warnings":       []verifier.ProblemDetail{},
				"errors":         []verifier.ProblemDetail{pd},
				"problemDetails": []verifier.ProblemDetail{pd},
			}})
	}
	if err := decodeRequest(body, &req); err != nil {
		fail(http.StatusBadRequest, verifier.ProblemParsing, "Malformed request", err.Error())
		return
	}
	if err := objectMember("verifiableCredential", req.VerifiableCredential); err != nil {
		fail(http.StatusBadRequest, verifier.ProblemParsing, "Malformed credential", err.Error())
		return
	}
	res, err := s.verifier.Verify(r.Context(), req.VerifiableCredential)
	if err != nil {
		code := http.StatusInternalServerError
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			code = http.StatusServiceUnavailable
		}
		fail(code, "about:blank", http.StatusText(code), err.Error())
		return
	}
	resp := verifyResponse{
		Verified:       res.Verified,
		Checks:         []string{},
		Results:        res.Checks,
		Warnings:       nonNil(res.Warnings),
		Errors:         nonNil(res.Errors),
		ProblemDetails: nonNil(res.Errors),
	}
	if resp.Results == nil {
		resp.Results = []verifier.Check{}
	}
	for _, c := range res.Checks {
		if c.Outcome == verifier.Passed || c.Outcome == verifier.Warning {
			resp.Checks = append(resp.Checks, c.Name)
		}
	}
	if res.Verified {
		writeJSON(w, http.StatusOK, "application/json", resp)
		return
	}
	p := &problem{Status: http.StatusBadRequest, Type: verifier.ProblemCryptographicSecurity,
		Title: "Verification failed", Detail: res.Summary()}
	if len(res.Errors) > 0 {
		p.Type = res.Errors[0].Type
	}
	p.Extra = map[string]any{
		"verified": false, "checks": resp.Checks, "results": resp.Results, "warnings": resp.Warnings,
		"errors": resp.Errors, "problemDetails": resp.ProblemDetails,
	}
	writeProblem(w, p)
}

func nonNil(ps []verifier.ProblemDetail) []verifier.ProblemDetail {
	if ps == nil {
		return []verifier.ProblemDetail{}
	}
	return ps
}

// verifyPresentation answers 501 until a presentation verifier exists; the
// request is still read, so that its size and type limits apply.
func (s *Server) verifyPresentation(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.readBody(w, r); !ok {
		return
	}
	writeProblem(w, &problem{Status: http.StatusNotImplemented, Type: "about:blank",
		Detail: "verifiable presentations are not supported yet"})
}
