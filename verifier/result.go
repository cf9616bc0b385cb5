package verifier

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/related"
	"github.com/microcred/openbadges/status"
)

// Problem types reported in Result.Errors and Result.Warnings: the problem
// details of the VC Data Model 2.0 (§7.2, https://www.w3.org/TR/vc-data-model#…)
// and the processing errors of VC Data Integrity 1.0
// (https://w3id.org/security#…) and Bitstring Status List 1.0. Each is
// declared by the package of its specification (credential, dataintegrity,
// status) and gathered here so that a reader of a Result needs one package.
// Codes are the integers those specifications assign.
const (
	ProblemParsing               = credential.ProblemParsing
	ProblemCryptographicSecurity = credential.ProblemCryptographicSecurity
	ProblemMalformedValue        = credential.ProblemMalformedValue
	ProblemRange                 = credential.ProblemRange
	ProblemProofGeneration       = dataintegrity.ProblemProofGeneration
	ProblemProofVerification     = dataintegrity.ProblemProofVerification
	ProblemProofTransformation   = dataintegrity.ProblemProofTransformation
	ProblemInvalidDomain         = dataintegrity.ProblemInvalidDomain
	ProblemInvalidChallenge      = dataintegrity.ProblemInvalidChallenge
	// Bitstring Status List 1.0 processing errors, the default types of a
	// failed status check.
	ProblemStatusRetrieval    = status.ProblemRetrieval
	ProblemStatusVerification = status.ProblemVerification
	// ProblemStatusRevoked and ProblemStatusSuspended report a credential
	// whose status list was read and says it is revoked or suspended: an
	// outcome, for which no specification defines a problem type (the
	// Bitstring Status List's types are for a status that could not be
	// established), so these are this module's.
	ProblemStatusRevoked   = "https://github.com/microcred/openbadges/blob/main/docs/problems.md#CREDENTIAL_REVOKED"
	ProblemStatusSuspended = "https://github.com/microcred/openbadges/blob/main/docs/problems.md#CREDENTIAL_SUSPENDED"
)

// problemCodes maps each problem type to its code and title.
var problemCodes = map[string]struct {
	code  int
	title string
}{
	ProblemParsing:               {-64, "PARSING_ERROR"},
	ProblemCryptographicSecurity: {-65, "CRYPTOGRAPHIC_SECURITY_ERROR"},
	ProblemMalformedValue:        {-66, "MALFORMED_VALUE_ERROR"},
	ProblemRange:                 {-67, "RANGE_ERROR"},
	ProblemProofGeneration:       {-16, "PROOF_GENERATION_ERROR"},
	ProblemProofVerification:     {-17, "PROOF_VERIFICATION_ERROR"},
	ProblemProofTransformation:   {-18, "PROOF_TRANSFORMATION_ERROR"},
	ProblemInvalidDomain:         {-19, "INVALID_DOMAIN_ERROR"},
	ProblemInvalidChallenge:      {-20, "INVALID_CHALLENGE_ERROR"},
	ProblemStatusRetrieval:       {-128, "STATUS_RETRIEVAL_ERROR"},
	ProblemStatusVerification:    {-129, "STATUS_VERIFICATION_ERROR"},
	ProblemStatusRevoked:         {0, "CREDENTIAL_REVOKED"},
	ProblemStatusSuspended:       {0, "CREDENTIAL_SUSPENDED"},
}

// Sentinel errors of the checks this package runs itself (the proof checks
// also report the dataintegrity and did sentinels). ProblemDetail.Err wraps
// them, so callers can branch with errors.Is on Result.Err().
var (
	// ErrNoProof: the credential carries no proof, so it is not verifiable.
	ErrNoProof = errors.New("verifier: no proof")
	// ErrIssuerMismatch: the key that signed is not controlled by the
	// credential's issuer.
	ErrIssuerMismatch = errors.New("verifier: verification method controller is not the issuer")
	// ErrNotYetValid: validFrom (issuanceDate in VCDM 1.1) is in the future.
	ErrNotYetValid = errors.New("verifier: credential not yet valid")
	// ErrExpired: validUntil (expirationDate in VCDM 1.1) has passed.
	ErrExpired = errors.New("verifier: credential expired")
	// ErrDigestMismatch: a relatedResource digest does not match the bytes
	// the verifier loaded for that resource.
	// The error names the digest given and the one computed.
	ErrDigestMismatch = related.ErrMismatch
	// ErrInvalidDigest: a relatedResource digest cannot be read.
	ErrInvalidDigest = related.ErrMalformed
	// ErrEndorsement: an embedded endorsement does not verify.
	ErrEndorsement = errors.New("verifier: endorsement not verified")
	// ErrStatus: the credential status check failed (revoked, suspended, or
	// the status could not be established).
	ErrStatus = errors.New("verifier: credential status")
	// ErrStatusNotChecked marks a credentialStatus entry that no Status
	// checker handled: a warning, not a failure. A Status implementation
	// returns it (wrapped) for entry types it does not support.
	ErrStatusNotChecked = errors.New("verifier: credential status not checked")
	// ErrNotChecked: embedded endorsements or credentials were not
	// verified, because there were more than MaxEndorsements
	// (MaxNestedCredentials) or they were nested deeper than
	// Config.MaxEndorsementDepth. They are never presented as verified.
	ErrNotChecked = errors.New("verifier: embedded credentials not checked")
	// ErrUnsupportedFormat: the input is a format this verifier is not
	// configured for (a VC-JWT when no JOSE algorithm is accepted).
	ErrUnsupportedFormat = errors.New("verifier: unsupported credential format")
)

// Result is the outcome of Verify. Its JSON form is the verification result
// of the VC API (verified, the checks run with their outcome, and errors
// and warnings as RFC 9457 problem details), with two more members that
// tell authenticity from conformance.
type Result struct {
	// Verified is true when every check passed and at least one proof
	// verified. Warnings do not affect it.
	Verified bool `json:"verified"`
	// Authentic is true when the credential itself is authentic and in
	// force: a proof verified with a key bound to its issuer, it parsed
	// and canonicalized safely, it is within its validity period, and its
	// status is good. It says nothing of its embedded endorsements and
	// credentials, nor of its conformance to the data models.
	Authentic bool `json:"authentic"`
	// Conformant is true when the credential follows the VC Data Model
	// and Open Badges 3.0 rules (and its status list follows the Bitstring
	// Status List rules): no problem with Conformance set is among Errors,
	// nor among Warnings as Relaxed.
	Conformant bool `json:"conformant"`
	// Checks lists every check run (or skipped), in order.
	Checks []Check `json:"checks"`
	// Errors are the reasons the credential is not verified.
	Errors []ProblemDetail `json:"errors"`
	// Warnings are findings that do not prevent verification: an outdated
	// context, a status not checked, a proof of an unknown suite ignored,
	// and in lenient mode the failures it relaxes (marked Relaxed).
	Warnings []ProblemDetail `json:"warnings"`
	// Endorsements has the result of each embedded endorsement verified,
	// keyed by its JSON path. One that is absent was not checked; see
	// VerifiedEndorsements for those a displayer may show as verified.
	Endorsements map[string]*Result `json:"endorsements,omitempty"`
	// Credentials has the result of each credential embedded in a subject
	// (credentialSubject.verifiableCredential, as in a CLR), keyed by its
	// JSON path, like Endorsements.
	Credentials map[string]*Result `json:"credentials,omitempty"`
	// Proofs lists the Data Integrity proofs whose signer is known: each
	// with its verification method, the key's controller and whether that
	// is the issuer. A credential verifies when at least one proof is the
	// issuer's and every proof verifies with its own signer's key.
	Proofs []ProofSigner `json:"proofs,omitempty"`
	// Credential is the parsed credential (nil if it could not be parsed).
	Credential *credential.Credential `json:"-"`
}

// ProofSigner is one proof of a credential and who made it.
type ProofSigner struct {
	// Path is the proof's JSON path ($.proof, $.proof[1]).
	Path string `json:"path"`
	// VerificationMethod is the proof's verificationMethod.
	VerificationMethod string `json:"verificationMethod"`
	// Controller is the controller of the verification method: the signer.
	Controller string `json:"controller"`
	// Purpose is the proof's proofPurpose.
	Purpose string `json:"proofPurpose"`
	// Issuer reports that Controller is the credential's issuer.
	Issuer bool `json:"issuer"`
	// Verified reports that the proof verified.
	Verified bool `json:"verified"`
}

// Verdict sums up a Result for a person.
type Verdict string

// Verdicts.
const (
	// VerdictVerified: every check passed (in lenient mode, with the
	// failures it relaxes as warnings).
	VerdictVerified Verdict = "verified"
	// VerdictNotConformant: authentic and in force, but the credential
	// does not follow the VC Data Model or Open Badges 3.0 (or its status
	// list does not follow the Bitstring Status List): every error is a
	// conformance problem. Not a forgery.
	VerdictNotConformant Verdict = "authentic, not conformant"
	// VerdictNotVerified: anything else.
	VerdictNotVerified Verdict = "not verified"
)

// Values of ProblemDetail.Conformance: the specification whose rules a
// conformance problem applies. The first two are the values of
// credential.Standard's String.
const (
	ConformanceVCDM       = "vcdm"
	ConformanceOB3        = "ob3"
	ConformanceStatusList = "status-list"
)

// Verdict returns the result's verdict.
func (r *Result) Verdict() Verdict {
	switch {
	case r.Verified:
		return VerdictVerified
	case r.Authentic && !r.Conformant && !slices.ContainsFunc(r.Errors, func(p ProblemDetail) bool { return p.Conformance == "" }):
		return VerdictNotConformant
	}
	return VerdictNotVerified
}

// Signed reports whether what the credential says is the issuer's word: it
// parsed and canonicalized safely and a proof verified with a key bound to
// its issuer. It may still be expired, revoked or not conformant: a
// displayer shows such a credential's content as the issuer's, with the
// failures that keep it from being verified, and anything else as a mere
// claim.
func (r *Result) Signed() bool {
	if r.Authentic {
		return true
	}
	proof := false
	for _, c := range r.Checks {
		switch {
		case c.Outcome == Failed && (c.Name == "parse" || c.Name == "jsonld" || c.Name == "proof"):
			return false
		case c.Name == "proof" && c.Outcome == Passed:
			proof = true
		}
	}
	return proof
}

// VerifiedEndorsements returns the JSON paths of the embedded endorsements
// that verified, sorted. A displayer shows these, and only these, as
// endorsements: the typed model keeps every endorsement the document holds,
// failed and unchecked ones included.
func (r *Result) VerifiedEndorsements() []string { return verifiedPaths(r.Endorsements) }

// VerifiedCredentials returns the JSON paths of the credentials embedded in
// a subject that verified, sorted, like VerifiedEndorsements.
func (r *Result) VerifiedCredentials() []string { return verifiedPaths(r.Credentials) }

func verifiedPaths(m map[string]*Result) []string {
	var paths []string
	for p, sub := range m {
		if sub != nil && sub.Verified {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	return paths
}

// conclude sets Verified, Authentic and Conformant from the checks recorded.
func (r *Result) conclude(proofOK bool) {
	r.Verified = proofOK && len(r.Errors) == 0
	r.Authentic, r.Conformant = proofOK, true
	for _, p := range r.Errors {
		switch {
		case p.Conformance != "":
			r.Conformant = false
		case p.Check != "endorsement" && p.Check != "credential":
			r.Authentic = false
		}
	}
	for _, p := range r.Warnings {
		if p.Relaxed && p.Conformance != "" {
			r.Conformant = false
		}
	}
}

// Outcome is the outcome of one check.
type Outcome string

// Outcomes of a check.
const (
	Passed  Outcome = "passed"
	Failed  Outcome = "failed"
	Skipped Outcome = "skipped" // not run: nothing to check, or an earlier check failed
	Warning Outcome = "warning" // passed with warnings, or not checked (status)
)

// Check is one check and its outcome.
type Check struct {
	// Name is the check: "parse", "jsonld", "ob3", "proof", "validity",
	// "relatedResource", "status", "endorsement".
	Name string `json:"check"`
	// Path locates what was checked when there are several (a proof, an
	// endorsement), as a JSON path.
	Path    string  `json:"path,omitempty"`
	Outcome Outcome `json:"outcome"`
	// Detail explains a failure, a warning or a skip in one line.
	Detail string `json:"detail,omitempty"`
}

// ProblemDetail is an RFC 9457 problem detail with the types and codes of
// the VC specifications.
type ProblemDetail struct {
	Type   string `json:"type"`
	Code   int    `json:"code,omitempty"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	// Check is the check that reported the problem.
	Check string `json:"check,omitempty"`
	// Path is the JSON path of the value at fault, when known.
	Path string `json:"path,omitempty"`
	// Conformance is set on a problem of conformance, not authenticity:
	// ConformanceVCDM, ConformanceOB3 or ConformanceStatusList.
	Conformance string `json:"conformance,omitempty"`
	// Relaxed marks a warning that is a failure in strict mode, reported
	// as a warning because the verifier is lenient (Config.Lenient).
	Relaxed bool `json:"relaxed,omitempty"`
	// Err is the underlying error, for errors.Is.
	Err error `json:"-"`
}

// NewProblemDetail returns the problem detail of type typ, with the code and
// title the specifications give it, that check reports for the value at
// path; the presentation package reports its own problems with it.
func NewProblemDetail(typ, check, path string, err error) ProblemDetail {
	return newProblem(typ, check, path, err)
}

func newProblem(typ, check, path string, err error) ProblemDetail {
	c := problemCodes[typ]
	return ProblemDetail{Type: typ, Code: c.code, Title: c.title, Detail: err.Error(), Check: check, Path: path, Err: err}
}

// Err returns nil when the credential is verified, and otherwise an error
// joining the errors of every problem, so that errors.Is works with the
// sentinels of this package, dataintegrity, did and jsonld.
func (r *Result) Err() error {
	if r.Verified {
		return nil
	}
	errs := make([]error, 0, len(r.Errors))
	for _, p := range r.Errors {
		if p.Err != nil {
			errs = append(errs, p.Err)
		} else {
			errs = append(errs, errors.New(p.Detail))
		}
	}
	if len(errs) == 0 {
		return errors.New("verifier: not verified")
	}
	return errors.Join(errs...)
}

// Summary returns a one-line verdict: "verified", "authentic, not
// conformant: " or "not verified: " and the reasons, with warnings after
// them.
func (r *Result) Summary() string {
	var b strings.Builder
	b.WriteString(string(r.Verdict()))
	if !r.Verified {
		for i, p := range r.Errors {
			if i == 0 {
				b.WriteString(": ")
			} else {
				b.WriteString("; ")
			}
			b.WriteString(p.short())
		}
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(&b, " (warnings: ")
		for i, p := range r.Warnings {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(p.short())
		}
		b.WriteString(")")
	}
	return b.String()
}

// reasons returns the errors of Summary without the verdict.
func (r *Result) reasons() string {
	_, after, _ := strings.Cut(r.Summary(), ": ")
	return after
}

func (p ProblemDetail) short() string {
	s := p.Check
	if p.Path != "" {
		s += " " + p.Path
	}
	return s + ": " + p.Detail
}

func (r *Result) add(c Check) { r.Checks = append(r.Checks, c) }

func (r *Result) fail(check, path, typ string, err error) {
	r.Errors = append(r.Errors, newProblem(typ, check, path, err))
}

func (r *Result) warn(check, path, typ string, err error) {
	r.Warnings = append(r.Warnings, newProblem(typ, check, path, err))
}

// checkNames are the checks of Verify, in order.
var checkNames = []string{"parse", "jsonld", "ob3", "proof", "validity", "relatedResource", "status", "endorsement"}

// skipAfter records every check after the named one ("" for all) that has
// not run as skipped, so that a result always lists the same checks.
func (r *Result) skipAfter(name, why string) {
	i := 0
	if name != "" {
		for i < len(checkNames) && checkNames[i] != name {
			i++
		}
		i++
	}
next:
	for _, n := range checkNames[min(i, len(checkNames)):] {
		for _, c := range r.Checks {
			if c.Name == n {
				continue next
			}
		}
		r.add(Check{Name: n, Outcome: Skipped, Detail: why})
	}
}
