package dataintegrity

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/internal/fielderr"
)

// Sentinel errors. Every error this package returns for a proof wraps exactly
// one of them (test with errors.Is), usually inside a *ProofError that also
// names the proof and the field at fault.
var (
	// ErrNoProof: the document has no proof property (or an empty one).
	ErrNoProof = errors.New("dataintegrity: no proof")
	// ErrUnsupportedSuite: the proof's type/cryptosuite is not one this
	// package (or the configured custom suites) implements.
	ErrUnsupportedSuite = errors.New("dataintegrity: unsupported cryptosuite")
	// ErrSuiteNotAccepted: the suite is implemented but the verifier did not
	// list it in VerifierConfig.Suites.
	ErrSuiteNotAccepted = errors.New("dataintegrity: cryptosuite not accepted")
	// ErrMalformedProof: a proof member is missing or has the wrong type or
	// syntax (including a proofValue that is not base58btc multibase or does
	// not decode to a signature of the right length), or the proof's own
	// @context is not a prefix of the document's (which ProblemType, as
	// for a missing member, reports as PROOF_VERIFICATION_ERROR).
	ErrMalformedProof = errors.New("dataintegrity: malformed proof")
	// ErrInvalidSignature: the signature does not verify.
	ErrInvalidSignature = errors.New("dataintegrity: invalid signature")
	// ErrInvalidKey: the public or signing key is unusable for the suite:
	// wrong type or length, or a small-order Ed25519 point.
	ErrInvalidKey = errors.New("dataintegrity: invalid key")
	// ErrKeyResolution: the KeyResolver could not provide a key for the
	// proof's verification method.
	ErrKeyResolution = errors.New("dataintegrity: cannot resolve verification method")
	// ErrProofExpired: the proof's expires time has passed.
	ErrProofExpired = errors.New("dataintegrity: proof expired")
	// ErrCreatedInFuture: the proof's created time is later than now plus the
	// allowed clock skew.
	ErrCreatedInFuture = errors.New("dataintegrity: proof created in the future")
	// ErrDomainMismatch: the proof's domain differs from the expected one.
	ErrDomainMismatch = errors.New("dataintegrity: domain mismatch")
	// ErrChallengeMismatch: the proof's challenge differs from the expected one.
	ErrChallengeMismatch = errors.New("dataintegrity: challenge mismatch")
	// ErrPurposeMismatch: the proofPurpose differs from the expected one.
	ErrPurposeMismatch = errors.New("dataintegrity: proof purpose mismatch")
	// ErrPreviousProof: a proof chain is broken: a previousProof names a
	// proof that is absent, ambiguous, itself, or part of a cycle, or the
	// chain is too deep.
	ErrPreviousProof = errors.New("dataintegrity: invalid previousProof")
	// ErrTooManyProofs: the document carries more proofs than allowed.
	ErrTooManyProofs = errors.New("dataintegrity: too many proofs")
	// ErrTransformation: the document or proof configuration could not be
	// canonicalized (for example a JSON-LD context that is not allowed, or
	// a term safe mode rejects).
	ErrTransformation = errors.New("dataintegrity: cannot canonicalize")
	// ErrProofGeneration: a proof could not be created (bad options, a
	// signer failure, a verify-only suite).
	ErrProofGeneration = errors.New("dataintegrity: cannot create proof")
)

// errMissing is the cause of an ErrMalformedProof for a required member
// that is absent, which VC Data Integrity reports as
// PROOF_VERIFICATION_ERROR rather than as a malformed value.
var errMissing = errors.New("missing")

// errContextNotPrefix is the cause of an ErrMalformedProof on a proof's
// own @context that the document's @context does not start with, value
// for value (VC-DI-EdDSA "Verify Proof (eddsa-jcs-2022)" step 4.1, which
// this package also applies to eddsa-rdfc-2022 and eddsa-2022). The spec
// says "set verified to false", so it too is a PROOF_VERIFICATION_ERROR,
// not a malformed value; it stays under ErrMalformedProof, the kind
// eddsa-jcs-2022 always reported it as, so that errors.Is tests written
// against that keep holding.
var errContextNotPrefix = errors.New("not a prefix of the document's @context")

// ProofError describes why one proof failed. Kind (from the embedded
// Detail) is one of this package's sentinel errors, Reason a short
// human-readable explanation or "", and Err the underlying cause or nil
// (which may itself be a sentinel of another package, such as
// jsonld.ErrContextNotAllowed); errors.Is matches Kind and Err.
type ProofError struct {
	// Index is the position of the proof in the document's proof set, or -1
	// for problems with the document as a whole.
	Index int
	// Field is the proof member at fault ("proofValue", "created", …), or "".
	Field string
	fielderr.Detail
}

// Error returns e.g. "dataintegrity: invalid signature (proof[0].proofValue)".
func (e *ProofError) Error() string {
	at := ""
	switch {
	case e.Index >= 0 && e.Field != "":
		at = " (proof[" + strconv.Itoa(e.Index) + "]." + e.Field + ")"
	case e.Index >= 0:
		at = " (proof[" + strconv.Itoa(e.Index) + "])"
	case e.Field != "":
		at = " (" + e.Field + ")"
	}
	return fielderr.Message(e.Kind, "dataintegrity: error", at, e.Reason, e.Err)
}

func proofErr(index int, field string, kind error, reason string, cause error) *ProofError {
	return &ProofError{Index: index, Field: field, Detail: fielderr.Detail{Kind: kind, Reason: reason, Err: cause}}
}

func proofErrf(index int, field string, kind error, format string, args ...any) *ProofError {
	return &ProofError{Index: index, Field: field, Detail: fielderr.Detail{Kind: kind, Reason: fmt.Sprintf(format, args...)}}
}

// Problem types for VC-API / RFC 9457 problem details: the processing errors
// of VC Data Integrity 1.0 (https://w3id.org/security#…), declared here, and
// the two problem details of the VC Data Model 2.0 that ProblemType also
// returns, declared in package credential.
const (
	ProblemProofGeneration       = "https://w3id.org/security#PROOF_GENERATION_ERROR"
	ProblemProofVerification     = "https://w3id.org/security#PROOF_VERIFICATION_ERROR"
	ProblemProofTransformation   = "https://w3id.org/security#PROOF_TRANSFORMATION_ERROR"
	ProblemInvalidDomain         = "https://w3id.org/security#INVALID_DOMAIN_ERROR"
	ProblemInvalidChallenge      = "https://w3id.org/security#INVALID_CHALLENGE_ERROR"
	ProblemMalformedValue        = credential.ProblemMalformedValue
	ProblemCryptographicSecurity = credential.ProblemCryptographicSecurity
)

// ProblemType maps an error returned by this package to the problem-details
// type URL a VC-API verifier reports for it: proof members of the wrong type
// or syntax (a bad date, a proofValue that is not base58btc or not 64 bytes)
// are MALFORMED_VALUE_ERROR, unusable keys CRYPTOGRAPHIC_SECURITY_ERROR,
// canonicalization failures PROOF_TRANSFORMATION_ERROR, domain and challenge
// mismatches INVALID_DOMAIN_ERROR and INVALID_CHALLENGE_ERROR, generation
// failures PROOF_GENERATION_ERROR, and every other verification failure
// (no proof, a missing required member, bad signature, unsupported or
// unaccepted suite, dates, purpose, a proof @context that is not a prefix
// of the document's, chains) PROOF_VERIFICATION_ERROR, as VC Data
// Integrity's "Verify Proof" algorithm says. It returns "" for nil.
func ProblemType(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrDomainMismatch):
		return ProblemInvalidDomain
	case errors.Is(err, ErrChallengeMismatch):
		return ProblemInvalidChallenge
	case errors.Is(err, ErrTransformation):
		return ProblemProofTransformation
	case errors.Is(err, errMissing), errors.Is(err, errContextNotPrefix):
		return ProblemProofVerification
	case errors.Is(err, ErrMalformedProof):
		return ProblemMalformedValue
	case errors.Is(err, ErrInvalidKey):
		return ProblemCryptographicSecurity
	case errors.Is(err, ErrProofGeneration):
		return ProblemProofGeneration
	default:
		return ProblemProofVerification
	}
}
