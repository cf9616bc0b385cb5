package vcapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/microcred/openbadges/presentation"
	"github.com/microcred/openbadges/verifier"
)

// verifyRequest is the body of POST /credentials/verify (VC-API
// VerifyCredentialRequest). Of the options, expectedProofPurpose, domain
// and challenge are checked (see verifyOptions), and lenient chooses the
// mode; the others, such as the legacy list of checks to run, are tolerated
// and not read: every check always runs.
type verifyRequest struct {
	VerifiableCredential json.RawMessage `json:"verifiableCredential"`
	Options              json.RawMessage `json:"options"`
}

func (r *verifyRequest) setPayload(name string, raw json.RawMessage) {
	if name == "verifiableCredential" {
		r.VerifiableCredential = raw
	}
}

// verify answers POST /credentials/verify with the verifier's Result, in
// the JSON form badge verify --json prints: 200 when verified; 400 when
// not, as an RFC 9457 problem whose extension members are that Result
// (the test suites score a 200 as "verified").
func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	var req verifyRequest
	fail := func(code int, typ, title, detail string) {
		pd := verifier.ProblemDetail{Type: typ, Title: title, Detail: detail}
		s.observe(r, outcomeMalformed)
		writeResultProblem(w, &problem{Status: code, Type: typ, Title: title, Detail: detail},
			&verifier.Result{Checks: []verifier.Check{}, Errors: []verifier.ProblemDetail{pd}, Warnings: []verifier.ProblemDetail{}})
	}
	// The body is read into a recycled buffer: the verifier copies what it
	// keeps of the credential, and the answer is written before the
	// buffer goes back.
	buf := requestBodies.Get().(*[]byte)
	body, ok := s.readRequestInto(w, r, *buf, &req, func(err error) {
		fail(http.StatusBadRequest, verifier.ProblemParsing, "Malformed request", err.Error())
	})
	if cap(body) <= maxPooledBuffer {
		*buf = body[:0]
		defer requestBodies.Put(buf)
	}
	if !ok {
		return
	}
	if err := objectMember("verifiableCredential", req.VerifiableCredential); err != nil {
		fail(http.StatusBadRequest, verifier.ProblemParsing, "Malformed credential", err.Error())
		return
	}
	opts, err := readVerifyOptions(req.Options)
	if err != nil {
		fail(http.StatusBadRequest, verifier.ProblemParsing, "Malformed options", err.Error())
		return
	}
	res, err := s.verifiers[s.mode(opts)].Verify(r.Context(), req.VerifiableCredential)
	if err != nil {
		code := http.StatusInternalServerError
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			code = http.StatusServiceUnavailable
		}
		fail(code, "about:blank", http.StatusText(code), err.Error())
		return
	}
	if res.Verified {
		if pd := opts.check(req.VerifiableCredential); pd != nil {
			// The proof verified, but not for what the caller expects:
			// not authentic for this request.
			res.Verified, res.Authentic = false, false
			res.Errors = append(res.Errors, *pd)
			failCheck(res, pd)
		}
	}
	s.observe(r, outcomeOf(res))
	if res.Verified {
		writeResult(w, res)
		return
	}
	p := &problem{Status: http.StatusBadRequest, Type: verifier.ProblemCryptographicSecurity,
		Title: "Verification failed", Detail: res.Summary()}
	if len(res.Errors) > 0 {
		p.Type = res.Errors[0].Type
	}
	writeResultProblem(w, p, res)
}

// requestBodies recycle the buffers of verify request bodies (*[]byte).
var requestBodies = sync.Pool{New: func() any { return new([]byte) }}

// failCheck marks the proof check that pd is about as failed (the proof
// verified, but not under the request's options), or adds one.
func failCheck(res *verifier.Result, pd *verifier.ProblemDetail) {
	path, _, _ := strings.Cut(pd.Path, "].")
	if path != pd.Path {
		path += "]"
	}
	for i, c := range res.Checks {
		if c.Name == "proof" && (c.Path == path || c.Path == "$.proof" && path == "$.proof[0]") {
			res.Checks[i].Outcome, res.Checks[i].Detail = verifier.Failed, pd.Detail
			return
		}
	}
	res.Checks = append(res.Checks, verifier.Check{Name: "proof", Path: path, Outcome: verifier.Failed, Detail: pd.Detail})
}

// writeResult writes res, verified, as the 200 answer.
func writeResult(w http.ResponseWriter, res *verifier.Result) {
	buf := resultBuffers.Get().(*[]byte)
	out, ok := appendResult((*buf)[:0], res)
	if !ok {
		resultBuffers.Put(buf)
		writeJSON(w, http.StatusOK, "application/json", res)
		return
	}
	out = append(out, '\n') // as json.Encoder ends a value
	writeBody(w, http.StatusOK, "application/json", out)
	if cap(out) <= maxPooledBuffer {
		*buf = out[:0]
		resultBuffers.Put(buf)
	}
}

// resultBuffers recycle the buffers answers are encoded into (*[]byte).
var resultBuffers = sync.Pool{New: func() any { return new([]byte) }}

// writeResultProblem writes p with the members of res as its extension
// members: the problem's own members first, then the Result's JSON form,
// unchanged, so that a client reads one shape whatever the status code.
func writeResultProblem(w http.ResponseWriter, p *problem, res *verifier.Result) {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	head, err1 := json.Marshal(p)
	body, ok := appendResult(nil, res)
	var err2 error
	if !ok {
		body, err2 = json.Marshal(res)
	}
	if err1 != nil || err2 != nil || len(body) < 2 {
		writeProblem(w, p)
		return
	}
	// head is {"detail":…,"status":…,"title":…,"type":…} and body a JSON
	// object whose members are others (verified, checks, errors, …).
	out := make([]byte, 0, len(head)+len(body)+2)
	out = append(out, head[:len(head)-1]...)
	if len(body) > 2 {
		out = append(out, ',')
		out = append(out, body[1:]...)
	} else {
		out = append(out, '}')
	}
	out = append(out, '\n')
	writeBody(w, p.Status, "application/problem+json", out)
}

// verifyPresentationRequest is the body of POST /presentations/verify
// (VC-API VerifyPresentationRequest).
type verifyPresentationRequest struct {
	VerifiablePresentation json.RawMessage `json:"verifiablePresentation"`
	Options                json.RawMessage `json:"options"`
}

func (r *verifyPresentationRequest) setPayload(name string, raw json.RawMessage) {
	if name == "verifiablePresentation" {
		r.VerifiablePresentation = raw
	}
}

// verifyPresentation verifies a presentation (signed, or unsigned when
// Config.InsecureAllowUnsignedPresentations is set) and every credential in
// it: 200 with the presentation package's result when verified, 400 with
// it as the extension members of a problem when not.
func (s *Server) verifyPresentation(w http.ResponseWriter, r *http.Request) {
	fail := func(code int, typ, title, detail string) {
		pd := verifier.ProblemDetail{Type: typ, Title: title, Detail: detail}
		writeProblem(w, &problem{Status: code, Type: typ, Title: title, Detail: detail,
			Extra: map[string]any{
				"verified":          false,
				"credentialResults": []any{},
				"warnings":          []verifier.ProblemDetail{},
				"problemDetails":    []verifier.ProblemDetail{pd},
			}})
	}
	var req verifyPresentationRequest
	if !s.readRequest(w, r, &req, func(err error) {
		fail(http.StatusBadRequest, verifier.ProblemParsing, "Malformed request", err.Error())
	}) {
		return
	}
	if err := objectMember("verifiablePresentation", req.VerifiablePresentation); err != nil {
		fail(http.StatusBadRequest, verifier.ProblemParsing, "Malformed presentation", err.Error())
		return
	}
	opts, err := readVerifyOptions(req.Options)
	if err != nil {
		fail(http.StatusBadRequest, verifier.ProblemParsing, "Malformed options", err.Error())
		return
	}
	if len(opts.domain) > 1 {
		fail(http.StatusBadRequest, verifier.ProblemParsing, "Malformed options", "options.domain: give one domain to verify a presentation")
		return
	}
	vo := presentation.VerifyOptions{Challenge: opts.challenge, RequireHolder: opts.requireHolder}
	if len(opts.domain) == 1 {
		vo.Domain = opts.domain[0]
	}
	if opts.hasChallenge && opts.challenge == "" || opts.hasDomain && vo.Domain == "" {
		fail(http.StatusBadRequest, verifier.ProblemParsing, "Malformed options", "options.challenge and options.domain must not be empty")
		return
	}
	res, err := s.presentations[s.mode(opts)].Verify(r.Context(), req.VerifiablePresentation, vo)
	if err != nil {
		code := http.StatusInternalServerError
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			code = http.StatusServiceUnavailable
		}
		fail(code, "about:blank", http.StatusText(code), err.Error())
		return
	}
	if s.metrics != nil {
		outcome := OutcomeVerified
		if !res.Verified {
			outcome = OutcomeNotVerified
		}
		s.metrics.Verification("presentation", outcome)
	}
	if res.ProblemDetails == nil {
		res.ProblemDetails = []verifier.ProblemDetail{}
	}
	if res.Warnings == nil {
		res.Warnings = []verifier.ProblemDetail{}
	}
	if res.Verified {
		writeJSON(w, http.StatusOK, "application/json", res)
		return
	}
	b, err := json.Marshal(res)
	var extra map[string]any
	if err == nil {
		err = json.Unmarshal(b, &extra)
	}
	if err != nil {
		fail(http.StatusBadRequest, verifier.ProblemProofVerification, "Verification failed", res.Summary())
		return
	}
	p := &problem{Status: http.StatusBadRequest, Type: verifier.ProblemProofVerification,
		Title: "Verification failed", Detail: res.Summary(), Extra: extra}
	if len(res.ProblemDetails) > 0 && res.ProblemDetails[0].Type != "" {
		p.Type = res.ProblemDetails[0].Type
	}
	writeProblem(w, p)
}

// verifyOptions are the verification options that constrain the proof
// (VC Data Integrity, Verify Proof algorithm): the purpose it must have,
// and the domain and challenge it must carry; and the mode, lenient or
// strict, when the request chooses it.
type verifyOptions struct {
	// lenient is options.lenient; nil means the server's default.
	lenient              *bool
	expectedProofPurpose string
	domain               []string
	challenge            string
	hasDomain            bool
	hasChallenge         bool
	// requireHolder is options.requireHolder (presentations only): a
	// signed presentation without a holder is refused.
	requireHolder bool
}

func readVerifyOptions(raw json.RawMessage) (verifyOptions, error) {
	var o verifyOptions
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return o, nil
	}
	var m map[string]any
	if err := json.Unmarshal(t, &m); err != nil {
		return o, errors.New("options must be a JSON object")
	}
	if v, ok := m["checks"]; ok && v != nil {
		// The legacy list of checks to run: every check always runs, and
		// the result lists them all, so it is only checked for its shape.
		cs, ok := v.([]any)
		if !ok {
			return o, errors.New("options.checks must be an array of strings")
		}
		for _, c := range cs {
			if _, ok := c.(string); !ok {
				return o, errors.New("options.checks must be an array of strings")
			}
		}
	}
	if v, ok := m["expectedProofPurpose"]; ok {
		s, isStr := v.(string)
		if !isStr {
			return o, errors.New("options.expectedProofPurpose must be a string")
		}
		o.expectedProofPurpose = s
	}
	if v, ok := m["domain"]; ok && v != nil {
		ds, ok := stringOrStrings(v)
		if !ok {
			return o, errors.New("options.domain must be a string or an array of strings")
		}
		o.domain, o.hasDomain = ds, true
	}
	if v, ok := m["lenient"]; ok && v != nil {
		b, isBool := v.(bool)
		if !isBool {
			return o, errors.New("options.lenient must be true or false")
		}
		o.lenient = &b
	}
	if v, ok := m["requireHolder"]; ok && v != nil {
		b, isBool := v.(bool)
		if !isBool {
			return o, errors.New("options.requireHolder must be true or false")
		}
		o.requireHolder = b
	}
	if v, ok := m["challenge"]; ok && v != nil {
		s, isStr := v.(string)
		if !isStr {
			return o, errors.New("options.challenge must be a string")
		}
		o.challenge, o.hasChallenge = s, true
	}
	return o, nil
}

// mode returns the index in s.verifiers and s.presentations of the mode a
// request asks for: options.lenient, or else the server's default.
func (s *Server) mode(o verifyOptions) int {
	lenient := s.lenient
	if o.lenient != nil {
		lenient = *o.lenient
	}
	if lenient {
		return 1
	}
	return 0
}

func stringOrStrings(v any) ([]string, bool) {
	switch x := v.(type) {
	case string:
		return []string{x}, true
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, len(out) > 0
	}
	return nil, false
}

// check returns the problem with a verified credential's proofs under o:
// a purpose other than the expected one, a domain or challenge other than
// the caller's. The verifier has already checked that the proofs' domain
// and challenge are signed (they are part of the proof configuration).
func (o verifyOptions) check(vc json.RawMessage) *verifier.ProblemDetail {
	if o.expectedProofPurpose == "" && !o.hasDomain && !o.hasChallenge {
		return nil
	}
	var doc struct {
		Proof json.RawMessage `json:"proof"`
	}
	if err := json.Unmarshal(vc, &doc); err != nil {
		return &verifier.ProblemDetail{Type: verifier.ProblemParsing, Title: "PARSING_ERROR", Detail: err.Error()}
	}
	var proofs []map[string]any
	if err := json.Unmarshal(doc.Proof, &proofs); err != nil {
		var one map[string]any
		if err := json.Unmarshal(doc.Proof, &one); err != nil {
			return &verifier.ProblemDetail{Type: verifier.ProblemProofVerification, Title: "PROOF_VERIFICATION_ERROR", Detail: "proof cannot be read"}
		}
		proofs = []map[string]any{one}
	}
	for i, p := range proofs {
		path := fmt.Sprintf("$.proof[%d]", i)
		if o.expectedProofPurpose != "" && p["proofPurpose"] != o.expectedProofPurpose {
			return &verifier.ProblemDetail{Type: verifier.ProblemProofVerification, Title: "PROOF_VERIFICATION_ERROR",
				Detail: fmt.Sprintf("proofPurpose %v is not the expected %q", p["proofPurpose"], o.expectedProofPurpose), Path: path + ".proofPurpose"}
		}
		if o.hasDomain {
			have, _ := stringOrStrings(p["domain"])
			for _, d := range o.domain {
				if !slices.Contains(have, d) {
					return &verifier.ProblemDetail{Type: verifier.ProblemInvalidDomain, Title: "INVALID_DOMAIN_ERROR",
						Detail: fmt.Sprintf("the proof's domain does not include %q", d), Path: path + ".domain"}
				}
			}
		}
		if o.hasChallenge && p["challenge"] != o.challenge {
			return &verifier.ProblemDetail{Type: verifier.ProblemInvalidChallenge, Title: "INVALID_CHALLENGE_ERROR",
				Detail: fmt.Sprintf("the proof's challenge is not %q", o.challenge), Path: path + ".challenge"}
		}
	}
	return nil
}
